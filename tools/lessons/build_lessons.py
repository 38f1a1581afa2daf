"""Write the six lesson notebooks (notebooks/NN_name.ipynb) from the cell texts in tools/lessons/*.py.

The lessons are maintained here, as plain Python strings, and regenerated with

    .venv/bin/python tools/lessons/build_lessons.py            # write notebooks/*.ipynb
    .venv/bin/python tools/lessons/build_lessons.py --check    # exit 1 if a notebook differs from its source

Notebooks are written without outputs, in nbformat 4.5 with stable cell ids (``<lesson>-<index>``) and the
course kernelspec, so regenerating an unchanged lesson gives a byte-identical file.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LESSONS = (
    "01_overfitting",
    "02_regularizers",
    "03_dropout",
    "04_batch_normalization",
    "05_in_practice",
    "06_monitoring",
)
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (course)", "language": "python"}


def load_cells(lesson: str) -> list[tuple[str, str]]:
    """The ``CELLS`` list, ``[("md" | "code", text), ...]``, of ``tools/lessons/lesson_<lesson>.py``."""
    path = HERE / f"lesson_{lesson}.py"
    spec = importlib.util.spec_from_file_location(f"lesson_{lesson}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.CELLS)


def ruff_format(code: str) -> str:
    """``code`` formatted by ruff with the project's settings (so ``ruff format --check`` passes)."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        raise FileNotFoundError("ruff is needed to format the code cells; install the course environment")
    done = subprocess.run(
        [ruff, "format", "--stdin-filename", "cell.py", "-"],
        input=code, capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise ValueError(f"ruff could not format a code cell:\n{code}\n{done.stderr}")
    return done.stdout.rstrip("\n")


def build(lesson: str) -> nbformat.NotebookNode:
    """The notebook of one lesson, without outputs."""
    nb = nbformat.v4.new_notebook()
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    short = lesson.split("_", 1)[1].replace("_", "-")
    for i, (kind, text) in enumerate(load_cells(lesson)):
        text = text.strip("\n")
        if kind == "md":
            cell = nbformat.v4.new_markdown_cell(text)
        elif kind == "code":
            cell = nbformat.v4.new_code_cell(ruff_format(text))
        else:
            raise ValueError(f"{lesson}: unknown cell kind {kind!r}")
        cell.id = f"{short}-{i:02d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def render(nb: nbformat.NotebookNode) -> str:
    """The notebook as JSON text, the way Jupyter writes it (indent 1, trailing newline)."""
    return nbformat.writes(nb) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if a notebook differs")
    parser.add_argument("lessons", nargs="*", default=list(LESSONS), help="lesson ids (default: all)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.lessons) - set(LESSONS))
    if unknown:
        parser.error(f"unknown lesson(s) {unknown}; choose from {list(LESSONS)}")
    stale = []
    for lesson in args.lessons:
        path = ROOT / "notebooks" / f"{lesson}.ipynb"
        text = render(build(lesson))
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path.relative_to(ROOT)))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("out of date (run tools/lessons/build_lessons.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
