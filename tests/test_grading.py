"""helpers.grading: the source notebooks' solutions pass every check, typical mistakes fail with a clear
message, equivalent correct forms pass, and the hidden-test idiom resists tampering."""

from __future__ import annotations

import functools
import importlib
import sys
import types
from pathlib import Path

import nbformat
import numpy as np
import pytest

from helpers import grading
from tools import build

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def solution(name: str) -> dict:
    """The namespace obtained by running the set-up cell and every answer cell of a source notebook."""
    nb = nbformat.read(ROOT / "source" / name / f"{name}.ipynb", as_version=4)
    namespace: dict = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and (
            cell.id == "setup" or (meta.get("solution") and not meta.get("grade"))
        ):
            exec(compile(cell.source, f"{name}:{cell.id}", "exec"), namespace)
    return namespace


def ref(name: str, function: str):
    """The reference solution of ``function`` in notebook ``name``."""
    return solution(name)[function]


def fails(check, fn, match: str, **kwargs) -> str:
    """Assert that ``check(fn, **kwargs)`` raises an AssertionError whose message matches ``match``."""
    with pytest.raises(AssertionError, match=match) as info:
        check(fn, **kwargs)
    return str(info.value)


def todo(*args, **kwargs):
    """An answer left as the release notebook ships it."""
    raise NotImplementedError()


# ---------------------------------------------------------------------------------------------------------
# 01_overfitting
# ---------------------------------------------------------------------------------------------------------

N01 = "01_overfitting"
HIDDEN_GAP = [
    {"seed": 11, "epochs": 9, "metric": "auc"},
    {"seed": 12, "epochs": 1, "negative": True},
    {"seed": 13, "epochs": 4, "metric": "loss"},
]


def _logs(h):
    return getattr(h, "history", h)


def test_generalization_gap_reference_and_equivalents():
    fn = ref(N01, "generalization_gap")
    for kwargs in [{}, *HIDDEN_GAP]:
        assert grading.check_generalization_gap(fn, **kwargs)

    def with_isinstance(history, metric="accuracy"):
        import keras

        logs = history.history if isinstance(history, keras.callbacks.History) else history
        return np.float32(logs[metric][-1]) - np.float32(logs[f"val_{metric}"][-1])

    for kwargs in [{}, *HIDDEN_GAP]:
        assert grading.check_generalization_gap(with_isinstance, **kwargs)


def test_generalization_gap_mistakes(capfd):
    def reversed_sign(history, metric="accuracy"):
        return _logs(history)["val_" + metric][-1] - _logs(history)[metric][-1]

    def absolute(history, metric="accuracy"):
        return abs(_logs(history)[metric][-1] - _logs(history)["val_" + metric][-1])

    def first_epoch(history, metric="accuracy"):
        return _logs(history)[metric][0] - _logs(history)["val_" + metric][0]

    def accuracy_only(history, metric="accuracy"):
        return _logs(history)["accuracy"][-1] - _logs(history)["val_accuracy"][-1]

    def dict_only(history, metric="accuracy"):
        return history[metric][-1] - history["val_" + metric][-1]

    def returns_list(history, metric="accuracy"):
        return [_logs(history)[metric][-1] - _logs(history)["val_" + metric][-1]]

    check = grading.check_generalization_gap
    fails(check, todo, "not written yet")
    fails(check, reversed_sign, "training minus validation")
    fails(check, first_epoch, "first epoch")
    fails(check, dict_only, r"History.*\.history dict")
    fails(check, returns_list, "expected a single number")
    fails(check, absolute, "keep the sign", seed=12, epochs=3, negative=True)
    fails(check, accuracy_only, "use the metric argument", seed=11, metric="auc")
    assert capfd.readouterr().err == "", "checks write nothing to stderr"


HIDDEN_BEST = [
    {"seed": 21, "epochs": 15, "monitors": ("loss", "val_auc", "val_loss")},
    {"seed": 22, "epochs": 1, "monitors": ("val_accuracy",), "ties": False},
]


def test_best_epoch_reference_and_equivalents():
    fn = ref(N01, "best_epoch")
    for kwargs in [{}, *HIDDEN_BEST]:
        assert grading.check_best_epoch(fn, **kwargs)

    def pure_python(history, monitor="val_loss"):
        values = list(_logs(history)[monitor])
        best = min(values) if "loss" in monitor else max(values)
        return values.index(best) + 1

    for kwargs in [{}, *HIDDEN_BEST]:
        assert grading.check_best_epoch(pure_python, **kwargs)


def test_best_epoch_mistakes():
    def zero_based(history, monitor="val_loss"):
        v = np.asarray(_logs(history)[monitor])
        return int(np.argmin(v) if "loss" in monitor else np.argmax(v))

    def last_tie(history, monitor="val_loss"):
        v = np.asarray(_logs(history)[monitor])
        v = -v if "loss" in monitor else v
        return int(len(v) - np.argmax(v[::-1]))

    def always_min(history, monitor="val_loss"):
        return int(np.argmin(_logs(history)[monitor])) + 1

    def val_loss_only(history, monitor="val_loss"):
        return int(np.argmin(_logs(history)["val_loss"])) + 1

    def as_float(history, monitor="val_loss"):
        v = np.asarray(_logs(history)[monitor])
        return float(np.argmin(v) if "loss" in monitor else np.argmax(v)) + 1

    check = grading.check_best_epoch
    fails(check, todo, "not written yet")
    fails(check, zero_based, "counted from 1")
    fails(check, last_tie, "return the first one")
    fails(check, always_min, "best value is the highest")
    fails(check, val_loss_only, "monitor argument", monitors=("val_loss", "val_accuracy", "loss"), ties=False)
    fails(check, as_float, r"return an int")


HIDDEN_DIAGNOSE = [
    (0.55, 0.40, {"gap_threshold": 0.2, "underfit_threshold": 0.5}, "good fit"),
    (0.95, 0.70, {"gap_threshold": 0.2, "underfit_threshold": 0.5}, "overfitting"),
    (0.45, 0.44, {"gap_threshold": 0.2, "underfit_threshold": 0.5}, "underfitting"),
    (0.90, 0.75, {"gap_threshold": 0.2}, "good fit"),
    (0.75, 0.25, {"underfit_threshold": 0.75}, "overfitting"),
    (0.875, 0.75, {"gap_threshold": 0.125, "underfit_threshold": 0.75}, "good fit"),
    (0.85, 0.99, {}, "good fit"),
]


def test_diagnose_fit_reference_and_equivalents():
    fn = ref(N01, "diagnose_fit")
    assert grading.check_diagnose_fit(fn)
    assert grading.check_diagnose_fit(fn, cases=HIDDEN_DIAGNOSE, epochs=9)

    def via_gap(history, gap_threshold=0.1, underfit_threshold=0.8):
        gap = ref(N01, "generalization_gap")(history)
        if _logs(history)["accuracy"][-1] < underfit_threshold:
            return "underfitting"
        return "overfitting" if gap > gap_threshold else "good fit"

    assert grading.check_diagnose_fit(via_gap, cases=HIDDEN_DIAGNOSE, epochs=9)


def test_diagnose_fit_mistakes():
    def gap_first(history, gap_threshold=0.1, underfit_threshold=0.8):
        logs = _logs(history)
        if logs["accuracy"][-1] - logs["val_accuracy"][-1] > gap_threshold:
            return "overfitting"
        return "underfitting" if logs["accuracy"][-1] < underfit_threshold else "good fit"

    def absolute_gap(history, gap_threshold=0.1, underfit_threshold=0.8):
        logs = _logs(history)
        if logs["accuracy"][-1] < underfit_threshold:
            return "underfitting"
        return (
            "overfitting"
            if abs(logs["accuracy"][-1] - logs["val_accuracy"][-1]) > gap_threshold
            else "good fit"
        )

    def fixed_thresholds(history, gap_threshold=0.1, underfit_threshold=0.8):
        return ref(N01, "diagnose_fit")(history)

    def inclusive(history, gap_threshold=0.1, underfit_threshold=0.8):
        logs = _logs(history)
        if logs["accuracy"][-1] <= underfit_threshold:
            return "underfitting"
        return (
            "overfitting" if logs["accuracy"][-1] - logs["val_accuracy"][-1] >= gap_threshold else "good fit"
        )

    def capitalized(history, gap_threshold=0.1, underfit_threshold=0.8):
        return ref(N01, "diagnose_fit")(history, gap_threshold, underfit_threshold).title()

    def first_epoch(history, gap_threshold=0.1, underfit_threshold=0.8):
        logs = _logs(history)
        return ref(N01, "diagnose_fit")(
            {k: v[:1] for k, v in logs.items()}, gap_threshold, underfit_threshold
        )

    check = grading.check_diagnose_fit
    fails(check, todo, "not written yet")
    fails(check, gap_first, r"expected 'underfitting'.*below underfit_threshold")
    fails(check, absolute_gap, r"expected 'good fit'")
    fails(check, capitalized, "return exactly")
    fails(check, first_epoch, "expected")
    fails(check, fixed_thresholds, "gap_threshold=0.2", cases=HIDDEN_DIAGNOSE)
    fails(check, inclusive, "is not below it", cases=HIDDEN_DIAGNOSE)
    fails(check, inclusive, "is not above it", cases=HIDDEN_DIAGNOSE[-2:])


# ---------------------------------------------------------------------------------------------------------
# Every test cell of the source notebooks, run in-process against the notebook's own solutions
# ---------------------------------------------------------------------------------------------------------

FAST_NOTEBOOKS = build.assignments()
SLOW_CELLS = {"test_build_tuned_model", "test_build_tuned_model_hidden"}


def _test_cells(name: str):
    nb = nbformat.read(ROOT / "source" / name / f"{name}.ipynb", as_version=4)
    return [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]


@pytest.mark.parametrize("name", FAST_NOTEBOOKS)
def test_every_test_cell_passes_with_the_solutions(name, capfd):
    if not (ROOT / "source" / name / f"{name}.ipynb").exists():
        pytest.skip(f"{name} is not written yet")
    namespace = dict(solution(name))
    cells = [c for c in _test_cells(name) if c.id not in SLOW_CELLS]
    assert cells, "every notebook has test cells"
    for cell in cells:
        exec(compile(cell.source, f"{name}:{cell.id}", "exec"), namespace)
    assert capfd.readouterr().err == "", "test cells write nothing to stderr"


# ---------------------------------------------------------------------------------------------------------
# The hidden-test idiom
# ---------------------------------------------------------------------------------------------------------


def _hidden_grading():
    """What a hidden test cell does first."""
    return importlib.reload(importlib.import_module("helpers.grading")).fresh()


def test_fresh_copy_ignores_monkeypatched_checks(monkeypatch):
    import helpers.checks

    wrong = ref(N01, "best_epoch")

    def zero_based(history, monitor="val_loss"):
        return wrong(history, monitor) - 1

    monkeypatch.setattr(grading, "check_best_epoch", lambda *a, **k: True)
    monkeypatch.setattr(helpers.checks, "call_learner", lambda fn, *a, what=None, **k: 1)
    monkeypatch.setattr(helpers.checks, "quiet", None)
    fresh = _hidden_grading()
    assert fresh is not sys.modules["helpers.grading"]
    with pytest.raises(AssertionError, match="counted from 1"):
        fresh.check_best_epoch(zero_based)
    # the reload restored the real module's function too
    assert sys.modules["helpers.grading"].check_best_epoch is not None
    assert sys.modules["helpers.checks"] is helpers.checks, "sys.modules is restored after the fresh import"


def test_fresh_copy_reimports_every_checker_module(monkeypatch):
    import helpers.checks
    import helpers.grading._core
    import helpers.grading.overfitting

    wrong = ref(N01, "best_epoch")

    def zero_based(history, monitor="val_loss"):
        return wrong(history, monitor) - 1

    before = {n: m for n, m in sys.modules.items() if n == "helpers" or n.startswith("helpers.")}
    monkeypatch.setattr(helpers.grading.overfitting, "check_best_epoch", lambda *a, **k: True)
    monkeypatch.setattr(helpers.grading.overfitting, "as_integer", lambda value, what: value + 1)
    monkeypatch.setattr(helpers.grading._core, "as_integer", lambda value, what: value + 1)
    monkeypatch.setattr(helpers.checks, "call_learner", lambda fn, *a, what=None, **k: 1)
    fresh = _hidden_grading()
    with pytest.raises(AssertionError, match="counted from 1"):
        fresh.check_best_epoch(zero_based)
    assert fresh.check_best_epoch.__wrapped__.__globals__ is not vars(helpers.grading.overfitting)
    for name, module in before.items():
        assert sys.modules[name] is module, f"{name} is restored in sys.modules after the fresh import"
    # The reload above re-ran the package's imports while a checker module was patched: undo the patches, then
    # reload once more so that the package's names are the real checks again for the tests that follow.
    monkeypatch.undo()
    importlib.reload(sys.modules["helpers.grading"])
    with pytest.raises(AssertionError, match="counted from 1"):
        sys.modules["helpers.grading"].check_best_epoch(zero_based)


def test_fresh_copy_ignores_replaced_modules(monkeypatch):
    fake = types.ModuleType("helpers.checks")
    fake.call_learner = lambda *a, **k: 1
    monkeypatch.setitem(sys.modules, "helpers.checks", fake)
    fake_grading = types.ModuleType("helpers.grading")
    fake_grading.fresh = lambda: types.SimpleNamespace(check_best_epoch=lambda *a, **k: True)
    monkeypatch.setitem(sys.modules, "helpers.grading", fake_grading)
    fresh = _hidden_grading()
    with pytest.raises(AssertionError, match="not written yet"):
        fresh.check_best_epoch(todo)
    assert sys.modules["helpers.checks"] is fake, "the learner's sys.modules entries are left as they were"


def test_fresh_copy_fails_on_non_module_entry(monkeypatch):
    monkeypatch.setitem(sys.modules, "helpers.grading", types.SimpleNamespace(fresh=lambda: None))
    with pytest.raises((TypeError, ImportError)):
        _hidden_grading()


# ---------------------------------------------------------------------------------------------------------
# 02_regularizers
# ---------------------------------------------------------------------------------------------------------

N02 = "02_regularizers"
PENALTY_HIDDEN = {"seed": 31, "shapes": [(7,), (3, 5, 2), (1, 1), (40, 30)], "factors": (0.3, 1e-4, 0.0)}


def test_penalties_reference_and_equivalents():
    for name, check in [
        ("l1_penalty", grading.check_l1_penalty),
        ("l2_penalty", grading.check_l2_penalty),
    ]:
        assert check(ref(N02, name))
        assert check(ref(N02, name), **PENALTY_HIDDEN)
    factors = [(0.003, 0.07), (0.2, 0.0), (0.0, 0.05)]
    assert grading.check_elastic_net_penalty(ref(N02, "elastic_net_penalty"))
    assert grading.check_elastic_net_penalty(
        ref(N02, "elastic_net_penalty"), shapes=[(5,), (4, 2, 3)], factors=factors
    )

    def loops(weights, factor):
        total = 0.0
        for value in np.ravel(weights):
            total += abs(float(value))
        return factor * total

    def linalg(weights, factor):
        return factor * np.linalg.norm(np.ravel(weights)) ** 2

    def elastic_from_parts(weights, l1, l2):
        return np.float32(l1) * np.abs(weights).sum() + np.float32(l2) * (weights**2).sum()

    assert grading.check_l1_penalty(loops, **PENALTY_HIDDEN)
    assert grading.check_l2_penalty(linalg, **PENALTY_HIDDEN)
    assert grading.check_elastic_net_penalty(elastic_from_parts, factors=factors)


def test_penalties_mistakes():
    def no_abs(w, factor):
        return factor * np.sum(w)

    def mean_abs(w, factor):
        return factor * np.mean(np.abs(w))

    def half_l2(w, factor):
        return 0.5 * factor * np.sum(w**2)

    def norm_l2(w, factor):
        return factor * np.linalg.norm(w)

    def swapped(w, l1, l2):
        return l2 * np.sum(np.abs(w)) + l1 * np.sum(w**2)

    def only_l1(w, l1, l2):
        return l1 * np.sum(np.abs(w))

    def with_keras(w, factor):
        import keras

        return keras.regularizers.L1(factor)(w)

    fails(grading.check_l1_penalty, todo, "not written yet")
    fails(grading.check_l1_penalty, no_abs, "absolute value")
    fails(grading.check_l1_penalty, mean_abs, "do not average")
    fails(grading.check_l1_penalty, with_keras, "compute it with NumPy only")
    fails(grading.check_l2_penalty, half_l2, "no 1/2")
    fails(grading.check_l2_penalty, norm_l2, "square root")
    fails(grading.check_l2_penalty, ref(N02, "l1_penalty"), "that is the L1 penalty")
    fails(grading.check_elastic_net_penalty, swapped, "swapped")
    fails(grading.check_elastic_net_penalty, only_l1, "add the L2 term")


def _keras():
    import keras

    return keras


def _reg_model(input_dim, num_classes, kind="l2", factor=0.01, style="sequential"):
    """Equivalent correct forms of build_regularized_model."""
    keras = _keras()
    from keras import layers, regularizers

    penalties = {
        "l1": lambda: regularizers.l1(factor),
        "l2": lambda: regularizers.l2(factor),
        "elastic_net": lambda: regularizers.l1_l2(l1=factor, l2=factor),
    }
    if kind not in penalties:
        raise ValueError(kind)
    if style == "input_shape":
        return keras.Sequential(
            [
                layers.Dense(64, "relu", input_shape=(input_dim,), kernel_regularizer=penalties[kind]()),
                layers.Dense(num_classes, activation=keras.activations.softmax),
            ]
        )
    if style == "functional":
        inputs = keras.Input((input_dim,))
        x = layers.Dense(64, activation=keras.activations.relu, kernel_regularizer=penalties[kind]())(inputs)
        return keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))
    if style == "activation_layers":
        return keras.Sequential(
            [
                keras.Input((input_dim,)),
                layers.Dense(64, kernel_regularizer=penalties[kind]()),
                layers.Activation("relu"),
                layers.Dense(num_classes),
                layers.Softmax(),
            ]
        )
    return keras.Sequential(
        [
            keras.Input((input_dim,)),
            layers.Dense(64, activation="relu", kernel_regularizer=penalties[kind]()),
            layers.Dense(num_classes, activation="softmax"),
        ]
    )


HIDDEN_REG = {"input_dim": 20, "num_classes": 3, "factor": 0.003, "invalid_kinds": ("dropout", "l1l2", "L2 ")}


@pytest.mark.parametrize("style", ["sequential", "input_shape", "functional", "activation_layers"])
def test_build_regularized_model_equivalent_forms(style, capfd):
    fn = functools.partial(_reg_model, style=style)
    assert grading.check_build_regularized_model(fn)
    assert grading.check_build_regularized_model(fn, **HIDDEN_REG)
    assert capfd.readouterr().err == "", "Keras's input_shape warning stays off stderr"


def test_build_regularized_model_reference_and_mistakes():
    assert grading.check_build_regularized_model(ref(N02, "build_regularized_model"), **HIDDEN_REG)
    keras = _keras()
    from keras import layers, regularizers

    def hard_coded(input_dim, num_classes, kind="l2", factor=0.01):
        return _reg_model(64, 10, kind, factor)

    def fixed_factor(input_dim, num_classes, kind="l2", factor=0.01):
        return _reg_model(input_dim, num_classes, kind, 0.01)

    def zero_elastic(input_dim, num_classes, kind="l2", factor=0.01):
        if kind != "elastic_net":
            return _reg_model(input_dim, num_classes, kind, factor)
        return keras.Sequential(
            [
                keras.Input((input_dim,)),
                layers.Dense(64, activation="relu", kernel_regularizer=regularizers.l1_l2()),
                layers.Dense(num_classes, activation="softmax"),
            ]
        )

    def l2_everywhere(input_dim, num_classes, kind="l2", factor=0.01):
        return _reg_model(input_dim, num_classes, "l2", factor)

    def both_layers(input_dim, num_classes, kind="l2", factor=0.01):
        return keras.Sequential(
            [
                keras.Input((input_dim,)),
                layers.Dense(64, activation="relu", kernel_regularizer=regularizers.l2(factor)),
                layers.Dense(num_classes, activation="softmax", kernel_regularizer=regularizers.l2(factor)),
            ]
        )

    def bias_instead(input_dim, num_classes, kind="l2", factor=0.01):
        return keras.Sequential(
            [
                keras.Input((input_dim,)),
                layers.Dense(64, activation="relu", bias_regularizer=regularizers.l2(factor)),
                layers.Dense(num_classes, activation="softmax"),
            ]
        )

    def no_error(input_dim, num_classes, kind="l2", factor=0.01):
        try:
            return _reg_model(input_dim, num_classes, kind, factor)
        except ValueError:
            return _reg_model(input_dim, num_classes, "l2", factor)

    def key_error(input_dim, num_classes, kind="l2", factor=0.01):
        table = {"l1": "l1", "l2": "l2", "elastic_net": "elastic_net"}
        return _reg_model(input_dim, num_classes, table[kind], factor)

    check = grading.check_build_regularized_model
    fails(check, todo, "not written yet")
    fails(check, hard_coded, r"inputs of 64 features; expected 20", **HIDDEN_REG)
    fails(
        check,
        fixed_factor,
        r"kernel_regularizer of layer 1 \(Dense\) is L2\(0.01\); expected L2\(0.003\)",
        **HIDDEN_REG,
    )
    fails(check, zero_elastic, "zero penalty")
    msg = fails(check, l2_everywhere, "kernel_regularizer of layer 1")
    assert "expected L1(0.01)" in msg
    fails(check, both_layers, r"layer 2 \(Dense\) is L2\(0.01\); expected no regularizer")
    fails(check, bias_instead, r"kernel_regularizer of layer 1 \(Dense\) is not set")
    fails(check, no_error, "should raise ValueError")
    fails(check, key_error, "raised KeyError; it should raise ValueError")


def test_build_penalized_layer():
    keras = _keras()
    from keras import layers, regularizers

    assert grading.check_build_penalized_layer(ref(N02, "build_penalized_layer"), units=(7, 128))

    def strings_and_l1l2(units):
        return layers.Dense(
            units,
            activation=keras.activations.relu,
            kernel_regularizer=regularizers.l1_l2(l1=0.0, l2=0.01),
            bias_regularizer="l2",
            activity_regularizer=regularizers.l1(0.001),
        )

    assert grading.check_build_penalized_layer(strings_and_l1l2, units=(7,))
    shared = layers.Dense(32, activation="relu")

    def activity_l2(units):
        return layers.Dense(
            units,
            activation="relu",
            kernel_regularizer=regularizers.L2(0.01),
            bias_regularizer=regularizers.L2(0.01),
            activity_regularizer=regularizers.L2(0.001),
        )

    def no_bias(units):
        return layers.Dense(units, activation="relu", kernel_regularizer=regularizers.L2(0.01))

    def a_model(units):
        return keras.Sequential([keras.Input((3,)), activity_l2(units)])

    check = grading.check_build_penalized_layer
    fails(check, activity_l2, r"activity_regularizer is L2\(0.001\); expected L1\(0.001\)")
    fails(check, no_bias, "bias_regularizer is not set")
    fails(check, a_model, "return the Dense layer itself")
    fails(check, lambda units: shared, "units", units=(7,))


def test_sparsity():
    assert grading.check_sparsity(ref(N02, "sparsity"))
    kwargs = {"seed": 36, "sizes": (20, 16, 8, 3), "fractions": (0.25, 0.5, 0.75), "threshold": 0.05}
    assert grading.check_sparsity(ref(N02, "sparsity"), functional=True, **kwargs)
    keras = _keras()

    def by_get_weights(model, threshold=1e-3):
        tiny = total = 0
        for layer in model.layers:
            if isinstance(layer, keras.layers.Dense):
                kernel = layer.get_weights()[0]
                tiny += int((np.abs(kernel) < threshold).sum())
                total += kernel.size
        return tiny / total

    assert grading.check_sparsity(by_get_weights, functional=True, **kwargs)

    def per_layer_mean(model, threshold=1e-3):
        kernels = [np.asarray(lay.kernel) for lay in model.layers if isinstance(lay, keras.layers.Dense)]
        return float(np.mean([np.mean(np.abs(k) < threshold) for k in kernels]))

    def all_weights(model, threshold=1e-3):
        values = np.concatenate([np.abs(w).ravel() for w in model.get_weights()])
        return float(np.mean(values < threshold))

    def with_biases(model, threshold=1e-3):
        dense = [lay for lay in model.layers if isinstance(lay, keras.layers.Dense)]
        values = np.concatenate([np.abs(w).ravel() for lay in dense for w in lay.get_weights()])
        return float(np.mean(values < threshold))

    def fixed_threshold(model, threshold=1e-3):
        return ref(N02, "sparsity")(model)

    check = grading.check_sparsity
    fails(check, todo, "not written yet")
    fails(check, per_layer_mean, "do not average per layer")
    fails(check, all_weights, "Dense layers only")
    fails(check, with_biases, "not the biases")
    fails(check, fixed_threshold, "expected", **kwargs)


# ---------------------------------------------------------------------------------------------------------
# 03_dropout
# ---------------------------------------------------------------------------------------------------------

N03 = "03_dropout"
HIDDEN_DROPOUT = {"rates": (0.05, 0.9), "shape": (100_000,), "seed": 41, "invalid_rates": (1.5, -1e-9)}


def test_dropout_forward_reference_and_equivalents():
    fn = ref(N03, "dropout_forward")
    assert grading.check_dropout_forward(fn)
    assert grading.check_dropout_forward(fn, **HIDDEN_DROPOUT)
    assert grading.check_dropout_forward(fn, rates=(0.35,), shape=(20, 50, 60), seed=42)

    def binomial_mask(x, rate, rng=None):
        if rate < 0 or rate >= 1:
            raise ValueError("rate")
        rng = rng or np.random.default_rng()
        mask = rng.binomial(1, 1 - rate, size=np.shape(x))
        return x * mask / (1 - rate)

    def exact_count(x, rate, rng=None):
        if not 0 <= rate < 1:
            raise ValueError("rate")
        rng = np.random.default_rng() if rng is None else rng
        flat = np.array(x, dtype=float).ravel()
        dropped = rng.permutation(flat.size)[: int(round(rate * flat.size))]
        flat = flat / (1 - rate)
        flat[dropped] = 0
        return flat.reshape(np.shape(x))

    assert grading.check_dropout_forward(binomial_mask, **HIDDEN_DROPOUT)
    assert grading.check_dropout_forward(exact_count, **HIDDEN_DROPOUT)


def test_dropout_forward_mistakes():
    def checked(body):
        def fn(x, rate, rng=None):
            if not 0 <= rate < 1:
                raise ValueError("rate")
            rng = np.random.default_rng() if rng is None else rng
            return body(np.asarray(x, dtype=float), rate, rng)

        return fn

    no_scaling = checked(lambda x, r, rng: x * (rng.random(x.shape) >= r))
    keep_probability = checked(lambda x, r, rng: x * (rng.random(x.shape) < r) / (1 - r))
    multiply = checked(lambda x, r, rng: x * (rng.random(x.shape) >= r) * (1 - r))
    global_state = checked(lambda x, r, rng: x * (np.random.random(x.shape) >= r) / (1 - r))

    def in_place(x, rate, rng=None):
        if not 0 <= rate < 1:
            raise ValueError("rate")
        rng = np.random.default_rng() if rng is None else rng
        x[rng.random(x.shape) < rate] = 0
        x /= 1 - rate
        return x

    def no_validation(x, rate, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        return np.where(rng.random(np.shape(x)) >= rate, x / (1 - rate), 0.0)

    def assert_instead(x, rate, rng=None):
        assert 0 <= rate < 1
        return no_validation(x, rate, rng)

    def rng_required(x, rate, rng=None):
        if not 0 <= rate < 1:
            raise ValueError("rate")
        return np.where(rng.random(np.shape(x)) >= rate, x / (1 - rate), 0.0)

    check = grading.check_dropout_forward
    fails(check, todo, "not written yet")
    fails(check, no_scaling, r"scale the kept values by 1 / \(1 - rate\)")
    fails(check, keep_probability, "probability of DROPPING")
    fails(check, multiply, r"divide by \(1 - rate\)")
    fails(check, global_state, "rng argument")
    fails(check, in_place, "in place")
    fails(check, no_validation, "returned normally; it should raise ValueError")
    fails(check, assert_instead, "raised AssertionError; it should raise ValueError")
    fails(check, rng_required, "without an rng")


def test_build_dropout_model():
    keras = _keras()
    from keras import layers

    assert grading.check_build_dropout_model(
        ref(N03, "build_dropout_model"), input_dim=13, num_classes=4, rates=(0.2, 0.65)
    )

    def functional(input_dim, num_classes, rate=0.5):
        inputs = keras.Input((input_dim,))
        x = layers.Dropout(rate=rate)(layers.Dense(64, activation="relu")(inputs))
        x = layers.Dropout(rate=rate)(layers.Dense(64, activation="relu")(x))
        return keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))

    assert grading.check_build_dropout_model(functional, input_dim=13, num_classes=4, rates=(0.2,))

    def keep_prob(input_dim, num_classes, rate=0.5):
        return ref(N03, "build_dropout_model")(input_dim, num_classes, 1 - rate)

    def dropout_at_the_end(input_dim, num_classes, rate=0.5):
        return keras.Sequential(
            [
                keras.Input((input_dim,)),
                layers.Dense(64, activation="relu"),
                layers.Dense(64, activation="relu"),
                layers.Dropout(rate),
                layers.Dense(num_classes, activation="softmax"),
                layers.Dropout(rate),
            ]
        )

    def one_dropout(input_dim, num_classes, rate=0.5):
        return keras.Sequential(
            [
                keras.Input((input_dim,)),
                layers.Dense(64, activation="relu"),
                layers.Dropout(rate),
                layers.Dense(64, activation="relu"),
                layers.Dense(num_classes, activation="softmax"),
            ]
        )

    def extra_dropout_after_output(input_dim, num_classes, rate=0.5):
        model = ref(N03, "build_dropout_model")(input_dim, num_classes, rate)
        return keras.Sequential([keras.Input((input_dim,)), *model.layers, layers.Dropout(rate)])

    def fixed_rate(input_dim, num_classes, rate=0.5):
        return ref(N03, "build_dropout_model")(input_dim, num_classes)

    check = grading.check_build_dropout_model
    fails(check, keep_prob, "fraction of units DROPPED", rates=(0.3,))
    fails(check, dropout_at_the_end, "layer 2 should be Dropout")
    fails(check, one_dropout, "layer 4 should be Dropout")
    fails(check, fixed_rate, r"rate=0.5; expected rate=0.3")
    fails(check, extra_dropout_after_output, "layer 6 \\(Dropout\\) comes after the output layer")


HIDDEN_MC = {"input_dim": 5, "num_classes": 6, "n_rows": 7, "rate": 0.3, "n_samples": (7, 50), "seed": 43}


def _layer_by_layer(model, x):
    """One pass with every Dropout layer active and every other layer in inference mode."""
    keras = _keras()
    h = x
    for layer in model.layers:
        h = layer(h, training=isinstance(layer, keras.layers.Dropout))
    return np.asarray(h)


def _train_mode(model, x, n_samples=30):
    """The old answer: model(x, training=True), BatchNormalization in training mode too."""
    passes = np.stack([np.asarray(model(x, training=True)) for _ in range(n_samples)])
    return passes.mean(axis=0), passes.std(axis=0)


def test_mc_dropout_predict_reference_and_equivalents():
    assert grading.check_mc_dropout_predict(ref(N03, "mc_dropout_predict"))
    assert grading.check_mc_dropout_predict(ref(N03, "mc_dropout_predict"), **HIDDEN_MC)
    import tensorflow as tf

    keras = _keras()

    def vectorized(model, x, n_samples=30):
        h = np.repeat(np.asarray(x)[None], n_samples, axis=0).reshape(-1, x.shape[1])
        out = _layer_by_layer(model, h).reshape(n_samples, len(x), -1)
        return out.mean(axis=0), out.std(axis=0, ddof=1)

    def with_tf(model, x, n_samples=30):
        step = tf.function(lambda batch: tf.convert_to_tensor(_forward(model, batch)))
        passes = tf.stack([step(tf.constant(x)) for _ in range(n_samples)])
        return tf.reduce_mean(passes, 0).numpy(), tf.math.reduce_std(passes, 0).numpy()

    def _forward(model, h):
        for layer in model.layers:
            h = layer(h, training=isinstance(layer, keras.layers.Dropout))
        return h

    def as_list(model, x, n_samples=30):
        passes = [_layer_by_layer(model, x) for _ in range(n_samples)]
        return [np.mean(passes, axis=0), np.std(passes, axis=0)]

    def frozen_batchnorm(model, x, n_samples=30):
        # BatchNormalization with trainable=False runs in inference mode even with training=True (Keras 3).
        frozen = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
        for layer in frozen:
            layer.trainable = False
        try:
            return _train_mode(model, x, n_samples)
        finally:
            for layer in frozen:
                layer.trainable = True

    def tensors(model, x, n_samples=30):
        passes = tf.stack([tf.convert_to_tensor(_forward(model, x)) for _ in range(n_samples)])
        return tf.reduce_mean(passes, 0), tf.math.reduce_std(passes, 0)

    # The spec asks for NumPy arrays, but tensors of the right values are right in substance: accepted.
    for fn in (vectorized, with_tf, as_list, frozen_batchnorm, tensors):
        assert grading.check_mc_dropout_predict(fn, **HIDDEN_MC), fn.__name__


def test_mc_dropout_predict_leaves_the_model_unchanged_and_calls_it_both_ways():
    calls = []

    def recording(model, x, n_samples=30):
        calls.append(n_samples)
        return ref(N03, "mc_dropout_predict")(model, x, n_samples)

    assert grading.check_mc_dropout_predict(recording, **HIDDEN_MC)
    assert {7, 50} <= set(calls)

    def keyword_only(model, x, *, n_samples=30):
        return ref(N03, "mc_dropout_predict")(model, x, n_samples=n_samples)

    # n_samples is passed by name and by position in turn: the spec's signature takes both.
    fails(
        grading.check_mc_dropout_predict,
        keyword_only,
        r"mc_dropout_predict\(model, x, 50\).*TypeError",
        **HIDDEN_MC,
    )


def test_mc_dropout_predict_mistakes():
    keras = _keras()
    solution = ref(N03, "mc_dropout_predict")

    def inference(model, x, n_samples=30):
        passes = np.stack([np.asarray(model(x, training=False)) for _ in range(n_samples)])
        return passes.mean(axis=0), passes.std(axis=0)

    def predict(model, x, n_samples=30):
        passes = np.stack([model.predict(x, verbose=0) for _ in range(n_samples)])
        return passes.mean(axis=0), passes.std(axis=0)

    def every_layer_training(model, x, n_samples=30):
        passes = []
        for _ in range(n_samples):
            h = x
            for layer in model.layers:
                h = layer(h, training=True)
            passes.append(np.asarray(h))
        return np.mean(passes, axis=0), np.std(passes, axis=0)

    def statistics_put_back(model, x, n_samples=30):
        saved = model.get_weights()
        result = _train_mode(model, x, n_samples)
        model.set_weights(saved)
        return result

    def batchnorm_skipped(model, x, n_samples=30):
        passes = []
        for _ in range(n_samples):
            h = x
            for layer in model.layers:
                if not isinstance(layer, keras.layers.BatchNormalization):
                    h = layer(h, training=isinstance(layer, keras.layers.Dropout))
            passes.append(np.asarray(h))
        return np.mean(passes, axis=0), np.std(passes, axis=0)

    def trains(model, x, n_samples=30):
        model.compile(optimizer="sgd", loss="mse")
        model.fit(x, np.asarray(model(x)), epochs=1, verbose=0)
        return solution(model, x, n_samples)

    def mean_without_dropout(model, x, n_samples=30):
        return np.asarray(model(x, training=False)), solution(model, x, n_samples)[1]

    def variance(model, x, n_samples=30):
        mean, std = solution(model, x, n_samples)
        return mean, std**2

    def always_30(model, x, n_samples=30):
        return solution(model, x)

    def one_more(model, x, n_samples=30):
        return solution(model, x, n_samples + 1)

    def wrong_axis(model, x, n_samples=30):
        passes = np.stack([_layer_by_layer(model, x) for _ in range(n_samples)])
        return passes.mean(axis=1), passes.std(axis=1)

    def one_pass_std(model, x, n_samples=30):
        mean = solution(model, x, n_samples)[0]
        return mean, _layer_by_layer(model, x).std(axis=1, keepdims=True) * np.ones_like(mean)

    def as_dict(model, x, n_samples=30):
        mean, std = solution(model, x, n_samples)
        return {"mean": mean, "std": std}

    check = grading.check_mc_dropout_predict
    fails(check, todo, "not written yet")
    fails(check, inference, "std = 0 everywhere: the passes are all equal, so dropout was not active")
    fails(check, predict, "std = 0 everywhere")
    for fn in (_train_mode, every_layer_training):
        for kwargs in ({}, HIDDEN_MC):
            message = fails(check, fn, "BatchNormalization layer's moving mean changed", **kwargs)
            assert "model(x, training=True) puts BatchNormalization in training mode too" in message
            assert "training=True only for Dropout" in message
    fails(
        check,
        statistics_put_back,
        "BatchNormalization in inference mode: that is what BatchNormalization gives in training mode",
        **HIDDEN_MC,
    )
    fails(check, batchnorm_skipped, "that is the model without its BatchNormalization layer", **HIDDEN_MC)
    fails(check, trains, "the Dense layer's kernel changed.*leave every weight of the model as it was")
    fails(check, mean_without_dropout, "the mean equals the output without dropout")
    fails(check, variance, "looks like the variance")
    fails(check, variance, "looks like the variance", **HIDDEN_MC)
    fails(check, always_30, "the mean is an average of 30 passes; n_samples=10 asks for 10")
    fails(check, always_30, "the mean is an average of 30 passes; n_samples=7 asks for 7", **HIDDEN_MC)
    fails(check, one_more, "average of 31 passes; n_samples=30 asks for 30")
    fails(check, wrong_axis, "shape")
    # With as many passes as rows the shape is right: the mean over the rows is not an average of passes.
    fails(check, wrong_axis, "not an average of whole passes; average the 7 outputs over axis 0", **HIDDEN_MC)
    fails(check, one_pass_std, "the std averages")
    fails(check, as_dict, r"expected a tuple \(mean, std\)")


def test_mc_dropout_check_builds_models_where_batch_statistics_change_the_output():
    from helpers.grading import dropout

    for seed, rows, inputs, classes, rate in ((0, 20, 8, 3, 0.5), (43, 7, 5, 6, 0.3)):
        x = np.random.default_rng(seed).normal(size=(rows, inputs)).astype(np.float32)
        model, predicted = dropout._mc_model(inputs, 128, classes, rate, seed, x)
        bn = model.layers[1]
        before = np.array(bn.moving_mean)
        right = dropout._passes(model, x, 2000)
        batch = dropout._passes(model, x, 2000, batch_norm="batch")
        assert np.array_equal(np.asarray(bn.moving_mean), before)  # the reference leaves the model alone
        error = right.std(axis=0) * np.sqrt(1 / 7 + 1 / 2000)  # the sampling error of 7 passes
        assert (np.abs(batch.mean(axis=0) - right.mean(axis=0)) > 5 * error).mean() > 0.5
        assert (right.std(axis=0) > 1e-3).all()  # dropout changes every output from pass to pass
        assert 0.01 < right.mean(axis=0).min() and right.mean(axis=0).max() < 0.99  # no saturation


def test_mc_dropout_pass_count_is_read_from_the_mean():
    from helpers.grading import dropout

    rng = np.random.default_rng(0)
    for n in (1, 5, 7, 30, 50):
        ratio = rng.binomial(n, 0.5, size=(20, 8)).astype(np.float32) / np.float32(n)
        assert dropout._passes_averaged(ratio) == n
    assert dropout._passes_averaged(rng.uniform(0, 1, size=(20, 8))) is None  # not an average of whole passes


# ---------------------------------------------------------------------------------------------------------
# 04_batch_normalization
# ---------------------------------------------------------------------------------------------------------

N04 = "04_batch_normalization"
HIDDEN_BN = {"seed": 51, "shapes": ((4, 3), (64, 7)), "epsilons": (None, 0.1, 1e-5)}


def test_batchnorm_forward():
    assert grading.check_batchnorm_forward(ref(N04, "batchnorm_forward"), **HIDDEN_BN)

    def float32_keepdims(x, gamma, beta, epsilon=1e-3):
        x = np.asarray(x, dtype=np.float32)
        mean = x.mean(axis=0, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=0, keepdims=True)
        return (x - mean) / np.sqrt(var + epsilon) * gamma + beta

    assert grading.check_batchnorm_forward(float32_keepdims, **HIDDEN_BN)

    def unbiased(x, gamma, beta, epsilon=1e-3):
        return gamma * (x - x.mean(0)) / np.sqrt(x.var(0, ddof=1) + epsilon) + beta

    def eps_outside(x, gamma, beta, epsilon=1e-3):
        return gamma * (x - x.mean(0)) / (x.std(0) + epsilon) + beta

    def fixed_eps(x, gamma, beta, epsilon=1e-3):
        return gamma * (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3) + beta

    def no_affine(x, gamma, beta, epsilon=1e-3):
        return (x - x.mean(0)) / np.sqrt(x.var(0) + epsilon)

    def per_example(x, gamma, beta, epsilon=1e-3):
        m, v = x.mean(1, keepdims=True), x.var(1, keepdims=True)
        return gamma * (x - m) / np.sqrt(v + epsilon) + beta

    check = grading.check_batchnorm_forward
    fails(check, todo, "not written yet")
    fails(check, unbiased, "biased variance")
    fails(check, eps_outside, "inside the sqrt")
    fails(check, fixed_eps, "use the epsilon argument", **HIDDEN_BN)
    fails(check, no_affine, "scale by gamma")
    fails(check, per_example, "axis=0")


def test_update_moving_average():
    hidden = {"seed": 52, "features": 9, "momentums": (0.8, 0.999, None)}
    assert grading.check_update_moving_average(ref(N04, "update_moving_average"), **hidden)

    def keras_doc_form(moving, batch_value, momentum=0.99):
        return moving - (1 - momentum) * (moving - batch_value)

    assert grading.check_update_moving_average(keras_doc_form, **hidden)

    def swapped(moving, batch_value, momentum=0.99):
        return (1 - momentum) * moving + momentum * batch_value

    def fixed(moving, batch_value, momentum=0.99):
        return 0.99 * moving + 0.01 * batch_value

    def as_list(moving, batch_value, momentum=0.99):
        return list(momentum * moving + (1 - momentum) * batch_value)

    check = grading.check_update_moving_average
    fails(check, todo, "not written yet")
    fails(check, swapped, "keeps the weight momentum")
    fails(check, fixed, "use the momentum argument", **hidden)
    assert grading.check_update_moving_average(as_list), "a list of the right numbers is accepted"


def test_build_batchnorm_model():
    keras = _keras()
    from keras import layers

    assert grading.check_build_batchnorm_model(ref(N04, "build_batchnorm_model"), input_dim=17, num_classes=2)

    def input_shape_form(input_dim, num_classes):
        return keras.Sequential(
            [
                layers.Dense(64, activation="relu", input_shape=(input_dim,)),
                layers.BatchNormalization(),
                layers.Dense(64, activation=keras.activations.relu),
                layers.BatchNormalization(momentum=0.9),
                layers.Dense(num_classes, activation="softmax"),
            ]
        )

    assert grading.check_build_batchnorm_model(input_shape_form, input_dim=17, num_classes=2)

    def bn_after_output(input_dim, num_classes):
        return keras.Sequential(
            [
                keras.Input((input_dim,)),
                layers.Dense(64, activation="relu"),
                layers.BatchNormalization(),
                layers.Dense(64, activation="relu"),
                layers.Dense(num_classes, activation="softmax"),
                layers.BatchNormalization(),
            ]
        )

    def dropout_instead(input_dim, num_classes):
        return keras.Sequential(
            [
                keras.Input((input_dim,)),
                layers.Dense(64, activation="relu"),
                layers.BatchNormalization(),
                layers.Dense(64, activation="relu"),
                layers.Dropout(0.5),
                layers.Dense(num_classes, activation="softmax"),
            ]
        )

    def hard_coded(input_dim, num_classes):
        return ref(N04, "build_batchnorm_model")(64, 10)

    check = grading.check_build_batchnorm_model
    fails(check, bn_after_output, "layer 4 should be BatchNormalization")
    fails(check, dropout_instead, "layer 4 should be BatchNormalization.*found Dropout")
    fails(check, hard_coded, "expected 17", input_dim=17, num_classes=2)


# ---------------------------------------------------------------------------------------------------------
# 05_in_practice
# ---------------------------------------------------------------------------------------------------------

N05 = "05_in_practice"


def _chapter(input_dim, num_classes, *, reg=None, compile_kwargs=None, order=("bn", "dropout"), extra=None):
    """Variants of the chapter's model for the build_model tests."""
    keras = _keras()
    from keras import layers, regularizers

    reg = regularizers.l1_l2(l1=0.01, l2=0.01) if reg is None else reg
    parts = {"bn": layers.BatchNormalization(), "dropout": layers.Dropout(0.5)}
    model = keras.Sequential(
        [
            keras.Input((input_dim,)),
            layers.Dense(64, activation="relu", kernel_regularizer=reg),
            *[parts[p] for p in order],
            layers.Dense(num_classes, activation="softmax"),
            *(extra or []),
        ]
    )
    kwargs = {"optimizer": "adam", "loss": "categorical_crossentropy", "metrics": ["accuracy"]}
    if compile_kwargs != "skip":
        model.compile(**{**kwargs, **(compile_kwargs or {})})
    return model


def test_build_model_reference_and_equivalents(capfd):
    keras = _keras()
    from keras import layers, regularizers

    assert grading.check_build_model(ref(N05, "build_model"), input_dim=30, num_classes=4)

    def text_form(input_dim, num_classes):
        model = keras.Sequential()
        model.add(
            layers.Dense(
                units=64,
                activation="relu",
                input_shape=(input_dim,),
                kernel_regularizer=regularizers.L1L2(l1=0.01, l2=0.01),
            )
        )
        model.add(layers.BatchNormalization())
        model.add(layers.Dropout(rate=0.5))
        model.add(layers.Dense(num_classes, activation="softmax"))
        model.compile(
            optimizer=keras.optimizers.Adam(),
            loss=keras.losses.CategoricalCrossentropy(),
            metrics=[keras.metrics.CategoricalAccuracy()],
        )
        return model

    def functional(input_dim, num_classes):
        inputs = keras.Input((input_dim,))
        x = layers.Dense(64, kernel_regularizer=regularizers.l1_l2(0.01, 0.01))(inputs)
        x = layers.Activation("relu")(x)
        x = layers.Dropout(0.5)(layers.BatchNormalization()(x))
        model = keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))
        model.compile(optimizer="Adam", loss="categorical_crossentropy", metrics=["acc"])
        return model

    for fn in (text_form, functional):
        assert grading.check_build_model(fn, input_dim=30, num_classes=4)
    assert capfd.readouterr().err == ""


def test_build_model_mistakes():
    keras = _keras()
    from keras import layers, regularizers

    def case(**kwargs):
        return lambda input_dim, num_classes: _chapter(input_dim, num_classes, **kwargs)

    def positional_metrics(input_dim, num_classes):
        model = _chapter(input_dim, num_classes, compile_kwargs="skip")
        model.compile("adam", "categorical_crossentropy", ["accuracy"])
        return model

    def hard_coded(input_dim, num_classes):
        return _chapter(64, 10)

    check = grading.check_build_model
    fails(check, todo, "not written yet")
    fails(check, case(reg=regularizers.l1_l2()), "zero penalty")
    fails(check, case(reg=regularizers.l2(0.01)), r"is L2\(0.01\); expected L1L2 with l1=0.01 and l2=0.01")
    fails(check, case(order=("dropout", "bn")), "wrong order")
    fails(
        check,
        case(order=("bn",), extra=[layers.Dropout(0.5)]),
        "comes after the output layer|should be Dropout",
    )
    fails(check, case(compile_kwargs="skip"), "must compile the model")
    fails(check, case(compile_kwargs={"optimizer": "sgd"}), "optimizer='sgd'; expected optimizer='adam'")
    fails(
        check,
        case(compile_kwargs={"loss": "sparse_categorical_crossentropy"}),
        "expected loss='categorical_crossentropy'",
    )
    fails(check, case(compile_kwargs={"metrics": []}), "without the 'accuracy' metric")
    fails(check, positional_metrics, "loss_weights")
    fails(check, hard_coded, "expected 30", input_dim=30, num_classes=4)
    fails(check, case(compile_kwargs={"metrics": [keras.metrics.Accuracy()]}), "exact matches")


def _baseline(input_dim, num_classes):
    keras = _keras()
    from keras import layers

    model = keras.Sequential(
        [
            keras.Input((input_dim,)),
            layers.Dense(256, activation="relu"),
            layers.Dense(256, activation="relu"),
            layers.Dense(num_classes, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def test_tuned_model_reference_passes_and_baseline_fails():
    assert grading.check_build_tuned_model(ref(N05, "build_tuned_model"), seed=0)
    fails(grading.check_build_tuned_model, _baseline, r"generalization gap is 0\.\d+ .* at most 0.05", seed=0)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_tuned_model_thresholds_on_other_seeds(seed):
    assert grading.check_build_tuned_model(ref(N05, "build_tuned_model"), seed=seed)
    assert grading.check_build_tuned_model(ref(N05, "build_model"), seed=seed)
    fails(
        grading.check_build_tuned_model, _baseline, "validation accuracy is|generalization gap is", seed=seed
    )


def test_tuned_model_statement_matches_the_grading():
    nb = nbformat.read(ROOT / "source" / N05 / f"{N05}.ipynb", as_version=4)
    statement = next(c for c in nb.cells if c.id == "ex-tuned").source
    t = grading.TUNED_MODEL
    assert f"epochs={t['epochs']}" in statement
    assert f"at least {t['min_val_accuracy']:.2f}" in statement
    assert f"at most {t['max_gap']:.2f}" in statement
    assert f"{t['max_params']:,}" in statement
    assert "seed 0" in statement.lower() and "seed 1" in statement.lower()


def test_tuned_model_fast_failures():
    keras = _keras()
    from keras import layers

    def sparse(input_dim, num_classes):
        model = _baseline(input_dim, num_classes)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    def huge(input_dim, num_classes):
        model = keras.Sequential(
            [
                keras.Input((input_dim,)),
                layers.Dense(2048, activation="relu"),
                layers.Dense(2048, activation="relu"),
                layers.Dense(num_classes, activation="softmax"),
            ]
        )
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        return model

    def wrong_outputs(input_dim, num_classes):
        return _baseline(input_dim, 1)

    def uncompiled(input_dim, num_classes):
        return _chapter(input_dim, num_classes, compile_kwargs="skip")

    check = grading.check_build_tuned_model
    fails(check, sparse, "expected loss='categorical_crossentropy'")
    fails(check, huge, "parameters; keep it under 500,000")
    fails(check, wrong_outputs, "outputs 1 values")
    fails(check, uncompiled, "must compile")
    fails(check, todo, "not written yet")


# ---------------------------------------------------------------------------------------------------------
# 06_monitoring
# ---------------------------------------------------------------------------------------------------------

N06 = "06_monitoring"


def test_make_early_stopping():
    keras = _keras()
    assert grading.check_make_early_stopping(
        ref(N06, "make_early_stopping"), patiences=(None, 2, 10), simulate=True
    )

    def explicit_mode(patience=5):
        return keras.callbacks.EarlyStopping("val_loss", 0, patience, mode="min", restore_best_weights=True)

    assert grading.check_make_early_stopping(explicit_mode, patiences=(None, 2), simulate=True)

    def es(**kwargs):
        def fn(patience=5):
            args = {"monitor": "val_loss", "patience": patience, "restore_best_weights": True, **kwargs}
            return keras.callbacks.EarlyStopping(**args)

        return fn

    shared = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)

    check = grading.check_make_early_stopping
    fails(check, todo, "not written yet")
    fails(check, es(monitor="val_accuracy"), "monitors 'val_accuracy'; expected monitor='val_loss'")
    fails(check, es(restore_best_weights=False), "restore_best_weights=False")
    fails(check, es(mode="max"), "mode='max'")
    fails(check, lambda patience=5: es()(5), "patience=5; expected patience=3")
    fails(check, lambda patience=5: shared, "patience=5; expected patience=3")
    fails(check, es(start_from_epoch=6), "stopped after epoch", simulate=True)
    fails(check, es(min_delta=0.2), "stopped after epoch", simulate=True)
    fails(
        check,
        lambda patience=5: keras.callbacks.ModelCheckpoint("x.keras"),
        "expected keras.callbacks.EarlyStopping",
    )


HIDDEN_SUMMARY = {
    "seed": 61,
    "names": ("small", "L1(1e-3)", "BatchNorm", "early stopping", "Dropout(0.2)"),
    "lengths": (12, 7, 12, 1, 20),
}


def test_summarize_runs():
    import pandas as pd

    assert grading.check_summarize_runs(ref(N06, "summarize_runs"), **HIDDEN_SUMMARY)

    def list_of_rows(histories):
        rows = []
        for name, h in histories.items():
            logs = getattr(h, "history", h)
            rows.append(
                {
                    "name": name,
                    "train_accuracy": logs["accuracy"][-1],
                    "val_accuracy": logs["val_accuracy"][-1],
                    "gap": logs["accuracy"][-1] - logs["val_accuracy"][-1],
                    "best_epoch": ref(N01, "best_epoch")(logs),
                    "epochs": len(logs["loss"]),
                }
            )
        return pd.DataFrame(rows).set_index("name").sort_values("val_accuracy", ascending=False)

    assert grading.check_summarize_runs(list_of_rows, **HIDDEN_SUMMARY), "extra columns are fine"

    def no_index(histories):
        return list_of_rows(histories).reset_index()

    def ascending(histories):
        return ref(N06, "summarize_runs")(histories).sort_values("val_accuracy")

    def zero_based(histories):
        table = ref(N06, "summarize_runs")(histories)
        table["best_epoch"] = table["best_epoch"] - 1
        return table

    def reversed_gap(histories):
        table = ref(N06, "summarize_runs")(histories)
        table["gap"] = -table["gap"]
        return table

    def missing_column(histories):
        return ref(N06, "summarize_runs")(histories).drop(columns="gap")

    def as_dict(histories):
        return ref(N06, "summarize_runs")(histories).to_dict()

    check = grading.check_summarize_runs
    fails(check, todo, "not written yet")
    fails(check, no_index, r"set the run names as the index")
    fails(check, ascending, "ascending=False")
    fails(check, zero_based, "counted from 1")
    fails(check, reversed_gap, "training minus validation")
    fails(check, missing_column, r"lacks \['gap'\]")
    fails(check, as_dict, "expected a pandas DataFrame")


# ---------------------------------------------------------------------------------------------------------
# 07_quiz
# ---------------------------------------------------------------------------------------------------------


def test_quiz_checks():
    assert grading.check_quiz_format(" B ", "q2", "abcd")
    assert grading.check_quiz_answer(" C", "q1", "abcd", "c")
    assert grading.check_quiz_answer("c\n", "q1", "abcd", "C")
    with pytest.raises(AssertionError, match="not the right answer"):
        grading.check_quiz_answer("a", "q1", "abcd", "c")
    for bad in ("e", "ab", "", None, 3, ["c"]):
        with pytest.raises(AssertionError, match="one letter"):
            grading.check_quiz_format(bad, "q1", "abcd")

    class Sneaky(str):
        def __eq__(self, other):
            return True

        __hash__ = str.__hash__

    with pytest.raises(AssertionError, match="not the right answer"):
        grading.check_quiz_answer(Sneaky("a"), "q1", "abcd", "c")


WHY = {"a": "A sum of absolute values is the L1 formula.", "b": "No half in front.", "d": "Not squared."}


@pytest.mark.parametrize("wrong", ["a", " B ", "d\n"])
def test_quiz_wrong_answer_says_why_that_option_is_wrong(wrong):
    letter = wrong.strip().lower()
    with pytest.raises(AssertionError) as failed:
        grading.check_quiz_answer(wrong, "q10", "abcd", "c", why=WHY)
    message = str(failed.value)
    assert message == f"q10 = {letter!r} is not the right answer: {WHY[letter]}"
    assert "'c'" not in message and "option c" not in message.lower()
    assert all(WHY[other] not in message for other in WHY if other != letter)


def test_quiz_explanations_cannot_reach_a_right_answer_nor_be_required():
    # The right option's entry (an authoring slip) is never shown: a right answer passes.
    assert grading.check_quiz_answer("c", "q1", "abcd", "c", why={**WHY, "c": "would give it away"})
    # Keys are read like answers (case and spaces); an option without an explanation gets the bare message.
    with pytest.raises(AssertionError, match=r"^q1 = 'a' is not the right answer: Upper\.$"):
        grading.check_quiz_answer("a", "q1", "abcd", "c", why={" A ": "Upper."})
    with pytest.raises(AssertionError, match=r"^q1 = 'b' is not the right answer\.$"):
        grading.check_quiz_answer("b", "q1", "abcd", "c", why={"a": "Only a."})
    with pytest.raises(AssertionError, match="one letter"):
        grading.check_quiz_answer("e", "q1", "abcd", "c", why=WHY)


def quiz_hidden_calls() -> dict[str, tuple[str, str, dict[str, dict[str, str]]]]:
    """Each quiz question's hidden test call: name -> (options, right letter, explanations), read with ast."""
    import ast

    nb = nbformat.read(ROOT / "source" / "07_quiz" / "07_quiz.ipynb", as_version=4)
    calls = {}
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if not (grade_id.startswith("test_q") and grade_id.endswith("_hidden")):
            continue
        tree = ast.parse(cell.source)
        why = next(
            ast.literal_eval(node.value)
            for node in tree.body
            if isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["why"]
        )
        call = tree.body[-1].test
        assert isinstance(tree.body[-1], ast.Assert) and call.func.attr == "check_quiz_answer", grade_id
        name, options, right = (ast.literal_eval(a) for a in call.args[1:])
        assert [k.arg for k in call.keywords] == ["why"] and call.keywords[0].value.id == "why", grade_id
        calls[name] = (options, right, why)
    return calls


def test_quiz_every_wrong_option_has_an_explanation_that_does_not_give_the_answer():
    import re

    calls = quiz_hidden_calls()
    assert len(calls) >= 10
    letters = []
    for name, (options, right, why) in calls.items():
        letters.append(right)
        assert set(why) == set(options) - {right}, f"{name}: explanations for {sorted(why)}, right {right!r}"
        for letter, texts in why.items():
            assert set(texts) == {"en", "fr"}, f"{name} {letter}: not in English and French: {texts!r}"
            for lang, text in texts.items():
                where = f"{name} {letter} ({lang})"
                assert 40 <= len(text) <= 300 and "\n" not in text, f"{where}: {len(text)} characters"
                assert text[0].isupper() and text.endswith("."), f"{where}: not a sentence: {text!r}"
                named = re.search(
                    rf"\b(option|answer|letter|réponse|lettre)s?\s+\(?{right}\b|\({right}\)|\b{right}\.\s",
                    text,
                    re.I,
                )
                assert not named, f"{where}: the explanation names option {right!r}: {text!r}"
            with pytest.raises(AssertionError) as failed:
                grading.check_quiz_answer(letter, name, options, right, why=why)
            assert texts["en"] in str(failed.value) and len(str(failed.value)) < 600
    # The right letters are spread over the options: none is the key of more than a third of the questions.
    assert max(letters.count(o) for o in "abcd") <= len(letters) / 3 + 1, letters


def test_quiz_notebook_has_the_chapter_question_and_enough_questions():
    nb = nbformat.read(ROOT / "source" / "07_quiz" / "07_quiz.ipynb", as_version=4)
    ids = {c.id for c in nb.cells}
    n = sum(1 for i in ids if i.startswith("q") and i[1:].isdigit())
    assert n >= 10  # COURSE_SPEC: q1 ... qN with N >= 10
    assert all({f"q{k}", f"test_q{k}", f"test_q{k}_hidden"} <= ids for k in range(1, n + 1))
    first = next(c for c in nb.cells if c.id == "question-1").source
    assert "Which of the following statements about regularization and normalization techniques" in first


# ---------------------------------------------------------------------------------------------------------
# Notebook structure
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FAST_NOTEBOOKS)
def test_notebook_structure(name):
    nb = nbformat.read(ROOT / "source" / name / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
    assert nb.metadata.kernelspec.name == "python3"
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert first_code.source.startswith("from helpers.setup import setup_notebook\n\nsetup_notebook(seed=0)")
    answers = set()
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
        if not meta:
            continue
        if meta["solution"] and not meta["grade"] and cell.cell_type == "code":
            answers.add(meta["grade_id"])
            assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
        if meta["grade"] and cell.cell_type == "code":
            assert meta["locked"] and meta["points"] > 0
            assert cell.source.startswith('"""') and cell.source.split("\n")[0].endswith('"""')
            function = meta["grade_id"].removeprefix("test_").removesuffix("_hidden")
            assert function in answers, f"{meta['grade_id']} follows the answer cell of {function}"
            body = cell.source.split("\n", 1)[1]
            if meta["grade_id"].endswith("_hidden"):
                assert body.startswith("### BEGIN HIDDEN TESTS") and body.rstrip().endswith(
                    "### END HIDDEN TESTS"
                )
                assert ".fresh()" in body
            else:
                assert "HIDDEN" not in body
    assert answers
