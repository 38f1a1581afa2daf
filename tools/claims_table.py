"""Measure every claim of the chapter, publish the measurement in docs/claims.json and write the README's table.

The expectations (which experiment, which number, which bound) and the measuring live in ``helpers.claims``,
the same module ``tests/test_claims.py`` asserts with; the experiments are the lessons' own functions in
``helpers.experiments``: nothing is copied here. The README's table is always rendered from a claims-data file.

    python -m tools.claims_table --readme README.md       # measure, write docs/claims.json, rewrite the table
    python -m tools.claims_table --print                   # measure and only print the table (writes nothing)
    python -m tools.claims_table --from docs/claims.json   # rewrite the table from a data file (no training)
    python -m tools.claims_table --check                   # exit 1 if the README's table is not docs/claims.json's

Exit status: 0 when the table was written (or printed, or is up to date) and every claim held, 1 when the
README lacks the markers (the table is printed instead) or, with ``--check``, when its table is stale, 2 when a
claim failed its bound (the table still shows it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from helpers import claims

ROOT = Path(__file__).resolve().parents[1]


def log(message: str) -> None:
    """A progress line on stderr."""
    print(message, file=sys.stderr)


def shown(path: Path) -> str:
    """``path`` relative to the repository when it is inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def measure(seeds: list[int] | None) -> dict[str, Any]:
    """Train every claim experiment once per seed and return the claims data."""
    from helpers.setup import quiet_tensorflow

    quiet_tensorflow()
    measurer = claims.Measurer(seeds, log=log)
    log(f"Measuring {len(claims.EXPECTATIONS)} expectations over seeds {measurer.seeds} ...")
    try:
        measurer.measure_all()
    finally:
        measurer.close()
    return measurer.data()


def check(readme: Path, source: Path) -> int:
    """0 when the README's table is what ``source`` renders, else 1 with the command that fixes it."""
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    updated = claims.replace_table(text, claims.render(claims.load(source)))
    if updated is None:
        log(f"error: {shown(readme)} has no '{claims.START}' ... '{claims.END}' block.")
        return 1
    if updated != text:
        log(f"error: the claims table of {shown(readme)} differs from {shown(source)}: run "
            f"`python -m tools.claims_table --from {shown(source)} --readme {shown(readme)}` "
            "(or `make claims-table` to measure again).")  # fmt: skip
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md", help="file with the table markers")
    parser.add_argument("--print", dest="print_only", action="store_true", help="print the table only")
    parser.add_argument(
        "--seeds", type=int, nargs="+", default=None, help="seeds (default: the tests' seeds)"
    )
    parser.add_argument("--out", type=Path, default=claims.PUBLISHED, help="where a measurement is written")
    parser.add_argument(
        "--from", dest="source", type=Path, default=None, help="render from this data file (no training)"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the README's table is not what --from renders"
    )
    args = parser.parse_args(argv)

    if args.check:
        return check(args.readme, args.source or claims.PUBLISHED)
    if args.source is not None:
        data = claims.load(args.source)
    else:
        data = measure(args.seeds)
        if not args.print_only:
            log(f"Wrote the measurement into {claims.dump(data, args.out)}")
    table = claims.render(data)

    if args.print_only:
        print(table)
    else:
        text = args.readme.read_text(encoding="utf-8") if args.readme.is_file() else ""
        updated = claims.replace_table(text, table)
        if updated is None:
            print(table)
            log(f"error: {args.readme} has no '{claims.START}' ... '{claims.END}' block; add the two markers "
                "where the table belongs and run again (the table is printed above).")  # fmt: skip
            return 1
        args.readme.write_text(updated, encoding="utf-8")
        log(f"Wrote the claims table ({len(data['claims'])} rows) into {args.readme}")
    failures = claims.failed(data)
    if failures:
        log(f"error: {len(failures)} claim(s) did not hold ({', '.join(failures)}); see the 'Holds' column.")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
