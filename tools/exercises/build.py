"""Write the nbgrader source notebooks of the exercises from their Python descriptions.

This is the maintained way to edit ``source/NN_name/NN_name.ipynb``: change ``tools/exercises/nbNN_*.py``,
then run ``.venv/bin/python tools/exercises/build.py`` (all notebooks) or ``... build.py 03_dropout``.
Cell ids are fixed in the descriptions, so regenerating gives identical files.
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ASSIGNMENTS = (
    "01_overfitting",
    "02_regularizers",
    "03_dropout",
    "04_batch_normalization",
    "05_in_practice",
    "06_monitoring",
    "07_quiz",
)


def build(name: str) -> Path:
    """Write one assignment's source notebook and return its path."""
    module = importlib.import_module(f"nb{name}")
    nb = module.notebook()
    nbformat.validate(nb)
    path = ROOT / "source" / name / f"{name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        nbformat.write(nb, handle)
    # The course's code style applies to notebook cells too (``make lint`` checks it).
    subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", str(path)], check=True, cwd=ROOT)
    return path


def main(argv: list[str] | None = None) -> int:
    """Build the notebooks named on the command line (all by default)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", help=f"assignments to build (default: all of {', '.join(ASSIGNMENTS)})"
    )
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in ASSIGNMENTS]
    if unknown:
        parser.error(f"unknown assignment(s): {', '.join(unknown)}")
    sys.path.insert(0, str(HERE))
    for name in args.names or ASSIGNMENTS:
        if not (HERE / f"nb{name}.py").exists():
            print(f"skip {name}: no description yet")
            continue
        print(build(name).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
