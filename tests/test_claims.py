"""Every claim of the chapter, measured over three seeds with the lessons' own experiments.

The expectations (experiment, number, bound) and the measuring live in ``helpers.claims``; this module asserts
one bound per expectation. One training per (experiment, seed) is shared by the module, and what this run
measured is written to ``build/claims.json`` (``helpers.claims.LATEST``, same format as the published
``docs/claims.json``). The format of the data and the README's table are tested in ``test_claims_data.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from helpers import claims
from helpers.claims import EXPECTATIONS, Expectation
from tools import quotes


@pytest.fixture(scope="module")
def measurer() -> Iterator[claims.Measurer]:
    """One measurer for the module; on teardown its measurements go to ``build/claims.json``."""
    m = claims.Measurer()
    yield m
    m.close()
    if m.values:
        claims.dump(m.data(), claims.LATEST)


@pytest.mark.slow
@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=[f"{e.id}-{e.key}" for e in EXPECTATIONS])
def test_claim(expectation: Expectation, measurer: claims.Measurer) -> None:
    values = measurer.measure(expectation)
    problem = expectation.failure(values)
    assert problem is None, problem


@pytest.mark.slow
def test_quoted_figures_agree_with_this_measurement(measurer: claims.Measurer) -> None:
    """Every figure the lessons and exercises quote from a claim agrees with what this run measured."""
    for expectation in EXPECTATIONS:
        measurer.measure(expectation)  # already measured above: read from the module's runs
    problems = quotes.check(measurer.data())
    assert not problems, "\n".join(problems)
