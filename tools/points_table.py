"""Write the points of every assignment (from the nbgrader metadata of source/) into README.md.

python -m tools.points_table            # rewrite the table between the README markers
python -m tools.points_table --check    # exit 1 if the README table is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- points-table:start -->", "<!-- points-table:end -->"


def cell_points(notebook: Path) -> tuple[float, float, int, int]:
    """Autograded points, manually graded points, visible and hidden test-cell counts of a notebook."""
    auto = manual = 0.0
    visible = hidden = 0
    for cell in json.loads(notebook.read_text())["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not meta.get("grade"):
            continue
        points = float(meta.get("points", 0))
        if cell["cell_type"] == "code":
            auto += points
            if "BEGIN HIDDEN TESTS" in "".join(cell["source"]):
                hidden += 1
            else:
                visible += 1
        else:
            manual += points
    return auto, manual, visible, hidden


def table() -> str:
    """Markdown table of points per assignment."""
    rows = [
        "| assignment | autograded points | manually graded points | visible test cells | hidden test cells |",
        "|---|---|---|---|---|",
    ]
    total_auto = total_manual = 0.0
    for nb in sorted(ROOT.glob("source/*/*.ipynb")):
        auto, manual, visible, hidden = cell_points(nb)
        total_auto += auto
        total_manual += manual
        rows.append(f"| `{nb.parent.name}` | {auto:g} | {manual:g} | {visible} | {hidden} |")
    rows.append(f"| **total** | **{total_auto:g}** | **{total_manual:g}** | | |")
    return "\n".join(rows)


def render(readme: str) -> str:
    """README text with the table between the markers replaced."""
    if START not in readme or END not in readme:
        raise SystemExit(f"README.md lacks the markers {START} / {END}")
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table()}\n{END}{tail}"


def main() -> int:
    """Rewrite or check the README's points table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if README.md is out of date")
    args = parser.parse_args()
    path = ROOT / "README.md"
    old = path.read_text()
    new = render(old)
    if args.check:
        if new != old:
            print("README.md points table is stale: run `make points-table`", file=sys.stderr)
            return 1
        return 0
    path.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
