"""French messages of ``helpers.checks`` and ``helpers.grading._core``: a wrong answer's message comes in French
when ``COURSE_LANG`` is "fr" and in English otherwise (catalog ``helpers/locale/fr/LC_MESSAGES/checks.po``)."""

from __future__ import annotations

import pytest

from helpers import checks as C
from helpers.checks.learner import not_written
from helpers.grading import _core
from helpers.i18n import ENV

keras = pytest.importorskip("keras")


@pytest.fixture(params=["en", "fr"])
def lang(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test once in English (COURSE_LANG unset) and once in French (COURSE_LANG=fr)."""
    if request.param == "fr":
        monkeypatch.setenv(ENV, "fr")
    else:
        monkeypatch.delenv(ENV, raising=False)
    return request.param


def message(fn, *args, **kwargs) -> str:
    """The message of the AssertionError that ``fn(*args, **kwargs)`` raises."""
    with pytest.raises(AssertionError) as info:
        fn(*args, **kwargs)
    return str(info.value)


def test_not_written_answer(lang):
    def build_model(input_dim):
        raise NotImplementedError()

    expected = {
        "en": "build_model is not written yet: replace `raise NotImplementedError()` with your code.",
        "fr": "build_model n'est pas encore écrite : remplacez `raise NotImplementedError()` par votre code.",
    }
    assert message(C.call_learner, build_model, 20) == expected[lang]


def test_learner_error_and_call_text(lang):
    def summarize(table):
        raise KeyError("loss")

    expected = {
        "en": "summarize(<dict of 2 items>) raised KeyError: 'loss'",
        "fr": "summarize(<dict de 2 éléments>) a levé KeyError : 'loss'",
    }
    assert message(C.call_learner, summarize, {"a": 1, "b": 2}) == expected[lang]


def test_expect_model(lang):
    expected = {
        "en": "build_model(20) returned None: did you forget `return model`?",
        "fr": "build_model(20) a renvoyé None : avez-vous oublié `return model` ?",
    }
    assert message(C.expect_model, None, "build_model(20)") == expected[lang]


def test_early_stopping_and_default_what(lang):
    callback = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=5, restore_best_weights=True)
    expected = {
        "en": "the function: the callback monitors 'val_accuracy'; expected monitor='val_loss'.",
        "fr": "la fonction : le callback surveille 'val_accuracy' ; attendu : monitor='val_loss'.",
    }
    assert message(C.assert_early_stopping, callback, patience=5) == expected[lang]


def test_uncompiled_model(lang):
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, activation="softmax")])
    expected = {
        "en": "build_model(4) must compile the model before returning it: call model.compile(...).",
        "fr": "build_model(4) doit compiler le modèle avant de le renvoyer : appelez model.compile(...).",
    }
    assert message(C.assert_compiled, model, what="build_model(4)") == expected[lang]


def test_layer_sequence_and_regularizer(lang):
    model = keras.Sequential(
        [
            keras.Input(shape=(4,)),
            keras.layers.Dense(8, activation="relu", kernel_regularizer=keras.regularizers.L2(0.01)),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    penalized = [
        {"type": "Dense", "units": 8, "kernel_regularizer": {"l1": 0.01, "l2": 0.01}},
        {"type": "Dense", "units": 3, "activation": "softmax"},
    ]
    expected = {
        "en": "build_model(4): kernel_regularizer of layer 1 (Dense) is L2(0.01); "
        "expected L1L2 with l1=0.01 and l2=0.01.",
        "fr": "build_model(4) : kernel_regularizer de la couche 1 (Dense) est L2(0.01) ; "
        "attendu : L1L2 avec l1=0.01 et l2=0.01.",
    }
    assert message(C.assert_layer_sequence, model, penalized, "build_model(4)") == expected[lang]

    dropout = [{"type": "Dense", "units": 8}, {"type": "Dropout"}, {"type": "Dense", "units": 3}]
    expected = {
        "en": "m: layer 2 should be Dropout(), found Dense (a Dropout layer is missing before it).",
        "fr": "m : la couche 2 devrait être Dropout(), mais c'est Dense "
        "(il manque une couche Dropout avant celle-ci).",
    }
    assert message(C.assert_layer_sequence, model, dropout, "m") == expected[lang]


def test_core_number_and_integer(lang):
    expected = {
        "en": "l1_penalty(w, 0.01) returned an array of shape (2,); expected a single number.",
        "fr": "l1_penalty(w, 0.01) a renvoyé un tableau de forme (2,) ; un seul nombre est attendu.",
    }
    assert message(_core.as_number, [1.0, 2.0], "l1_penalty(w, 0.01)") == expected[lang]
    expected = {
        "en": "best_epoch(history) returned the float 3; return an int (int(...)).",
        "fr": "best_epoch(history) a renvoyé le flottant 3 ; renvoyez un entier (int(...)).",
    }
    assert message(_core.as_integer, 3.0, "best_epoch(history)") == expected[lang]


def test_core_history_hint(lang):
    def gap(history):
        return history["accuracy"][-1]

    history = _core.fake_history({"accuracy": [0.5]}, as_object=True)
    what = f"gap(history) with {_core.history_kind(True)}"
    hint, errors = _core.HISTORY_HINT, _core.HISTORY_ERRORS
    text = message(_core.call, gap, history, what=what, hint=hint, hint_when=errors)
    start = {
        "en": "gap(history) with a History object raised TypeError: ",
        "fr": "gap(history) with un objet History a levé TypeError : ",
    }
    hint = {
        "en": " (a history may be a keras History or its .history dict: use `history = ",
        "fr": " (un historique peut être un objet History de Keras ou son dictionnaire .history : "
        "utilisez `history = ",
    }
    assert text.startswith(start[lang]) and hint[lang] in text and text.endswith(".")


def test_core_no_hint_for_an_unwritten_answer(lang):
    def gap(history):
        raise NotImplementedError()

    text = message(_core.call, gap, {}, what="gap(history)", hint=" (a hint)", hint_when=("",))
    assert text == not_written("gap")
    assert "(a hint)" not in text
