"""Regenerate the generated assignment folders from ``source/``, reproducibly.

    python -m tools.build_assignments release            # release/NN/NN.ipynb: student versions, no outputs
    python -m tools.build_assignments solutions          # solutions/NN/NN.ipynb: executed instructor versions
    python -m tools.build_assignments release solutions --assignment 01_overfitting
    python -m tools.build_assignments release solutions --stale   # execute solutions only where source/ changed

nbgrader does the work (``generate_assignment``, and ``generate_solution``, which executes the notebook with
the course's per-cell timeout). Its gradebook goes to a temporary database under ``build/``, so nothing but
``release/`` and ``solutions/`` changes in the repository. The output is normalized so that running the tool
twice gives no diff: nbformat's canonical JSON, the source's notebook metadata, no execution timings, file
mode 644, and assignment folders without a source removed.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ("release", "solutions")


def assignment_ids(root: Path) -> list[str]:
    """Assignments of the course: folders ``source/NN_name`` holding ``NN_name.ipynb``."""
    source = root / "source"
    return (
        sorted(p.name for p in source.iterdir() if (p / f"{p.name}.ipynb").is_file())
        if source.is_dir()
        else []
    )


def venv_on_path() -> None:
    """Put this interpreter's ``bin`` first on PATH: nbgrader runs ``alembic`` and kernels by name."""
    bindir = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bindir:
        os.environ["PATH"] = os.pathsep.join([bindir, os.environ.get("PATH", "")])


def load_config(root: Path, db_url: str | None = None, **sections: dict[str, Any]) -> Any:
    """The course's ``nbgrader_config.py`` as a traitlets Config rooted at ``root``, with overrides (an
    edition with its own ``nbgrader_config.py``, like ``fr/``, is read with its own, which reads the course's)."""
    from traitlets.config.loader import Config, PyFileConfigLoader

    venv_on_path()

    home = root if (root / "nbgrader_config.py").is_file() else ROOT
    config = PyFileConfigLoader("nbgrader_config.py", path=str(home)).load_config()
    config.CourseDirectory.root = str(root)
    if db_url is not None:
        config.CourseDirectory.db_url = db_url
    for section, values in sections.items():
        config.merge(Config({section: values}))
    return config


@contextlib.contextmanager
def scratch_course(root: Path) -> Iterator[Path]:
    """A temporary folder under ``build/`` for nbgrader's gradebook and raw output, removed afterwards."""
    (root / "build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nbgrader-", dir=root / "build") as tmp:
        yield Path(tmp)


def run_converter(converter: Any) -> None:
    """Run an nbgrader converter, raising with its log when it fails."""
    from nbgrader.utils import capture_log

    result = capture_log(converter)
    if not result["success"]:
        raise RuntimeError(
            f"{type(converter).__name__} failed:\n{result.get('log', '')}\n{result.get('error', '')}"
        )


def source_digest(root: Path, assignment: str) -> str:
    """A short hash of an assignment's source notebook: what its executed solutions were built from."""
    text = (root / "source" / assignment / f"{assignment}.ipynb").read_bytes()
    return hashlib.sha256(text).hexdigest()[:16]


def built_from(root: Path, assignment: str) -> str | None:
    """The source hash recorded in ``solutions/<assignment>``, or None when there is none."""
    path = root / "solutions" / assignment / f"{assignment}.ipynb"
    if not path.is_file():
        return None
    return nbformat.read(path, as_version=4).metadata.get("course", {}).get("source_sha256")


def normalize(nb: nbformat.NotebookNode, source: nbformat.NotebookNode, keep_outputs: bool) -> None:
    """Make a generated notebook reproducible: source metadata, no timings, outputs kept or cleared."""
    nb.metadata = nbformat.from_dict(source.metadata)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        if cell.cell_type == "code" and not keep_outputs:
            cell.outputs = []
            cell.execution_count = None


def install_tree(generated: Path, dest: Path, source_dir: Path, keep_outputs: bool) -> None:
    """Replace ``dest`` with the generated assignment folder, normalizing its notebooks."""
    if dest.exists():
        shutil.rmtree(dest)
    for path in sorted(generated.rglob("*")):
        if path.is_dir():
            continue
        target = dest / path.relative_to(generated)
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".ipynb":
            nb = nbformat.read(path, as_version=4)
            src = nbformat.read(source_dir / path.relative_to(generated), as_version=4)
            normalize(nb, src, keep_outputs)
            nbformat.validate(nb)
            nbformat.write(nb, target)
        else:
            shutil.copyfile(path, target)
        os.chmod(target, 0o644)


def record_source(root: Path, assignment: str) -> None:
    """Write into the solutions notebook the hash of the source it was executed from (``--stale`` reads it)."""
    path = root / "solutions" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.metadata["course"] = {"source_sha256": source_digest(root, assignment)}
    nbformat.write(nb, path)


def build(root: Path, target: str, ids: list[str]) -> list[str]:
    """Generate ``target`` (release or solutions) for the given assignments; return the written folders."""
    from nbgrader.converters import GenerateAssignment, GenerateSolution
    from nbgrader.coursedir import CourseDirectory

    out = root / target
    out.mkdir(exist_ok=True)
    written = []
    with scratch_course(root) as tmp:
        config = load_config(
            root,
            db_url=f"sqlite:///{tmp / 'gradebook.db'}",
            CourseDirectory={
                "release_directory": str(tmp / "release"),
                "solution_directory": str(tmp / "solutions"),
            },
        )
        for assignment in ids:
            coursedir = CourseDirectory(config=config)
            coursedir.assignment_id = assignment
            # generate_solution needs the assignment in the gradebook, so generate_assignment always runs first.
            run_converter(GenerateAssignment(coursedir=coursedir, config=config, force=True))
            if target == "solutions":
                print(f"executing solutions/{assignment} ...", flush=True)
                run_converter(GenerateSolution(coursedir=coursedir, config=config, force=True))
            generated = tmp / target / assignment
            install_tree(
                generated, out / assignment, root / "source" / assignment, keep_outputs=target == "solutions"
            )
            if target == "solutions":
                record_source(root, assignment)
            written.append(f"{target}/{assignment}")
            print(f"wrote {target}/{assignment}", flush=True)
    if set(ids) == set(assignment_ids(root)):
        for stale in sorted(p for p in out.iterdir() if p.name not in ids):
            print(f"removing {target}/{stale.name} (no source)")
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: targets to build, optionally restricted to some assignments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="+", choices=TARGETS)
    parser.add_argument("--assignment", "-a", action="append", help="only this assignment (repeatable)")
    parser.add_argument("--root", type=Path, default=ROOT, help="course folder (default: this repository)")
    parser.add_argument(
        "--stale",
        action="store_true",
        help="execute solutions only where the source changed since they were built",
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    ids = args.assignment or assignment_ids(root)
    missing = [a for a in ids if not (root / "source" / a / f"{a}.ipynb").is_file()]
    if missing:
        parser.error(f"no source notebook for {missing}")
    for target in args.targets:
        chosen = ids
        if target == "solutions" and args.stale:
            chosen = [a for a in ids if built_from(root, a) != source_digest(root, a)]
            print(f"solutions to execute: {', '.join(chosen) or 'none (every source unchanged)'}")
        if chosen:
            build(root, target, chosen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
