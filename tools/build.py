"""Build the lesson and exercise notebooks from their authoring files, with jupytext.

Each lesson and exercise is written once, as a jupytext percent script in ``course/`` (``course/lessons/NN_name.py``,
``course/exercises/NN_name.py``); JupyterLab opens it as a notebook, and nbgrader's metadata sits in its cell headers.

    python -m tools.build            # write notebooks/NN_name.ipynb and source/NN_name/NN_name.ipynb
    python -m tools.build --check    # write nothing; exit 1 naming each stale notebook and the file to edit

A cell's id is its nbgrader ``grade_id`` or the ``id`` of its header (``# %% id="..."``): ids never depend on a
cell's position or text, so inserting or editing a cell leaves the others' ids, and the gradebook's keys, alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "course"
KERNELSPEC = {"display_name": "Python 3 (course)", "language": "python", "name": "python3"}
# Cell metadata jupytext keeps for its own round trip (blank lines in the script), not for the notebook.
JUPYTEXT_ONLY = ("lines_to_next_cell",)


class AuthoringError(ValueError):
    """An authoring file that cannot become a notebook (a cell without id, two cells with one id)."""


def lessons(root: Path = ROOT) -> list[str]:
    """Lesson names (``01_overfitting``, ...): the scripts in ``course/lessons``."""
    return sorted(p.stem for p in (root / "course" / "lessons").glob("[0-9]*.py"))


def assignments(root: Path = ROOT) -> list[str]:
    """Assignment ids (``01_overfitting``, ...): the scripts in ``course/exercises``."""
    return sorted(p.stem for p in (root / "course" / "exercises").glob("[0-9]*.py"))


def answer_names(assignment: str, root: Path = ROOT) -> list[str]:
    """The graded names of an exercise: the grade ids of its autograded-answer code cells."""
    nb = jupytext.read(root / "course" / "exercises" / f"{assignment}.py", fmt="py:percent")
    return [
        c.metadata["nbgrader"]["grade_id"]
        for c in nb.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
    ]


def pairs(root: Path = ROOT) -> list[tuple[Path, Path]]:
    """Every (authoring file, generated notebook) of the course."""
    out = [
        (root / "course" / "lessons" / f"{n}.py", root / "notebooks" / f"{n}.ipynb") for n in lessons(root)
    ]
    out += [
        (root / "course" / "exercises" / f"{n}.py", root / "source" / n / f"{n}.ipynb")
        for n in assignments(root)
    ]
    return out


def notebook(path: Path) -> nbformat.NotebookNode:
    """The notebook of one authoring file: its cells with their ids, the course kernel, no outputs."""
    nb = jupytext.read(path, fmt="py:percent")
    seen: dict[str, int] = {}
    for number, cell in enumerate(nb.cells, start=1):
        for key in JUPYTEXT_ONLY:
            cell.metadata.pop(key, None)
        cell_id = cell.metadata.pop("id", None) or cell.metadata.get("nbgrader", {}).get("grade_id")
        first_line = cell.source.splitlines()[0] if cell.source else ""
        if not cell_id:
            raise AuthoringError(
                f"{path}: cell {number} ({first_line[:50]!r}) has no id: add one to its header, "
                f'e.g. `# %% id="a-short-name"`'
            )
        if cell_id in seen:
            raise AuthoringError(f"{path}: cells {seen[cell_id]} and {number} share the id {cell_id!r}")
        seen[cell_id] = number
        cell.id = cell_id
    nb.metadata = {
        "kernelspec": dict(nb.metadata.get("kernelspec", KERNELSPEC)),
        "language_info": {"name": "python"},
    }
    nb.nbformat, nb.nbformat_minor = 4, 5
    nbformat.validate(nb)
    return nb


def render(path: Path) -> str:
    """The notebook of ``path`` as Jupyter writes it (nbformat's JSON, trailing newline)."""
    return nbformat.writes(notebook(path)) + "\n"


def stale(root: Path = ROOT) -> list[tuple[Path, Path]]:
    """The (authoring file, notebook) pairs whose notebook is missing or differs from its file."""
    return [
        (src, out)
        for src, out in pairs(root)
        if not out.is_file() or out.read_text(encoding="utf-8") != render(src)
    ]


def write(root: Path = ROOT) -> list[Path]:
    """Write every notebook whose text changed; return those written."""
    written = []
    for src, out in stale(root):
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render(src), encoding="utf-8", newline="\n")
        written.append(out)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: build, or only check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a notebook is stale")
    parser.add_argument("--root", type=Path, default=ROOT, help="course folder (default: this repository)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        if args.check:
            bad = stale(root)
            for src, out in bad:
                print(
                    f"{out.relative_to(root)} differs from {src.relative_to(root)}: edit {src.relative_to(root)}, "
                    "never the notebook, then run `make build`",
                    file=sys.stderr,
                )
            return 1 if bad else 0
        for out in write(root):
            print(f"wrote {out.relative_to(root)}")
    except AuthoringError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
