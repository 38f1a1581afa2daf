"""The quiz (07_quiz) in French: its checks' messages and the explanations of its hidden tests.

Each hidden test cell of ``course/exercises/07_quiz.py`` gives, for every wrong option, why it is wrong in
English and in French (``why = {"a": {"en": ..., "fr": ...}, ...}``); a learner reads the explanation, and the
check's own message around it, in the language chosen by the set-up cell (``COURSE_LANG``).
"""

from __future__ import annotations

import re

import pytest
from test_grading import quiz_hidden_calls

from helpers import grading
from helpers.i18n import ENV

CALLS = quiz_hidden_calls()  # read from the source notebook, whose code cells both editions share


def message(check, *args, **kwargs) -> str:
    """The message of a failing check."""
    with pytest.raises(AssertionError) as failed:
        check(*args, **kwargs)
    return str(failed.value)


def test_every_explanation_of_the_quiz_is_given_in_english_and_in_french() -> None:
    assert len(CALLS) == 14
    for name, (options, right, why) in CALLS.items():
        assert set(why) == set(options) - {right}, name
        for letter, texts in why.items():
            assert set(texts) == {"en", "fr"}, f"{name} {letter}: {texts!r}"
            french = texts["fr"]
            assert french != texts["en"]
            assert 40 <= len(french) <= 300 and "\n" not in french, (
                f"{name} {letter}: {len(french)} characters"
            )
            assert french[0].isupper() and french.endswith("."), (
                f"{name} {letter}: not a sentence: {french!r}"
            )
            named = re.search(
                rf"\b(option|réponse|lettre)s?\s+\(?{right}\b|\({right}\)|\b{right}\.\s", french, re.I
            )
            assert not named, f"{name} {letter}: the explanation names option {right!r}: {french!r}"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_wrong_answer_gets_the_explanation_of_its_option_in_the_course_language(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, lang)
    verdict = {"en": "is not the right answer:", "fr": "n'est pas la bonne réponse :"}[lang]
    for name, (options, right, why) in CALLS.items():
        assert grading.check_quiz_answer(f" {right.upper()} ", name, options, right, why=why)
        for letter, texts in why.items():
            shown = message(grading.check_quiz_answer, letter, name, options, right, why=why)
            assert shown == f"{name} = {letter!r} {verdict} {texts[lang]}"
            assert all(texts[other] not in shown for other in ("en", "fr") if other != lang)


def test_a_wrong_answer_in_french(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "fr")
    options, right, why = CALLS["q10"]
    assert message(grading.check_quiz_answer, "A", "q10", options, right, why=why) == (
        "q10 = 'a' n'est pas la bonne réponse : Additionner les valeurs absolues des poids, c'est la formule "
        "de la pénalité L1 ; une pénalité L2 se construit à partir des carrés des poids."
    )
    # Plain-string explanations are still accepted (shown as they are), and an option without one gets the
    # bare verdict.
    plain = {"a": "Une explication.", "b": {"en": "Only English."}}
    assert message(grading.check_quiz_answer, "a", "q1", "abcd", "c", why=plain) == (
        "q1 = 'a' n'est pas la bonne réponse : Une explication."
    )
    assert message(grading.check_quiz_answer, "b", "q1", "abcd", "c", why=plain) == (
        "q1 = 'b' n'est pas la bonne réponse : Only English."
    )
    assert message(grading.check_quiz_answer, "d", "q1", "abcd", "c", why=plain) == (
        "q1 = 'd' n'est pas la bonne réponse."
    )


def test_a_wrong_answer_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "en")
    options, right, why = CALLS["q10"]
    assert message(grading.check_quiz_answer, "A", "q10", options, right, why=why) == (
        "q10 = 'a' is not the right answer: Summing the absolute values of the weights is the L1 penalty's "
        "formula; an L2 penalty is built from the squared weights."
    )
    plain = {"a": "An explanation.", "b": {"en": "Only English.", "fr": "Seulement en français."}}
    assert message(grading.check_quiz_answer, "a", "q1", "abcd", "c", why=plain) == (
        "q1 = 'a' is not the right answer: An explanation."
    )
    assert message(grading.check_quiz_answer, "b", "q1", "abcd", "c", why=plain) == (
        "q1 = 'b' is not the right answer: Only English."
    )
    assert message(grading.check_quiz_answer, "d", "q1", "abcd", "c", why=plain) == (
        "q1 = 'd' is not the right answer."
    )


BAD_FORMATS = {
    None: (
        "q1 has no answer yet: set it to one letter as a string, one of 'a', 'b', 'c', 'd', and run its cell.",
        "q1 n'a pas encore de réponse : donnez-lui pour valeur une seule lettre, sous forme de chaîne, "
        "parmi 'a', 'b', 'c', 'd', puis exécutez sa cellule.",
    ),
    3: (
        "q1 is 3; set it to one letter as a string, one of 'a', 'b', 'c', 'd'.",
        "q1 vaut 3 ; donnez-lui pour valeur une seule lettre, sous forme de chaîne, parmi 'a', 'b', 'c', 'd'.",
    ),
    " ab ": (
        "q1 is ' ab '; set it to one letter, one of 'a', 'b', 'c', 'd'.",
        "q1 vaut ' ab ' ; donnez-lui pour valeur une seule lettre parmi 'a', 'b', 'c', 'd'.",
    ),
}


@pytest.mark.parametrize("value", list(BAD_FORMATS), ids=repr)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_badly_formatted_answer_is_told_so_in_the_course_language(
    value: object, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, lang)
    expected = BAD_FORMATS[value][lang == "fr"]
    assert message(grading.check_quiz_format, value, "q1", "abcd") == expected
    # The hidden test checks the format first, with the same message.
    options, right, why = CALLS["q1"]
    assert message(grading.check_quiz_answer, value, "q1", options, right, why=why) == expected


def test_the_fresh_copy_of_a_hidden_test_speaks_french(monkeypatch: pytest.MonkeyPatch) -> None:
    """A hidden test cell checks with ``grading.fresh()``, a copy loaded from disk: it reads the language too."""
    monkeypatch.setenv(ENV, "fr")
    fresh = grading.fresh()
    options, right, why = CALLS["q4"]
    shown = message(fresh.check_quiz_answer, "d", "q4", options, right, why=why)
    assert shown == f"q4 = 'd' n'est pas la bonne réponse : {why['d']['fr']}"
    assert message(fresh.check_quiz_format, "e", "q4", "abcd").startswith("q4 vaut 'e' ; ")
