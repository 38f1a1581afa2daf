"""Checks of 03_dropout: ``dropout_forward`` (by statistics), ``build_dropout_model``, ``mc_dropout_predict``."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from helpers import checks
from helpers._common import import_keras, quietly
from helpers.grading._core import as_array, call, expect_value_error


@quietly
def check_dropout_forward(
    fn: Callable[..., Any],
    *,
    rates: Sequence[float] = (0.2, 0.5),
    shape: Sequence[int] = (200, 500),
    seed: int = 0,
    invalid_rates: Sequence[float] = (-0.1, 1.0),
) -> bool:
    """Check ``dropout_forward(x, rate, rng=None)`` by statistics over a large array."""
    shape = tuple(shape)
    data_rng = np.random.default_rng([seed, 2024])  # independent of the mask's stream
    x = data_rng.uniform(0.5, 1.5, size=shape)  # strictly positive: a zero in the output means "dropped"
    n = x.size
    for rate in rates:
        what = f"dropout_forward(x, {rate:g}, rng=np.random.default_rng({seed})) for x of shape {shape}"
        x_in = x.copy()
        out = as_array(call(fn, x_in, rate, rng=np.random.default_rng(seed), what=what), what, shape)
        if not np.array_equal(x_in, x):
            raise AssertionError(f"{what} changed x in place: compute a new array (x * mask / (1 - rate)).")
        dropped = out == 0
        fraction = float(dropped.mean())
        tolerance = 6 * math.sqrt(rate * (1 - rate) / n) + 1e-9
        if abs(fraction - rate) > tolerance:
            hint = ""
            if abs(fraction - (1 - rate)) <= tolerance:
                hint = ": rate is the probability of DROPPING a unit, not of keeping it"
            raise AssertionError(
                f"{what} zeroed {fraction:.1%} of the elements; expected about {rate:.0%}"
                f" (within {tolerance:.2%}){hint}."
            )
        kept = ~dropped
        if kept.any():
            scale = out[kept] / x[kept]
            if not np.allclose(scale, 1 / (1 - rate), rtol=1e-5):
                median = float(np.median(scale))
                hint = ""
                if np.allclose(scale, 1.0, rtol=1e-5):
                    hint = ": scale the kept values by 1 / (1 - rate) (inverted dropout)"
                elif np.allclose(scale, 1 - rate, rtol=1e-5):
                    hint = ": divide by (1 - rate), do not multiply"
                raise AssertionError(
                    f"{what}: kept elements are multiplied by {median:.4g}; expected 1 / (1 - rate) = "
                    f"{1 / (1 - rate):.4g}{hint}."
                )
        ratio = float(out.mean() / x.mean())
        if abs(ratio - 1) > 8 * math.sqrt(rate / ((1 - rate) * n)) + 1e-9:
            raise AssertionError(
                f"{what}: the output mean is {ratio:.4f} times the input mean; expected about 1."
            )
        again = as_array(call(fn, x.copy(), rate, rng=np.random.default_rng(seed), what=what), what, shape)
        if not np.array_equal(again, out):
            raise AssertionError(
                f"{what} gave a different mask for the same seed: draw the random numbers from the rng argument "
                "(e.g. rng.random(x.shape)), not from np.random."
            )
        if rate > 0:
            other = as_array(
                call(fn, x.copy(), rate, rng=np.random.default_rng(seed + 1), what=what), what, shape
            )
            if np.array_equal(other, out):
                raise AssertionError(
                    f"{what} gave the same mask for two different seeds: use the rng argument."
                )
    what = f"dropout_forward(x, 0.0, rng=np.random.default_rng({seed})) for x of shape {shape}"
    out = as_array(call(fn, x.copy(), 0.0, rng=np.random.default_rng(seed), what=what), what, shape)
    if not np.allclose(out, x, rtol=1e-6, atol=0):  # float32 output allowed
        raise AssertionError(f"{what} changed x; with rate=0 nothing is dropped and the output equals x.")
    rate = rates[-1]
    what = f"dropout_forward(x, {rate:g}) without an rng, for x of shape {shape}"
    hint = " (with rng=None, create a generator with np.random.default_rng())"
    out = as_array(call(fn, x.copy(), rate, what=what, hint=hint, hint_when=("NoneType",)), what, shape)
    fraction = float((out == 0).mean())
    if abs(fraction - rate) > 6 * math.sqrt(rate * (1 - rate) / n) + 1e-9:
        raise AssertionError(
            f"{what} zeroed {fraction:.1%} of the elements; expected about {rate:.0%} "
            "(with rng=None, create one with np.random.default_rng())."
        )
    for bad in invalid_rates:
        expect_value_error(
            fn, x[:2].copy(), bad, what=f"dropout_forward(x, {bad:g})", reason="rate must be in [0, 1)"
        )
    return True


@quietly
def check_build_dropout_model(
    fn: Callable[..., Any],
    *,
    input_dim: int = 64,
    num_classes: int = 10,
    rates: Sequence[float] = (0.3,),
) -> bool:
    """Check ``build_dropout_model(input_dim, num_classes, rate=0.5)`` layer by layer."""
    calls: list[dict[str, Any]] = [{}] + [{"rate": r} for r in rates]
    for kwargs in calls:
        rate = float(kwargs.get("rate", 0.5))
        args = "".join(f", {k}={v:g}" for k, v in kwargs.items())
        what = f"build_dropout_model({input_dim}, {num_classes}{args})"
        model = checks.expect_model(call(fn, input_dim, num_classes, what=what, **kwargs), what)
        checks.assert_input_dim(model, input_dim, what)
        checks.assert_layer_sequence(
            model,
            [
                {"type": "Dense", "units": 64, "activation": "relu"},
                {"type": "Dropout", "rate": rate},
                {"type": "Dense", "units": 64, "activation": "relu"},
                {"type": "Dropout", "rate": rate},
                {"type": "Dense", "units": num_classes, "activation": "softmax"},
            ],
            what,
        )
    return True


def _counting_model(input_dim: int, hidden: int, num_classes: int, rate: float, seed: int) -> tuple[Any, Any]:
    """A small classifier that counts the rows it sees with ``training=True`` (returns model and counter)."""
    keras = import_keras()

    class TrainingRows(keras.layers.Layer):
        """Identity layer that adds the batch size to a counter whenever it runs in training mode."""

        def __init__(self) -> None:
            super().__init__()
            self.rows = self.add_weight(shape=(), initializer="zeros", trainable=False, dtype="float32")

        def call(self, inputs: Any, training: bool | None = None) -> Any:
            if training:
                self.rows.assign_add(keras.ops.cast(keras.ops.shape(inputs)[0], "float32"))
            return inputs

    with checks.quiet():
        keras.utils.set_random_seed(seed)
        counter = TrainingRows()
        layers = [keras.Input(shape=(input_dim,)), counter, keras.layers.Dense(hidden, activation="relu")]
        if rate > 0:
            layers.append(keras.layers.Dropout(rate))
        layers.append(keras.layers.Dense(num_classes, activation="softmax"))
        model = keras.Sequential(layers)
    return model, counter


@quietly
def check_mc_dropout_predict(
    fn: Callable[..., Any],
    *,
    input_dim: int = 8,
    num_classes: int = 3,
    n_rows: int = 20,
    rate: float = 0.5,
    n_samples: Sequence[int | None] = (None, 10),
    seed: int = 0,
) -> bool:
    """Check ``mc_dropout_predict(model, x, n_samples=30)``: shapes, spread, mean and number of passes."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n_rows, input_dim)).astype(np.float32)
    model, counter = _counting_model(input_dim, 32, num_classes, rate, seed)
    with checks.quiet():
        # 400 passes at once: each row of the tiled batch gets its own dropout mask.
        passes = np.asarray(model(np.tile(x, (400, 1)), training=True)).reshape(400, n_rows, num_classes)
        predicted = np.asarray(model(x, training=False))
    ref_mean, ref_std = passes.mean(axis=0), passes.std(axis=0)
    shape = (n_rows, num_classes)
    for samples in n_samples:
        k = 30 if samples is None else int(samples)
        arg = "" if samples is None else f", n_samples={samples}"
        what = (
            f"mc_dropout_predict(model, x{arg}) for x of shape {x.shape} and a model with Dropout({rate:g})"
        )
        counter.rows.assign(0.0)
        kwargs = {} if samples is None else {"n_samples": samples}
        result = call(fn, model, x, what=what, **kwargs)
        if not isinstance(result, tuple | list) or len(result) != 2:
            raise AssertionError(f"{what} returned {type(result).__name__}; expected a tuple (mean, std).")
        mean = as_array(result[0], f"{what} (mean)", shape)
        std = as_array(result[1], f"{what} (std)", shape)
        rows = int(round(float(np.asarray(counter.rows))))
        if rows != k * n_rows:
            if rows == 0:
                why = "the model never ran with dropout active: call model(x, training=True)"
            else:
                why = f"that is {rows / n_rows:g} passes; n_samples={k} asks for {k}"
            raise AssertionError(
                f"{what} ran the model in training mode on {rows} rows; expected {k} x {n_rows} = "
                f"{k * n_rows} ({why})."
            )
        if float(std.mean()) <= 1e-6:
            raise AssertionError(
                f"{what} returned std = 0 everywhere: the passes must differ, so keep dropout active "
                "with model(x, training=True) and take the std over the passes (axis 0)."
            )
        ratio = float(std.mean() / ref_std.mean())
        # Wide bounds: a std of a few passes is noisy and biased low; the variance (std ** 2) is far below.
        if not 0.35 < ratio < 2.0:
            hint = ""
            if 0.5 < float(np.sqrt(np.abs(std)).mean() / ref_std.mean()) < 1.5:
                hint = ": that looks like the variance; return the standard deviation"
            raise AssertionError(
                f"{what}: the std averages {std.mean():.4g}; {400} passes with dropout give about "
                f"{ref_std.mean():.4g}{hint}."
            )
        error = np.abs(mean - ref_mean)
        allowed = 5 * ref_std / math.sqrt(k) + 2e-3
        if float((error > allowed).mean()) > 0.1:
            hint = ""
            if np.allclose(mean, predicted, atol=1e-5):
                hint = ": that is the prediction without dropout; average the training=True passes"
            raise AssertionError(
                f"{what}: the mean differs from the average of many training=True passes by up to "
                f"{error.max():.3g}{hint}."
            )
    plain, counter = _counting_model(input_dim, 16, num_classes, 0.0, seed + 1)
    what = f"mc_dropout_predict(model, x, n_samples=5) for x of shape {x.shape} and a model without dropout"
    result = call(fn, plain, x, n_samples=5, what=what)
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise AssertionError(f"{what} returned {type(result).__name__}; expected a tuple (mean, std).")
    mean = as_array(result[0], f"{what} (mean)", shape)
    std = as_array(result[1], f"{what} (std)", shape)
    with checks.quiet():
        expected = np.asarray(plain(x, training=False))
    if float(np.abs(std).max()) > 1e-5:
        raise AssertionError(
            f"{what} returned a std up to {std.max():.3g}; without dropout every pass is equal."
        )
    if not np.allclose(mean, expected, atol=1e-5):
        raise AssertionError(f"{what} returned a mean that differs from the model's prediction.")
    return True
