"""Checks of 03_dropout: ``dropout_forward`` (by statistics), ``build_dropout_model``, ``mc_dropout_predict``."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from helpers import checks
from helpers._common import import_keras, quietly
from helpers.grading._core import as_array, call, expect_value_error
from helpers.i18n import _


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
        what = _(
            "dropout_forward(x, {rate:g}, rng=np.random.default_rng({seed})) for x of shape {shape}"
        ).format(rate=rate, seed=seed, shape=shape)
        x_in = x.copy()
        out = as_array(call(fn, x_in, rate, rng=np.random.default_rng(seed), what=what), what, shape)
        if not np.array_equal(x_in, x):
            raise AssertionError(
                _("{what} changed x in place: compute a new array (x * mask / (1 - rate)).").format(what=what)
            )
        dropped = out == 0
        fraction = float(dropped.mean())
        tolerance = 6 * math.sqrt(rate * (1 - rate) / n) + 1e-9
        if abs(fraction - rate) > tolerance:
            hint = ""
            if abs(fraction - (1 - rate)) <= tolerance:
                hint = _(": rate is the probability of DROPPING a unit, not of keeping it")
            raise AssertionError(
                _(
                    "{what} zeroed {fraction:.1%} of the elements; expected about {rate:.0%} (within {tolerance:.2%}){hint}."
                ).format(what=what, fraction=fraction, rate=rate, tolerance=tolerance, hint=hint)
            )
        kept = ~dropped
        if kept.any():
            scale = out[kept] / x[kept]
            if not np.allclose(scale, 1 / (1 - rate), rtol=1e-5):
                median = float(np.median(scale))
                hint = ""
                if np.allclose(scale, 1.0, rtol=1e-5):
                    hint = _(": scale the kept values by 1 / (1 - rate) (inverted dropout)")
                elif np.allclose(scale, 1 - rate, rtol=1e-5):
                    hint = _(": divide by (1 - rate), do not multiply")
                raise AssertionError(
                    _(
                        "{what}: kept elements are multiplied by {median:.4g}; expected 1 / (1 - rate) = "
                        "{expected:.4g}{hint}."
                    ).format(what=what, median=median, expected=1 / (1 - rate), hint=hint)
                )
        ratio = float(out.mean() / x.mean())
        if abs(ratio - 1) > 8 * math.sqrt(rate / ((1 - rate) * n)) + 1e-9:
            raise AssertionError(
                _("{what}: the output mean is {ratio:.4f} times the input mean; expected about 1.").format(
                    what=what, ratio=ratio
                )
            )
        again = as_array(call(fn, x.copy(), rate, rng=np.random.default_rng(seed), what=what), what, shape)
        if not np.array_equal(again, out):
            raise AssertionError(
                _(
                    "{what} gave a different mask for the same seed: draw the random numbers from the rng argument "
                    "(e.g. rng.random(x.shape)), not from np.random."
                ).format(what=what)
            )
        if rate > 0:
            other = as_array(
                call(fn, x.copy(), rate, rng=np.random.default_rng(seed + 1), what=what), what, shape
            )
            if np.array_equal(other, out):
                raise AssertionError(
                    _("{what} gave the same mask for two different seeds: use the rng argument.").format(
                        what=what
                    )
                )
    what = _("dropout_forward(x, 0.0, rng=np.random.default_rng({seed})) for x of shape {shape}").format(
        seed=seed, shape=shape
    )
    out = as_array(call(fn, x.copy(), 0.0, rng=np.random.default_rng(seed), what=what), what, shape)
    if not np.allclose(out, x, rtol=1e-6, atol=0):  # float32 output allowed
        raise AssertionError(
            _("{what} changed x; with rate=0 nothing is dropped and the output equals x.").format(what=what)
        )
    rate = rates[-1]
    what = _("dropout_forward(x, {rate:g}) without an rng, for x of shape {shape}").format(
        rate=rate, shape=shape
    )
    hint = _(" (with rng=None, create a generator with np.random.default_rng())")
    out = as_array(call(fn, x.copy(), rate, what=what, hint=hint, hint_when=("NoneType",)), what, shape)
    fraction = float((out == 0).mean())
    if abs(fraction - rate) > 6 * math.sqrt(rate * (1 - rate) / n) + 1e-9:
        raise AssertionError(
            _(
                "{what} zeroed {fraction:.1%} of the elements; expected about {rate:.0%} "
                "(with rng=None, create one with np.random.default_rng())."
            ).format(what=what, fraction=fraction, rate=rate)
        )
    for bad in invalid_rates:
        expect_value_error(
            fn, x[:2].copy(), bad, what=f"dropout_forward(x, {bad:g})", reason=_("rate must be in [0, 1)")
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


def _mc_model(
    input_dim: int, hidden: int, num_classes: int, rate: float, seed: int, x: np.ndarray
) -> tuple[Any, np.ndarray]:
    """``Dense(relu) → BatchNormalization → Dropout(rate) → Dense(softmax)`` (no Dropout when ``rate`` is 0),
    with moving statistics far from the batch ``x``'s own, and its inference-mode prediction on ``x``.

    The moving variance is half or twice the batch's, and the moving mean is shifted from the batch's so that,
    at the batch mean, every normalized unit moves by 0.7 in the direction that raises one class's logit:
    normalizing with the batch's statistics (training mode) or with the moving ones (inference mode) moves that
    logit by several units, far more than the dropout noise of a few passes. Small output weights keep every
    probability away from 0 and 1, so every output changes from one dropout pass to the next and the mean of a
    few passes is close to normal."""
    keras = import_keras()
    rng = np.random.default_rng([seed, 303])
    with checks.quiet():
        keras.utils.set_random_seed(seed)
        parts = [
            keras.Input(shape=(input_dim,)),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.BatchNormalization(),
        ]
        if rate > 0:
            parts.append(keras.layers.Dropout(rate))
        parts.append(keras.layers.Dense(num_classes, activation="softmax"))
        model = keras.Sequential(parts)
        dense, bn, output = model.layers[0], model.layers[1], model.layers[-1]
        h = np.asarray(dense(x))
        gamma = rng.uniform(0.5, 1.5, size=hidden)
        kernel = rng.normal(size=(hidden, num_classes)) * 0.3 / math.sqrt(hidden)
        raised = kernel[:, rng.integers(num_classes)]
        variance = (h.var(axis=0) + 0.05) * rng.choice([0.5, 2.0], size=hidden)
        shift = 0.7 * np.sign(raised) * np.sqrt(variance + bn.epsilon) / gamma
        bn.moving_mean.assign((h.mean(axis=0) - shift).astype(np.float32))
        bn.moving_variance.assign(variance.astype(np.float32))
        bn.gamma.assign(gamma.astype(np.float32))
        bn.beta.assign(rng.normal(0.0, 0.3, size=hidden).astype(np.float32))
        output.kernel.assign(kernel.astype(np.float32))
        predicted = np.asarray(model(x, training=False))
    return model, predicted


def _passes(model: Any, x: np.ndarray, n: int, batch_norm: str = "inference") -> np.ndarray:
    """``n`` forward passes at once (``x`` tiled: every row gets its own dropout mask), shape ``(n, rows, out)``,
    with Dropout active and the other layers in inference mode; ``batch_norm="batch"`` runs BatchNormalization
    in training mode instead (normalizing with the statistics of ``x``; its moving statistics are put back
    afterwards), ``batch_norm="skipped"`` leaves it out."""
    keras = import_keras()
    saved = [np.array(w) for w in model.weights]
    h = np.tile(x, (n, 1))
    with checks.quiet():
        for layer in model.layers:
            if isinstance(layer, keras.layers.BatchNormalization):
                if batch_norm == "skipped":
                    continue
                h = layer(h, training=batch_norm == "batch")
            else:
                h = layer(h, training=isinstance(layer, keras.layers.Dropout))
        for weight, value in zip(model.weights, saved, strict=True):
            weight.assign(value)
    return np.asarray(h).reshape(n, len(x), -1).astype(np.float64)


def _snapshot(model: Any) -> list[tuple[Any, Any, np.ndarray]]:
    """(layer, variable, copy of its value) for every weight and moving statistic of ``model``."""
    return [(layer, weight, np.array(weight)) for layer in model.layers for weight in layer.weights]


def _model_unchanged(snapshot: list[tuple[Any, Any, np.ndarray]], what: str) -> None:
    """Fail naming the first weight or moving statistic the learner's call changed."""
    keras = import_keras()
    for layer, weight, before in snapshot:
        now = np.asarray(weight)
        if np.array_equal(before, now):
            continue
        change = float(np.max(np.abs(now - before))) if now.shape == before.shape else float("nan")
        name = weight.name.split("/")[-1]
        if isinstance(layer, keras.layers.BatchNormalization) and name.startswith("moving_"):
            statistic = {"moving_mean": _("moving mean"), "moving_variance": _("moving variance")}
            raise AssertionError(
                _(
                    "after {what} the BatchNormalization layer's {statistic} changed (by up to "
                    "{change:.3g}): model(x, training=True) puts BatchNormalization in training mode too, "
                    "which updates its moving statistics; call each layer with training=True only for Dropout."
                ).format(what=what, statistic=statistic.get(name, name.replace("_", " ")), change=change)
            )
        raise AssertionError(
            _(
                "after {what} the {layer} layer's {name} changed (by up to {change:.3g}): "
                "Monte-Carlo dropout only predicts; leave every weight of the model as it was (no fit, no assign)."
            ).format(what=what, layer=type(layer).__name__, name=name, change=change)
        )


def _mc_result(
    fn: Callable[..., Any],
    model: Any,
    x: np.ndarray,
    k: int | None,
    by_name: bool,
    what: str,
    shape: tuple[int, ...],
) -> tuple[np.ndarray, np.ndarray]:
    """Call the learner's function and read its ``(mean, std)``."""
    args: tuple[Any, ...] = (model, x) if k is None or by_name else (model, x, k)
    kwargs = {"n_samples": k} if k is not None and by_name else {}
    result = call(fn, *args, what=what, **kwargs)
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise AssertionError(
            _("{what} returned {type}; expected a tuple (mean, std).").format(
                what=what, type=type(result).__name__
            )
        )
    return as_array(result[0], f"{what} (mean)", shape), as_array(result[1], f"{what} (std)", shape)


def _call_text(k: int | None, by_name: bool) -> str:
    """How the check called the learner's function, for messages."""
    if k is None:
        return "mc_dropout_predict(model, x)"
    return f"mc_dropout_predict(model, x, n_samples={k})" if by_name else f"mc_dropout_predict(model, x, {k})"


def _passes_averaged(ratio: np.ndarray, limit: int = 100) -> int | None:
    """The number of passes averaged in ``ratio``, the mean over passes of outputs that are 0 or 1 in every pass:
    the smallest ``n`` that makes every ``ratio * n`` a whole number (None when none up to ``limit`` does)."""
    for n in range(1, limit + 1):
        counts = ratio * n
        if float(np.max(np.abs(counts - np.round(counts)))) < 1e-3:
            return n
    return None


def _check_passes(fn: Callable[..., Any], k: int | None, by_name: bool, n_rows: int, seed: int) -> None:
    """Check that the mean averages exactly ``n_samples`` passes, over axis 0, from what comes out of a model
    whose every output is 0 or twice its input in a pass (``Dropout(0.5)``, then an identity ``Dense``): divided
    by twice the input, an average of ``n`` passes is a multiple of ``1 / n``. Rows and columns of the input
    differ, so an average over another axis is not."""
    keras = import_keras()
    width = 8
    with checks.quiet():
        keras.utils.set_random_seed(seed + 7)
        model = keras.Sequential(
            [
                keras.Input(shape=(width,)),
                keras.layers.Dropout(0.5),
                keras.layers.Dense(width, use_bias=False, kernel_initializer="identity"),
            ]
        )
    x = (1 + 0.5 * (np.add.outer(np.arange(n_rows), np.arange(width)) % 4)).astype(np.float32)
    expected = 30 if k is None else k
    what = _("{call} for x of shape {shape} and a model Dropout(0.5) → Dense (identity kernel)").format(
        call=_call_text(k, by_name), shape=x.shape
    )
    mean, _std = _mc_result(fn, model, x, k, by_name, what, x.shape)
    if np.allclose(mean, x, rtol=1e-6, atol=0):
        raise AssertionError(
            _(
                "{what}: the mean equals the output without dropout (x itself); average the {expected} passes "
                "with dropout active."
            ).format(what=what, expected=expected)
        )
    found = _passes_averaged(mean / (2 * x), limit=max(100, 3 * expected))
    if found == expected:
        return
    if found is None:
        raise AssertionError(
            _(
                "{what}: the mean is not an average of whole passes; average the {expected} outputs over axis 0."
            ).format(what=what, expected=expected)
        )
    raise AssertionError(
        _(
            "{what}: the mean is an average of {found} passes; n_samples={expected} asks for {expected}."
        ).format(what=what, found=found, expected=expected)
    )


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
    """Check ``mc_dropout_predict(model, x, n_samples=30)`` by what comes out, on a ``Sequential`` with
    BatchNormalization: shapes, a spread where dropout acts, the mean against inference-mode BatchNormalization
    with active dropout (within the sampling error), weights and moving statistics exactly unchanged, and the
    number of passes. ``None`` in ``n_samples`` leaves the default; the explicit values are passed by name and
    positionally in turn."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n_rows, input_dim)).astype(np.float32)
    hidden = 128
    model, predicted = _mc_model(input_dim, hidden, num_classes, rate, seed, x)
    reference_passes = 2000
    passes = _passes(model, x, reference_passes)
    ref_mean, ref_std = passes.mean(axis=0), passes.std(axis=0)
    # What two typical mistakes give: BatchNormalization in training mode, or left out.
    mistakes = {}
    for mode, hint in (
        (
            "batch",
            _(
                "that is what BatchNormalization gives in training mode, normalizing with the batch's own "
                "statistics; keep every layer but Dropout in inference mode (training=False)"
            ),
        ),
        (
            "skipped",
            _(
                "that is the model without its BatchNormalization layer; call every layer, BatchNormalization "
                "in inference mode (training=False)"
            ),
        ),
    ):
        wrong = _passes(model, x, 400, batch_norm=mode)
        mistakes[mode] = (wrong.mean(axis=0), wrong.std(axis=0), hint)
    acting = ref_std > 1e-3  # the outputs dropout changes from pass to pass (all of them, by design)
    shape = (n_rows, num_classes)
    model_text = _("a Sequential with BatchNormalization and Dropout({rate:g})").format(rate=rate)
    explicit = 0
    for samples in n_samples:
        k = 30 if samples is None else int(samples)
        by_name = samples is None or explicit % 2 == 0
        explicit += samples is not None
        what = _("{call} for x of shape {shape} and {model}").format(
            call=_call_text(samples, by_name), shape=x.shape, model=model_text
        )
        snapshot = _snapshot(model)
        mean, std = _mc_result(fn, model, x, samples, by_name, what, shape)
        _model_unchanged(snapshot, what)
        # k passes of an output that changes continuously from pass to pass never have a std near 0.
        flat = np.abs(std[acting]) <= 1e-4 * ref_std[acting]
        if flat.all():
            raise AssertionError(
                _(
                    "{what} returned std = 0 everywhere: the passes are all equal, so dropout was not active; "
                    "run the Dropout layers in training mode (training=True) and take the std over the passes."
                ).format(what=what)
            )
        if flat.any():
            raise AssertionError(
                _(
                    "{what} returned std = 0 for {flat} of the {acting} outputs that dropout "
                    "changes from pass to pass: take the std of each output over the passes (axis 0)."
                ).format(what=what, flat=int(flat.sum()), acting=int(acting.sum()))
            )
        # The learner's mean of k passes and the reference's of many differ by sampling error only.
        sampling_error = ref_std * math.sqrt(1 / k + 1 / reference_passes)
        error = np.abs(mean - ref_mean)
        if float((error > 5 * sampling_error + 1e-5).mean()) > 0.1:
            hint = ""
            if np.allclose(mean, predicted, atol=1e-5):
                hint = _(": that is the prediction without dropout; average the passes with dropout active")
            matches = []  # (how far, hint) of the mistakes the mean is consistent with
            for wrong_mean, wrong_std, why in mistakes.values():
                z = np.abs(mean - wrong_mean) / (wrong_std * math.sqrt(1 / k + 1 / 400) + 1e-6)
                if float((z > 5).mean()) <= 0.1:
                    matches.append((float(np.sqrt(np.mean(z**2))), _(": {hint}").format(hint=why)))
            if matches and not hint:
                hint = min(matches)[1]
            raise AssertionError(
                _(
                    "{what}: the mean differs by up to {error:.3g} from the average of {passes} "
                    "passes with Dropout active and BatchNormalization in inference mode{hint}."
                ).format(what=what, error=error.max(), passes=reference_passes, hint=hint)
            )
        ratio = float(std[acting].mean() / ref_std[acting].mean())
        # Wide bounds: a std of a few passes is noisy and biased low; the variance (std ** 2) is far below.
        if not 0.35 < ratio < 2.0:
            hint = ""
            if 0.5 < float(np.sqrt(np.abs(std[acting])).mean() / ref_std[acting].mean()) < 1.5:
                hint = _(": that looks like the variance; return the standard deviation")
            raise AssertionError(
                _(
                    "{what}: the std averages {std:.4g}; {passes} passes with dropout give about {reference:.4g}{hint}."
                ).format(
                    what=what,
                    std=std[acting].mean(),
                    passes=reference_passes,
                    reference=ref_std[acting].mean(),
                    hint=hint,
                )
            )
        _check_passes(fn, samples, by_name, n_rows, seed)
    plain, predicted = _mc_model(input_dim, 16, num_classes, 0.0, seed + 1, x)
    what = _(
        "mc_dropout_predict(model, x, n_samples=5) for x of shape {shape} and a model without dropout"
    ).format(shape=x.shape)
    snapshot = _snapshot(plain)
    mean, std = _mc_result(fn, plain, x, 5, True, what, shape)
    _model_unchanged(snapshot, what)
    if float(np.abs(std).max()) > 1e-5:
        raise AssertionError(
            _(
                "{what} returned a std up to {std:.3g}; without dropout every pass is equal, so the std "
                "of each output over the passes (axis 0) is 0."
            ).format(what=what, std=std.max())
        )
    if not np.allclose(mean, predicted, atol=1e-5):
        raise AssertionError(
            _(
                "{what} returned a mean that differs from the model's prediction by up to "
                "{difference:.3g}; without dropout every layer runs in inference mode."
            ).format(what=what, difference=np.abs(mean - predicted).max())
        )
    return True
