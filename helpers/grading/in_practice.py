"""Checks of 05_in_practice: ``build_model`` (the chapter's model) and ``build_tuned_model`` (trained on the
benchmark split against the thresholds of :data:`TUNED_MODEL`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from helpers import checks, experiments
from helpers._common import import_keras, quietly
from helpers.grading._core import call
from helpers.i18n import _


@quietly
def check_build_model(fn: Callable[..., Any], *, input_dim: int = 64, num_classes: int = 10) -> bool:
    """Check ``build_model(input_dim, num_classes)``: the chapter's model, compiled with Adam and cross-entropy."""
    what = f"build_model({input_dim}, {num_classes})"
    model = checks.expect_model(call(fn, input_dim, num_classes, what=what), what)
    checks.assert_input_dim(model, input_dim, what)
    checks.assert_layer_sequence(
        model,
        [
            {
                "type": "Dense",
                "units": 64,
                "activation": "relu",
                "kernel_regularizer": {"l1": 0.01, "l2": 0.01},
            },
            {"type": "BatchNormalization"},
            {"type": "Dropout", "rate": 0.5},
            {"type": "Dense", "units": num_classes, "activation": "softmax"},
        ],
        what,
    )
    checks.assert_compiled(model, "adam", "categorical_crossentropy", ["accuracy"], what)
    return True


# The graded benchmark run of build_tuned_model, stated in the 05 notebook: seeded training on the course's
# noisy digits split (benchmark_split(seed), helpers.experiments.fit), then thresholds on the last epoch.
# Measured over seeds 0-9 (60 epochs): the unregularized 2x256 baseline ends with validation accuracy
# 0.79-0.85 and a gap of 0.14-0.21 (it misses max_gap on every seed); the chapter's model 0.81-0.87 with gaps
# -0.15 to -0.02; 2x256 with L2(0.01) 0.86-0.92, with Dropout(0.5) 0.86-0.91, Dense(128, L2(1e-3)) +
# Dropout(0.5) 0.89-0.93, all with negative gaps. The visible test uses seed 0, the hidden one seed 1.
TUNED_MODEL = {"epochs": 60, "min_val_accuracy": 0.80, "max_gap": 0.05, "max_params": 500_000}


def _history_key(history: Mapping[str, Any], prefix: str) -> str | None:
    """The history key holding the accuracy (``accuracy``, ``categorical_accuracy`` or ``acc``)."""
    for name in ("accuracy", "categorical_accuracy", "acc"):
        if prefix + name in history:
            return prefix + name
    return None


@quietly
def check_build_tuned_model(
    fn: Callable[..., Any],
    *,
    seed: int = 0,
    epochs: int = TUNED_MODEL["epochs"],
    min_val_accuracy: float = TUNED_MODEL["min_val_accuracy"],
    max_gap: float = TUNED_MODEL["max_gap"],
    max_params: int = TUNED_MODEL["max_params"],
) -> bool:
    """Train ``build_tuned_model(input_dim, num_classes)`` on the benchmark split and apply the thresholds."""
    keras = import_keras()
    split = experiments.benchmark_split(seed)
    what = f"build_tuned_model({split.input_dim}, {split.num_classes})"
    with checks.quiet():
        keras.utils.set_random_seed(seed)
    model = checks.expect_model(call(fn, split.input_dim, split.num_classes, what=what), what)
    checks.assert_input_dim(model, split.input_dim, what)
    with checks.quiet():
        outputs = model.outputs[0].shape[-1] if getattr(model, "outputs", None) else None
        n_params = int(model.count_params())
    if outputs != split.num_classes:
        raise AssertionError(
            _(
                "{what}: the model outputs {outputs} values per example; expected {expected} "
                "(one softmax unit per class)."
            ).format(what=what, outputs=outputs, expected=split.num_classes)
        )
    if n_params > max_params:
        raise AssertionError(
            _(
                "{what}: the model has {params:,} parameters; keep it under {max_params:,} so that the graded "
                "training fits in the time limit."
            ).format(what=what, params=n_params, max_params=max_params)
        )
    checks.assert_compiled(model, None, "categorical_crossentropy", ["accuracy"], what)
    run = _("training {what} for {epochs} epochs on benchmark_split({seed})").format(
        what=what, epochs=epochs, seed=seed
    )
    history = call(experiments.fit, model, split, epochs=epochs, seed=seed, what=run).history
    train_key, val_key = _history_key(history, ""), _history_key(history, "val_")
    if train_key is None or val_key is None:
        raise AssertionError(
            _("{run} recorded no accuracy: compile with metrics=['accuracy'].").format(run=run)
        )
    train, val = float(history[train_key][-1]), float(history[val_key][-1])
    if not math.isfinite(val) or val < min_val_accuracy:
        raise AssertionError(
            _(
                "{run}: the last-epoch validation accuracy is {val:.3f}; it must be at least {minimum:.2f} "
                "(training accuracy {train:.3f})."
            ).format(run=run, val=val, minimum=min_val_accuracy, train=train)
        )
    if train - val > max_gap:
        raise AssertionError(
            _(
                "{run}: the generalization gap is {gap:.3f} (training {train:.3f}, validation {val:.3f}); "
                "it must be at most {max_gap:.2f}: regularize more."
            ).format(run=run, gap=train - val, train=train, val=val, max_gap=max_gap)
        )
    return True
