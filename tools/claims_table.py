"""Measure every claim of the chapter over the claims seeds and write the README's claims table.

The expectations (which experiment, which number, which bound) are the ones ``tests/test_claims.py`` asserts,
and the experiments are the lessons' own functions in ``helpers.experiments``: nothing is copied here.

    python tools/claims_table.py --readme README.md   # rewrite the table between the README markers
    python tools/claims_table.py --print               # only print the table

Exit status: 0 when the table was written (or printed) and every claim held, 1 when the README lacks the
markers (the table is printed instead), 2 when a claim failed its bound (the table still shows it).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
START = "<!-- claims-table:start -->"
END = "<!-- claims-table:end -->"


def load_claims_module() -> ModuleType:
    """Import ``tests/test_claims.py`` (where the expectations live) by path."""
    path = ROOT / "tests" / "test_claims.py"
    spec = importlib.util.spec_from_file_location("course_claims", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while the class is created
    spec.loader.exec_module(module)
    return module


def fmt(value: float, like: float | None = None) -> str:
    """A compact, readable number: integers as such, tiny values in scientific notation; ``like`` formats a
    spread with the precision of the mean it goes with."""
    if value == int(value) and abs(value) < 1e6:
        return str(int(value))
    if abs(value) < 1e-3:
        return f"{value:.1e}"
    if abs(value if like is None else like) >= 10:
        return f"{value:.1f}"
    return f"{value:.3f}"


def cell(text: str) -> str:
    """Text safe inside a markdown table cell (pipes escaped)."""
    return text.replace("|", "\\|")


def measure_all(claims: ModuleType, seeds: tuple[int, ...], log=print) -> dict[str, list[float]]:
    """Values of every expectation for every seed, each (experiment, arguments, seed) run once."""
    results: dict[tuple, object] = {}
    values: dict[str, list[float]] = {}
    for expectation in claims.EXPECTATIONS:
        row = []
        for seed in seeds:
            key = (expectation.experiment, tuple(sorted(expectation.kwargs.items())), seed)
            if key not in results:
                start = time.perf_counter()
                results[key] = expectation.run(seed)
                log(f"  {expectation.experiment}{expectation.kwargs or ''} seed {seed}: "
                    f"{time.perf_counter() - start:.1f} s")  # fmt: skip
            row.append(float(results[key][expectation.key]))
        values[expectation.id] = row
    return values


def render(claims: ModuleType, values: dict[str, list[float]], seeds: tuple[int, ...]) -> tuple[str, int]:
    """The markdown table and the number of expectations that failed."""
    lines = [
        f"Measured over seeds {', '.join(map(str, seeds))} (each seed draws its own split, label noise and "
        "initial weights); ± is the standard deviation over seeds. Benchmark: 300 training digits with 20% "
        "flipped labels, ~1,500 clean validation digits, 60 epochs, Adam.",
        "",
        "| | Claim | Measurement | Mean ± s.d. | Per seed | Test asserts | Holds |",
        "|---|---|---|---|---|---|---|",
    ]
    failed = 0
    for e in claims.EXPECTATIONS:
        row = values[e.id]
        mean = statistics.fmean(row)
        sd = statistics.stdev(row) if len(row) > 1 else 0.0
        ok = e.failure(row) is None
        failed += not ok
        per_seed = ", ".join(fmt(v) for v in row)
        lines.append(
            f"| {e.id} | {cell(e.claim)} | {cell(e.measurement)} | {fmt(mean)} ± {fmt(sd, like=mean)} | {per_seed} | "
            f"{e.describe_bound()} | {'yes' if ok else '**no**'} |"
        )
    return "\n".join(lines), failed


def replace_between_markers(text: str, table: str) -> str | None:
    """``text`` with the block between the claims-table markers replaced, or ``None`` if they are missing."""
    if START not in text or END not in text or text.index(START) > text.index(END):
        return None
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md", help="file with the table markers")
    parser.add_argument("--print", dest="print_only", action="store_true", help="print the table only")
    parser.add_argument(
        "--seeds", type=int, nargs="+", default=None, help="seeds (default: the tests' seeds)"
    )
    args = parser.parse_args(argv)

    from helpers.setup import quiet_tensorflow

    quiet_tensorflow()
    claims = load_claims_module()
    seeds = tuple(args.seeds) if args.seeds else tuple(claims.SEEDS)
    print(f"Measuring {len(claims.EXPECTATIONS)} expectations over seeds {seeds} ...", file=sys.stderr)
    values = measure_all(claims, seeds, log=lambda msg: print(msg, file=sys.stderr))
    table, failed = render(claims, values, seeds)

    if args.print_only:
        print(table)
    else:
        text = args.readme.read_text(encoding="utf-8") if args.readme.is_file() else ""
        updated = replace_between_markers(text, table)
        if updated is None:
            print(table)
            print(f"error: {args.readme} has no '{START}' ... '{END}' block; add the two markers where the "
                  "table belongs and run again (the table is printed above).", file=sys.stderr)  # fmt: skip
            return 1
        args.readme.write_text(updated, encoding="utf-8")
        print(f"Wrote the claims table ({len(claims.EXPECTATIONS)} rows) into {args.readme}", file=sys.stderr)
    if failed:
        print(f"error: {failed} claim(s) did not hold; see the 'Holds' column.", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
