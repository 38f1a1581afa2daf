"""French messages of the exercise checks (helpers/grading/*.py): a wrong answer's message comes in French when
``COURSE_LANG`` is "fr" and in English otherwise, and every wrapped message of the checker modules has a French
translation with the same fields in ``helpers/locale/fr/LC_MESSAGES/grading.po``."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import grading
from helpers.i18n import ENV


def _keras():
    import keras

    return keras


# Wrong answers, one per check, each with a typical mistake.


def l1_without_abs(weights, factor):
    return float(factor * np.sum(weights))


def best_epoch_zero_based(history, monitor="val_loss"):
    series = getattr(history, "history", history)[monitor]
    return int(np.argmin(series) if "loss" in monitor else np.argmax(series))


def always_good_fit(history, gap_threshold=0.1, underfit_threshold=0.8):
    return "good fit"


def dropout_unscaled(x, rate, rng=None):
    rng = rng if rng is not None else np.random.default_rng()
    return x * (rng.random(x.shape) >= rate)


def batchnorm_unbiased(x, gamma, beta, epsilon=1e-3):
    return gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0, ddof=1) + epsilon) + beta


def moving_average_swapped(moving, batch_value, momentum=0.99):
    return moving * (1 - momentum) + batch_value * momentum


def penalized_layer_in_a_model(units):
    keras = _keras()
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(units, activation="relu")])


def tuned_model_one_output(input_dim, num_classes):
    keras = _keras()
    model = keras.Sequential(
        [keras.Input((input_dim,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def early_stopping_max(patience=5):
    keras = _keras()
    return keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=patience, mode="max", restore_best_weights=True
    )


def summary_as_dict(histories):
    return {name: {} for name in histories}


# (check, wrong answer, English fragments, French fragments)
CASES = {
    "l1_penalty": (
        grading.check_l1_penalty,
        l1_without_abs,
        [
            "l1_penalty(w, 0.01) for w of shape (6, 4) returned",
            "(keras.regularizers.L1(0.01) gives that)",
            "take the absolute value of each weight before summing",
        ],
        [
            "l1_penalty(w, 0.01) pour w de forme (6, 4) a renvoyé",
            "(la valeur que donne keras.regularizers.L1(0.01))",
            "prenez la valeur absolue de chaque poids avant de faire la somme",
        ],
    ),
    "best_epoch": (
        grading.check_best_epoch,
        best_epoch_zero_based,
        ["best_epoch(history) with", "epochs are counted from 1, so add 1 to the 0-based index."],
        [
            "best_epoch(history) avec",
            "les époques se comptent à partir de 1, ajoutez donc 1 à l'indice qui part de 0.",
        ],
    ),
    "diagnose_fit": (
        grading.check_diagnose_fit,
        always_good_fit,
        [
            "with last-epoch accuracy 0.62 and val_accuracy 0.6 returned 'good fit'; expected 'underfitting': "
            "training accuracy 0.62 is below underfit_threshold=0.8."
        ],
        [
            "avec, à la dernière époque, accuracy 0.62 et val_accuracy 0.6 a renvoyé 'good fit' au lieu de "
            "'underfitting' : l'exactitude d'entraînement 0.62 est inférieure à underfit_threshold=0.8."
        ],
    ),
    "dropout_forward": (
        grading.check_dropout_forward,
        dropout_unscaled,
        [
            "for x of shape (200, 500): kept elements are multiplied by 1; expected 1 / (1 - rate) = 1.25: "
            "scale the kept values by 1 / (1 - rate) (inverted dropout)."
        ],
        [
            "pour x de forme (200, 500) : les éléments conservés sont multipliés par 1 au lieu de "
            "1 / (1 - rate) = 1.25 : multipliez les valeurs conservées par 1 / (1 - rate) (Dropout inversé)."
        ],
    ),
    "batchnorm_forward": (
        grading.check_batchnorm_forward,
        batchnorm_unbiased,
        [
            "batchnorm_forward(x, gamma, beta) for x of shape (8, 5) differs from "
            "keras.layers.BatchNormalization(epsilon=0.001) called with training=True by up to",
            ": use the biased variance (divide by n, ddof=0) like Keras, not the unbiased one.",
        ],
        [
            "batchnorm_forward(x, gamma, beta) pour x de forme (8, 5) s'écarte jusqu'à",
            "de keras.layers.BatchNormalization(epsilon=0.001) appelée avec training=True : utilisez la variance "
            "biaisée (division par n, ddof=0) comme Keras, pas la variance non biaisée.",
        ],
    ),
    "update_moving_average": (
        grading.check_update_moving_average,
        moving_average_swapped,
        [
            "update_moving_average(moving_mean, batch_mean) with 4 features returned",
            "Keras's BatchNormalization(momentum=0.99) updates its moving mean to",
            ": the old value keeps the weight momentum: moving * momentum + batch * (1 - momentum).",
        ],
        [
            "update_moving_average(moving_mean, batch_mean) avec 4 caractéristiques a renvoyé",
            "la couche BatchNormalization(momentum=0.99) de Keras fait passer sa moyenne mobile à",
            " : c'est l'ancienne valeur qui reçoit le poids momentum, soit moving * momentum + batch * (1 - momentum).",
        ],
    ),
    "build_penalized_layer": (
        grading.check_build_penalized_layer,
        penalized_layer_in_a_model,
        ["build_penalized_layer(32) returned a model; return the Dense layer itself."],
        ["build_penalized_layer(32) a renvoyé un modèle ; renvoyez la couche Dense elle-même."],
    ),
    "build_tuned_model": (
        grading.check_build_tuned_model,
        tuned_model_one_output,
        [": the model outputs 1 values per example; expected 10 (one softmax unit per class)."],
        [" : le modèle produit 1 valeurs par exemple au lieu de 10 (une unité softmax par classe)."],
    ),
    "make_early_stopping": (
        grading.check_make_early_stopping,
        early_stopping_max,
        [
            "make_early_stopping(): the callback has mode='max'; a loss improves when it goes DOWN, so leave mode "
            "at 'auto' (or 'min')."
        ],
        [
            "make_early_stopping() : le callback a mode='max' ; une perte s'améliore quand elle BAISSE, laissez donc "
            "mode à 'auto' (ou 'min')."
        ],
    ),
    "summarize_runs": (
        grading.check_summarize_runs,
        summary_as_dict,
        [
            "summarize_runs(histories) with runs ['baseline', 'l2', 'dropout'] (History objects and dicts) returned "
            "a dict; expected a pandas DataFrame."
        ],
        [
            "summarize_runs(histories) avec les entraînements ['baseline', 'l2', 'dropout'] (objets History et "
            "dicts) a renvoyé un objet dict au lieu d'un DataFrame pandas."
        ],
    ),
}


def _message(check, fn) -> str:
    with pytest.raises(AssertionError) as info:
        check(fn)
    return str(info.value)


@pytest.mark.parametrize("name", CASES)
def test_wrong_answer_message_in_french_and_in_english(name, monkeypatch):
    check, fn, english, french = CASES[name]

    monkeypatch.setenv(ENV, "fr")
    text = _message(check, fn)
    for fragment in french:
        assert fragment in text, (fragment, text)
    for fragment in english:
        assert fragment not in text, (fragment, text)

    monkeypatch.delenv(ENV, raising=False)
    text = _message(check, fn)
    for fragment in english:
        assert fragment in text, (fragment, text)

    monkeypatch.setenv(ENV, "en")
    assert _message(check, fn) == text
