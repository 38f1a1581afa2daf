"""Fail when a notebook that should be stored clean keeps outputs or execution counts.

    python tools/check_stripped.py notebooks source release

Every ``*.ipynb`` under the given folders is checked, except under ``solutions/`` (stored executed on
purpose) and ``.ipynb_checkpoints/``. Exit status 1 lists each offending notebook and its first cells.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SKIP_PARTS = {"solutions", ".ipynb_checkpoints"}


def problems(path: Path) -> list[str]:
    """What keeps ``path`` from being stripped: cells with outputs or an execution count."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        return [f"unreadable ({err})"]
    found = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            found.append(f"cell {index} has outputs")
        if cell.get("execution_count") is not None:
            found.append(f"cell {index} has execution_count {cell['execution_count']}")
    return found


def notebooks(folders: list[str]) -> list[Path]:
    """Notebooks under the given folders (or the files themselves), minus the ones stored executed."""
    found: list[Path] = []
    for folder in map(Path, folders):
        candidates = [folder] if folder.is_file() else sorted(folder.rglob("*.ipynb"))
        found += [p for p in candidates if p.suffix == ".ipynb" and not SKIP_PARTS & set(p.parts)]
    return found


def main(argv: list[str]) -> int:
    """Check every notebook; print the offenders and return 1 if there is any."""
    if not argv:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    missing = [f for f in argv if not Path(f).exists()]
    if missing:
        print(f"check_stripped: no such folder or file: {', '.join(missing)}", file=sys.stderr)
        return 2
    bad = {path: found for path in notebooks(argv) if (found := problems(path))}
    for path, found in bad.items():
        more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
        print(f"{path}: {'; '.join(found[:3])}{more}")
    if bad:
        print(f"{len(bad)} notebook(s) store outputs: run `make format` (nbstripout) or clear them.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
