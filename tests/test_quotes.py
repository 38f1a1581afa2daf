"""Figures quoted in the course's text agree with the published measurement (docs/claims.json).

``tests/test_claims.py`` checks them again against the measurement it has just made.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools import quotes

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = {"claims": {"a1": {"values": [0.194, 0.208, 0.172], "mean": 0.1913, "sd": 0.0181}}}


def test_every_quoted_figure_agrees_with_the_published_measurement() -> None:
    published = json.loads((ROOT / "docs" / "claims.json").read_text(encoding="utf-8"))
    problems = quotes.check(published)
    assert not problems, "\n".join(problems)


def test_the_course_quotes_measurements() -> None:
    found = [q for where, text in quotes.markdown_cells() for q in quotes.find_quotes(where, text)[0]]
    assert len(found) >= 20, f"only {len(found)} tagged figures in the course"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a gap of 0.19<!-- claim a1 -->", None),
        ("a gap of 0.2<!-- claim a1 -->", None),
        ("a gap of 0.20<!-- claim a1 -->", None),
        ("a gap of 0.17<!-- claim a1 -->", "mean 0.1913"),
        ("a gap of 19 %<!-- claim a1 -->", None),
        ("a gap of 0.19 ± 0.02<!-- claim a1 -->", None),
        ("between 0.17–0.21<!-- claim a1 -->", None),
        ("at most 0.21<!-- claim a1 max -->", None),
        ("a gap of 0.25<!-- claim a1 -->", "mean 0.1913"),
        ("a gap of 0.191 ± 0.05<!-- claim a1 -->", "s.d. 0.0181"),
        ("between 0.15–0.21<!-- claim a1 -->", "lowest seed 0.172"),
        ("a gap of 0.19<!-- claim z9 -->", "not measured"),
        ("a gap <!-- claim a1 -->", "no figure"),
        ("un écart de 0,19<!-- claim a1 -->", None),
        ("un écart de 19 %<!-- claim a1 -->", None),
        ("un écart de 0,19 ± 0,02<!-- claim a1 -->", None),
        ("entre 0,17 à 0,21<!-- claim a1 -->", None),
        ("un écart de 0,25<!-- claim a1 -->", "mean 0.1913"),
        ("entre 0,15 à 0,21<!-- claim a1 -->", "lowest seed 0.172"),
    ],
)
def test_figures_are_read_at_their_precision(text: str, problem: str | None) -> None:
    found, bad = quotes.find_quotes("here", text)
    problems = bad + [p for q in found if (p := quotes.disagreement(q, CLAIMS))]
    if problem is None:
        assert not problems
    else:
        assert len(problems) == 1 and problem in problems[0], problems


@pytest.mark.parametrize(
    "text",
    [
        "about 0.89 with L2",
        "~80 % of the weights",
        "0.19 ± 0.02",
        "epochs 15–22",
        "environ 0,89 avec L2",
        "près de 80 % des poids",
        "époques 15–22",
    ],
)
def test_an_untagged_measured_figure_is_reported(text: str) -> None:
    assert quotes.untagged("here", text), text


@pytest.mark.parametrize(
    "text", ["about 0.89<!-- claim a1 -->", "claims c1–c2", "`Dropout(0.5)`", "20 % wrong"]
)
def test_tagged_figures_and_settings_are_not_reported(text: str) -> None:
    assert not quotes.untagged("here", text), text
