"""Checks of 07_quiz: the format of an answer (one letter among the options) and the answer itself."""

from __future__ import annotations

from typing import Any

from helpers import checks
from helpers._common import quietly


def _letter(value: Any, name: str, options: str) -> str:
    """The quiz answer ``value`` as one lower-case letter among ``options``; else fail."""
    choices = ", ".join(repr(o) for o in options)
    if value is None:
        raise AssertionError(
            f"{name} has no answer yet: set it to one letter as a string, one of {choices}, and run its cell."
        )
    if not isinstance(value, str):
        raise AssertionError(
            f"{name} is {checks.format_value(value)}; set it to one letter as a string, one of {choices}."
        )
    letter = value.strip().lower()
    if len(letter) != 1 or letter not in options.lower():
        raise AssertionError(f"{name} is {value!r}; set it to one letter, one of {choices}.")
    return letter


@quietly
def check_quiz_format(value: Any, name: str, options: str = "abcd") -> bool:
    """Check that a quiz answer is a single letter among the options (the format, not the answer)."""
    _letter(value, name, options)
    return True


@quietly
def check_quiz_answer(value: Any, name: str, options: str, answer: str) -> bool:
    """Check a quiz answer against the right option (case and surrounding spaces ignored)."""
    if _letter(value, name, options) != answer.strip().lower():
        raise AssertionError(f"{name} = {value!r} is not the right answer.")
    return True
