"""The course site: a static HTML site of the executed lessons, the exercises' instructions, the claims table and
the performance page (``make site``; opens as ``build/site/html/index.html``).

Sphinx with myst-nb builds it offline. The pages are staged in ``build/site/src``: ``site/`` (configuration and
index), ``notebooks/`` (the lessons) and ``release/`` (the exercises: no solutions, no hidden tests) at their
own paths, so links between them resolve as in the repository, and two
pages drawn from ``docs/claims.json`` and ``docs/bench.md``. A file is copied only when its content changed, so
Sphinx rebuilds only what changed, and myst-nb re-executes a lesson only when its code changed (jupyter-cache in
``build/site/cache``, emptied when ``helpers/`` or the lock changed): a rebuild with nothing changed takes
seconds. A cell that fails stops the build.

    python -m tools.site [--out build/site]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tools.build import ROOT

OUT = ROOT / "build" / "site"


def _put(text_or_file: str | Path, dest: Path) -> None:
    """Write ``dest`` (from text or a file) unless it already holds exactly that: unchanged files keep their
    time stamps, so Sphinx does not rebuild their pages."""
    data = text_or_file.read_bytes() if isinstance(text_or_file, Path) else text_or_file.encode()
    if dest.is_file() and dest.read_bytes() == data:
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data)


def evidence_page(root: Path = ROOT) -> str:
    """The claims table as a page, rendered from the published measurement (docs/claims.json)."""
    from helpers.claims import render

    data = json.loads((root / "docs" / "claims.json").read_text())
    return (
        "# The evidence\n\n"
        "Each claim the lessons make is an experiment run over three seeds by the course's test suite; this is "
        "the published measurement (`docs/claims.json`), rendered by the same code that draws the README's "
        "table.\n\n" + render(data) + "\n"
    )


def performance_page(root: Path = ROOT) -> str:
    """The bench report (docs/bench.md), its first heading kept as the page title."""
    return (root / "docs" / "bench.md").read_text()


def stage(root: Path = ROOT, out: Path = OUT) -> Path:
    """Put the site's sources in ``out/src`` (only changed files are written; stale pages are removed)."""
    src = out / "src"
    wanted: dict[Path, str | Path] = {}
    for item in sorted((root / "site").iterdir()):
        if item.is_file():
            wanted[src / item.name] = item
    # The repository's own paths, so that the links between lessons and exercises resolve as they do on disk.
    for nb in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        wanted[src / "notebooks" / nb.name] = nb
    for nb in sorted((root / "release").glob("[0-9][0-9]_*/*.ipynb")):
        wanted[src / "release" / nb.parent.name / nb.name] = nb
    wanted[src / "evidence.md"] = evidence_page(root)
    wanted[src / "performance.md"] = performance_page(root)
    for dest, content in wanted.items():
        _put(content, dest)
    if src.is_dir():
        for path in [p for p in src.rglob("*") if p.is_file() and p not in wanted]:
            path.unlink()
    return src


def fingerprint(root: Path = ROOT) -> str:
    """A hash of what a lesson's outputs depend on besides its own code (jupyter-cache's key): the course's
    ``helpers`` package and the pinned environment."""
    digest = hashlib.sha256()
    files = sorted((root / "helpers").rglob("*.py")) + sorted(root.glob("requirements-py*.lock"))
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def fresh_cache(root: Path, out: Path) -> None:
    """Empty the execution cache and Sphinx's saved pages when ``helpers/`` or the lock changed since they were
    made, so that every lesson is read and executed again."""
    cache, stamp = out / "cache", out / "cache" / "course-fingerprint"
    now = fingerprint(root)
    if not stamp.is_file() or stamp.read_text() != now:
        for folder in (cache, out / "doctrees"):
            shutil.rmtree(folder, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    stamp.write_text(now)


def build(root: Path = ROOT, out: Path = OUT, quiet: bool = True) -> subprocess.CompletedProcess:
    """Stage and build the site into ``out/html``; the completed ``sphinx-build`` process."""
    src = stage(root, out)
    fresh_cache(root, out)
    env = dict(os.environ, COURSE_SITE_CACHE=str(out / "cache"))
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(out / "doctrees"), "-W", "--keep-going"]
    cmd += ["-q"] if quiet else []
    return subprocess.run(
        [*cmd, str(src), str(out / "html")], env=env, cwd=root, capture_output=True, text=True, check=False
    )


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: build, report the time, fail with Sphinx's messages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    began = time.monotonic()
    done = build(ROOT, args.out.resolve())
    seconds = time.monotonic() - began
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-8000:])
        print(f"site: the build failed after {seconds:.0f} s", file=sys.stderr)
        return 1
    warnings = [line for line in done.stderr.splitlines() if "WARNING:" in line and "IPKernelApp" not in line]
    if warnings:
        sys.stderr.write("\n".join(warnings) + "\n")
    index = args.out.resolve() / "html" / "index.html"
    print(f"site: built in {seconds:.1f} s; open {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
