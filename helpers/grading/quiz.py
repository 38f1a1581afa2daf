"""Checks of 07_quiz: the format of an answer (one letter among the options) and the answer itself.

Why a wrong option is wrong is written in the question's hidden test cell and passed to
:func:`check_quiz_answer` (``why={"a": "...", ...}``, each explanation a plain string or one text per language,
``{"en": "...", "fr": "..."}``), never here: this file is readable by learners, and a table of explanations
would show which option has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from helpers import checks
from helpers._common import quietly
from helpers.i18n import _, pick


def _letter(value: Any, name: str, options: str) -> str:
    """The quiz answer ``value`` as one lower-case letter among ``options``; else fail."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    choices = ", ".join(repr(o) for o in options)
    if value is None:
        raise AssertionError(
            _(
                "{name} has no answer yet: set it to one letter as a string, one of {choices}, and run its cell."
            ).format(name=name, choices=choices)
        )
    if not isinstance(value, str):
        raise AssertionError(
            _("{name} is {value}; set it to one letter as a string, one of {choices}.").format(
                name=name, value=checks.format_value(value), choices=choices
            )
        )
    letter = value.strip().lower()
    if len(letter) != 1 or letter not in options.lower():
        raise AssertionError(
            _("{name} is {value!r}; set it to one letter, one of {choices}.").format(
                name=name, value=value, choices=choices
            )
        )
    return letter


@quietly
def check_quiz_format(value: Any, name: str, options: str = "abcd") -> bool:
    """Check that a quiz answer is a single letter among the options (the format, not the answer)."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    _letter(value, name, options)
    return True


def _explanation(text: Any) -> str:
    """One wrong option's explanation in the current language (a plain string, or one text per language)."""
    return str(pick(text) if isinstance(text, Mapping) else text).strip()


@quietly
def check_quiz_answer(
    value: Any,
    name: str,
    options: str,
    answer: str,
    why: Mapping[str, str | Mapping[str, str]] | None = None,
) -> bool:
    """Check a quiz answer against the right option (case and surrounding spaces ignored).

    ``why`` maps each wrong option to why it is wrong, as a plain string or as one text per language
    (``{"en": ..., "fr": ...}``, shown in the course's language): a wrong answer's message is that explanation,
    which never names the right option (an option without one gets the bare "not the right answer")."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    letter = _letter(value, name, options)
    if letter != answer.strip().lower():
        explanations = {str(key).strip().lower(): _explanation(text) for key, text in (why or {}).items()}
        explanation = explanations.get(letter, "")
        if explanation:
            raise AssertionError(
                _("{name} = {letter!r} is not the right answer: {explanation}").format(
                    name=name, letter=letter, explanation=explanation
                )
            )
        raise AssertionError(
            _("{name} = {letter!r} is not the right answer.").format(name=name, letter=letter)
        )
    return True
