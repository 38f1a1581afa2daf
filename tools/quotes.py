"""Figures the course's text quotes from its measurements, checked against the measured claims.

A measured figure in a lesson or exercise is written with the claim it comes from, in an HTML comment that the
learner never sees:  ``validation accuracy of 0.80<!-- claim a5 -->``. What the figure is compared with depends
on its form, within one unit of its last written digit (0.80 admits 0.79 to 0.81, 0.8 admits 0.7 to 0.9;
runs of TensorFlow on a CPU differ in the last digits), a percentage read as a fraction:

    0.80                the mean over the seeds
    0.19 ± 0.02         the mean, and the standard deviation over the seeds
    0.44–0.50           the lowest and the highest seed (also ``0.44 to 0.50``)

The French twins write the same figures the French way (``0,80``, ``0,44 à 0,50``, ``99 %``).

``<!-- claim d4 max -->`` (or ``min``) compares a single figure with one end instead of the mean.

    python -m tools.quotes                       # check against docs/claims.json (the published measurement)
    python -m tools.quotes --claims build/claims.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import jupytext

from tools.build import pairs

ROOT = Path(__file__).resolve().parent.parent
TAG = re.compile(r"<!--\s*claim\s+(?P<id>[a-z]\d+)(?:\s+(?P<stat>min|max))?\s*-->")
# A decimal point in English, a decimal comma in the French twins ("0,80", "0,44 à 0,50").
NUMBER = r"[+\-−]?\d+(?:[.,]\d+)?"
FIGURE = re.compile(rf"(?P<a>{NUMBER})(?:\s*(?P<op>±|–|to|à)\s*(?P<b>{NUMBER}))?(?P<pct>\s*%)?\s*\**\s*$")
# Phrases that quote a measurement: they must carry a claim tag (or be printed by a code cell instead).
HEDGED = re.compile(
    r"(?:~|≈|\babout\b|\baround\b|\bnearly\b|\balmost\b|\benviron\b|\bautour de\b|\bprès de\b|\bpresque\b)"
    rf"\s*{NUMBER}|±|(?<![\w.,])\d+(?:[.,]\d+)?\s*–\s*\d+(?:[.,]\d+)?"
)


@dataclass(frozen=True)
class Quote:
    """One tagged figure of the course's text."""

    where: str
    figure: str
    claim: str
    stat: str | None


def markdown_cells(root: Path = ROOT) -> list[tuple[str, str]]:
    """(``file [cell id]``, text) of every markdown cell of every authoring file."""
    cells = []
    for src, _, _lang in pairs(root):
        name = "?"
        for cell in jupytext.read(src, fmt="py:percent").cells:
            if cell.cell_type == "markdown":
                lang = cell.metadata.get("lang")
                if not lang:
                    name = cell.metadata.get("id") or cell.metadata.get("nbgrader", {}).get("grade_id", "?")
                cells.append((f"{src.relative_to(root)} [{name}{f', {lang}' if lang else ''}]", cell.source))
    return cells


def _prose(text: str) -> str:
    """Text without code spans and maths, where a number is not a quote."""
    return re.sub(r"\$[^$]*\$", "", re.sub(r"`[^`]*`", "", text))


def find_quotes(where: str, text: str) -> tuple[list[Quote], list[str]]:
    """The tagged figures of one text, and the problems: a tag without a figure before it."""
    found, problems = [], []
    for match in TAG.finditer(text):
        before = text[: match.start()].rsplit("\n", 1)[-1]
        figure = FIGURE.search(before)
        if figure is None:
            problems.append(f"{where}: no figure right before `{match.group(0)}`")
            continue
        found.append(Quote(where, figure.group(0).strip(" *"), match.group("id"), match.group("stat")))
    return found, problems


def untagged(where: str, text: str) -> list[str]:
    """Hedged figures (``~0.8``, ``about 0.89``, ``0.19 ± 0.02``) without a claim tag after them."""
    problems = []
    for line in _prose(text).splitlines():
        for match in HEDGED.finditer(line):
            rest = line[match.end() :]
            tail = re.match(rf"\s*(?:{NUMBER})?\s*%?\s*\**\s*<!--\s*claim", rest)
            if not tail:
                problems.append(
                    f"{where}: untagged measured figure {line[max(0, match.start() - 20) : match.end() + 20]!r}"
                )
    return problems


def _decimals(text: str) -> int:
    """How many decimals a written number has."""
    text = text.replace(",", ".")
    return len(text.split(".", 1)[1]) if "." in text else 0


def _agrees(written: str, value: float, scale: float) -> bool:
    """Whether ``value`` is within one unit of the last digit of ``written``."""
    quoted = float(written.replace("−", "-").replace(",", "."))
    return abs(quoted - value * scale) <= 10 ** -_decimals(written) + 1e-9


def disagreement(quote: Quote, claims: dict) -> str | None:
    """None when the figure agrees with the measurement, else what was quoted against what was measured."""
    data = claims["claims"].get(quote.claim)
    if data is None:
        return f"{quote.where}: {quote.figure!r} cites claim {quote.claim}, which is not measured"
    match = FIGURE.search(quote.figure)
    assert match is not None
    scale = 100.0 if match.group("pct") else 1.0
    values = data["values"]
    a, op, b = match.group("a"), match.group("op"), match.group("b")
    if op == "±":
        checks = [(a, data["mean"], "mean"), (b, data["sd"], "s.d.")]
    elif op:
        checks = [(a, min(values), "lowest seed"), (b, max(values), "highest seed")]
    else:
        stat = quote.stat or "mean"
        measured = {"mean": data["mean"], "min": min(values), "max": max(values)}[stat]
        checks = [(a, measured, stat)]
    wrong = [
        f"{what} {value * scale:.4g}" for written, value, what in checks if not _agrees(written, value, scale)
    ]
    if not wrong:
        return None
    return (
        f"{quote.where}: {quote.figure!r} (claim {quote.claim}) disagrees with the measurement: "
        + ", ".join(wrong)
    )


def check(claims: dict, root: Path = ROOT) -> list[str]:
    """Every problem with the course's quoted figures against ``claims``."""
    problems = []
    for where, text in markdown_cells(root):
        found, bad = find_quotes(where, text)
        problems += bad + untagged(where, text)
        problems += [p for q in found if (p := disagreement(q, claims))]
    return problems


def main(argv: list[str] | None = None) -> int:
    """Command line: check the quoted figures against a claims file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=Path, default=ROOT / "docs" / "claims.json")
    args = parser.parse_args(argv)
    problems = check(json.loads(args.claims.read_text(encoding="utf-8")))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(
            f"{len(problems)} quoted figure(s) to fix in course/ (measurement: {args.claims})",
            file=sys.stderr,
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
