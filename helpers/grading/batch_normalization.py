"""Checks of 04_batch_normalization: ``batchnorm_forward`` and ``update_moving_average`` (against Keras),
``build_batchnorm_model``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from helpers import checks
from helpers._common import import_keras, quietly
from helpers.grading._core import as_array, call
from helpers.i18n import _


def _keras_batchnorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, epsilon: float) -> np.ndarray:
    """What ``keras.layers.BatchNormalization(epsilon=epsilon)`` returns with ``training=True``."""
    keras = import_keras()
    with checks.quiet():
        layer = keras.layers.BatchNormalization(epsilon=epsilon)
        layer.build((None, x.shape[1]))
        layer.gamma.assign(gamma.astype(np.float32))
        layer.beta.assign(beta.astype(np.float32))
        return np.asarray(layer(x.astype(np.float32), training=True), dtype=np.float64)


@quietly
def check_batchnorm_forward(
    fn: Callable[..., Any],
    *,
    seed: int = 0,
    shapes: Sequence[tuple[int, int]] = ((8, 5),),
    epsilons: Sequence[float | None] = (None,),
) -> bool:
    """Check ``batchnorm_forward(x, gamma, beta, epsilon=1e-3)`` against Keras in training mode."""
    rng = np.random.default_rng(seed)
    for n, d in shapes:
        for epsilon in epsilons:
            eps = 1e-3 if epsilon is None else float(epsilon)
            # Features with different offsets and spreads; the last one nearly constant, so epsilon matters.
            # Offsets shrink with the spread so that Keras's float32 arithmetic stays accurate to ~1e-6.
            scales = np.linspace(2.0, 0.02, d)
            x = rng.normal(rng.uniform(-3, 3, d) * np.minimum(scales, 0.5), scales, size=(n, d))
            gamma = rng.uniform(0.5, 2.0, d)
            beta = rng.uniform(-1.0, 1.0, d)
            expected = _keras_batchnorm(x, gamma, beta, eps)
            arg = "" if epsilon is None else f", epsilon={epsilon:g}"
            what = _("batchnorm_forward(x, gamma, beta{arg}) for x of shape {shape}").format(
                arg=arg, shape=(n, d)
            )
            kwargs = {} if epsilon is None else {"epsilon": epsilon}
            found = as_array(call(fn, x.copy(), gamma.copy(), beta.copy(), what=what, **kwargs), what, (n, d))
            if np.allclose(found, expected, atol=1e-5, rtol=1e-5):
                continue
            mu, var = x.mean(axis=0), x.var(axis=0)
            variants = [
                (
                    gamma * (x - mu) / np.sqrt(x.var(axis=0, ddof=1) + eps) + beta,
                    _("use the biased variance (divide by n, ddof=0) like Keras, not the unbiased one"),
                ),
                (
                    gamma * (x - mu) / (np.sqrt(var) + eps) + beta,
                    _("add epsilon to the variance inside the sqrt"),
                ),
                (gamma * (x - mu) / np.sqrt(var + 1e-3) + beta, _("use the epsilon argument")),
                (
                    gamma * (x - mu) / np.sqrt(var + 1e-5) + beta if epsilon is None else None,
                    _("keep the signature's default epsilon=1e-3 (Keras's default), not 1e-5"),
                ),
                ((x - mu) / np.sqrt(var + eps), _("scale by gamma and shift by beta after normalizing")),
                (
                    beta * (x - mu) / np.sqrt(var + eps) + gamma,
                    _("gamma scales and beta shifts, not the other way"),
                ),
                (
                    gamma * (x - mu) / (var + eps) + beta,
                    _("divide by the standard deviation sqrt(var + eps)"),
                ),
            ]
            hint = ""
            for value, text in variants:
                if value is not None and np.allclose(found, value, atol=1e-5, rtol=1e-5):
                    hint = _(": {hint}").format(hint=text)
                    break
            if not hint:
                mu1 = x.mean(axis=1, keepdims=True)
                var1 = x.var(axis=1, keepdims=True)
                if np.allclose(found, gamma * (x - mu1) / np.sqrt(var1 + eps) + beta, atol=1e-5):
                    hint = _(": normalize each feature over the batch (axis=0), not each example")
            worst = float(np.abs(found - expected).max())
            raise AssertionError(
                _(
                    "{what} differs from keras.layers.BatchNormalization(epsilon={eps:g}) called with "
                    "training=True by up to {worst:.3g}{hint}."
                ).format(what=what, eps=eps, worst=worst, hint=hint)
            )
    return True


def _keras_moving_update(
    moving_mean: np.ndarray, moving_var: np.ndarray, x: np.ndarray, momentum: float
) -> tuple[np.ndarray, np.ndarray]:
    """Keras's moving mean and variance after one training step of BatchNormalization on batch ``x``."""
    keras = import_keras()
    with checks.quiet():
        layer = keras.layers.BatchNormalization(momentum=momentum)
        layer.build((None, x.shape[1]))
        layer.moving_mean.assign(moving_mean.astype(np.float32))
        layer.moving_variance.assign(moving_var.astype(np.float32))
        layer(x.astype(np.float32), training=True)
        return np.asarray(layer.moving_mean, np.float64), np.asarray(layer.moving_variance, np.float64)


@quietly
def check_update_moving_average(
    fn: Callable[..., Any],
    *,
    seed: int = 0,
    features: int = 4,
    momentums: Sequence[float | None] = (None, 0.9),
) -> bool:
    """Check ``update_moving_average(moving, batch_value, momentum=0.99)`` against a Keras training step."""
    rng = np.random.default_rng(seed)
    for momentum in momentums:
        m = 0.99 if momentum is None else float(momentum)
        x = rng.normal(rng.uniform(-2, 2, features), rng.uniform(0.5, 2, features), size=(16, features))
        moving_mean = rng.uniform(-1, 1, features)
        moving_var = rng.uniform(0.5, 2, features)
        keras_mean, keras_var = _keras_moving_update(moving_mean, moving_var, x, m)
        pairs = [
            ("mean", moving_mean, x.mean(axis=0), keras_mean),
            ("variance", moving_var, x.var(axis=0), keras_var),
        ]
        for label, moving, batch, expected in pairs:
            arg = "" if momentum is None else f", momentum={momentum:g}"
            what = _(
                "update_moving_average(moving_{label}, batch_{label}{arg}) with {features} features"
            ).format(label=label, arg=arg, features=features)
            kwargs = {} if momentum is None else {"momentum": momentum}
            found = as_array(call(fn, moving.copy(), batch.copy(), what=what, **kwargs), what, (features,))
            if np.allclose(found, expected, rtol=1e-5, atol=1e-6):
                continue
            hint = ""
            if np.allclose(found, moving * (1 - m) + batch * m, rtol=1e-5, atol=1e-6):
                hint = _(
                    ": the old value keeps the weight momentum: moving * momentum + batch * (1 - momentum)"
                )
            elif momentum is not None and np.allclose(found, moving * 0.99 + batch * 0.01, rtol=1e-5):
                hint = _(": use the momentum argument")
            elif momentum is None and np.allclose(found, moving * 0.9 + batch * 0.1, rtol=1e-5):
                hint = _(": keep the signature's default momentum=0.99 (Keras's default)")
            statistic = _("moving mean") if label == "mean" else _("moving variance")
            raise AssertionError(
                _(
                    "{what} returned {found}; Keras's BatchNormalization(momentum={momentum:g}) "
                    "updates its {statistic} to {expected}{hint}."
                ).format(
                    what=what,
                    found=np.round(found, 4).tolist(),
                    momentum=m,
                    statistic=statistic,
                    expected=np.round(expected, 4).tolist(),
                    hint=hint,
                )
            )
    return True


@quietly
def check_build_batchnorm_model(
    fn: Callable[..., Any], *, input_dim: int = 64, num_classes: int = 10
) -> bool:
    """Check ``build_batchnorm_model(input_dim, num_classes)`` layer by layer."""
    what = f"build_batchnorm_model({input_dim}, {num_classes})"
    model = checks.expect_model(call(fn, input_dim, num_classes, what=what), what)
    checks.assert_input_dim(model, input_dim, what)
    checks.assert_layer_sequence(
        model,
        [
            {"type": "Dense", "units": 64, "activation": "relu"},
            {"type": "BatchNormalization"},
            {"type": "Dense", "units": 64, "activation": "relu"},
            {"type": "BatchNormalization"},
            {"type": "Dense", "units": num_classes, "activation": "softmax"},
        ],
        what,
    )
    return True
