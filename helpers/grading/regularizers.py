"""Checks of 02_regularizers: the three NumPy penalties (against Keras), ``build_regularized_model``,
``build_penalized_layer`` and ``sparsity``."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from helpers import checks
from helpers._common import close, import_keras, quietly
from helpers.grading._core import as_number, call, expect_value_error, first_hint
from helpers.i18n import _


def _weights(rng: np.random.Generator, shape: Sequence[int]) -> np.ndarray:
    """Random float32 weights of ``shape`` with both signs."""
    return rng.normal(0.0, 0.6, size=tuple(shape)).astype(np.float32)


def _keras_penalty(weights: np.ndarray, l1: float, l2: float) -> float:
    """What Keras's L1/L2/L1L2 regularizer gives on ``weights``."""
    keras = import_keras()
    with checks.quiet():
        if l2 == 0:
            value = keras.regularizers.L1(l1)(weights)
        elif l1 == 0:
            value = keras.regularizers.L2(l2)(weights)
        else:
            value = keras.regularizers.L1L2(l1=l1, l2=l2)(weights)
        return float(np.asarray(value))


def _penalty_check(
    fn: Callable[..., Any],
    name: str,
    cases: Sequence[tuple[tuple[int, ...], tuple[float, ...]]],
    seed: int,
    reference: Callable[[np.ndarray, tuple[float, ...]], float],
    variants: Callable[[np.ndarray, tuple[float, ...]], list[tuple[float, str]]],
    keras_text: Callable[[tuple[float, ...]], str],
) -> bool:
    """Shared body of the three penalty checks: compare with Keras on random weights of several shapes."""
    rng = np.random.default_rng(seed)
    for shape, factors in cases:
        w = _weights(rng, shape)
        expected = reference(w, factors)
        args = ", ".join(f"{f:g}" for f in factors)
        what = _("{name}(w, {args}) for w of shape {shape}").format(name=name, args=args, shape=tuple(shape))
        found = as_number(call(fn, w.copy(), *factors, what=what), what, numpy_only=True)
        if math.isclose(found, expected, rel_tol=1e-5, abs_tol=1e-8):
            continue
        hint = first_hint(found, variants(w.astype(np.float64), factors), rel=1e-4)
        raise AssertionError(
            _("{what} returned {found:.6g}; expected {expected:.6g} ({keras} gives that){hint}.").format(
                what=what, found=found, expected=expected, keras=keras_text(factors), hint=hint
            )
        )
    return True


@quietly
def check_l1_penalty(
    fn: Callable[..., Any],
    *,
    seed: int = 0,
    shapes: Sequence[tuple[int, ...]] = ((6, 4),),
    factors: Sequence[float] = (0.01,),
) -> bool:
    """Check ``l1_penalty(weights, factor)`` against ``keras.regularizers.L1(factor)``."""

    def variants(w: np.ndarray, f: tuple[float, ...]) -> list[tuple[float, str]]:
        (a,) = f
        return [
            (a * w.sum(), _("take the absolute value of each weight before summing")),
            (a * np.abs(w).mean(), _("sum the absolute values, do not average them")),
            (np.abs(w).sum(), _("multiply the sum by factor")),
            (a * np.square(w).sum(), _("that is the L2 penalty (squares); L1 sums absolute values")),
        ]

    cases = [(s, (f,)) for s in shapes for f in factors]
    return _penalty_check(
        fn,
        "l1_penalty",
        cases,
        seed,
        lambda w, f: _keras_penalty(w, f[0], 0.0),
        variants,
        lambda f: f"keras.regularizers.L1({f[0]:g})",
    )


@quietly
def check_l2_penalty(
    fn: Callable[..., Any],
    *,
    seed: int = 1,
    shapes: Sequence[tuple[int, ...]] = ((6, 4),),
    factors: Sequence[float] = (0.01,),
) -> bool:
    """Check ``l2_penalty(weights, factor)`` against ``keras.regularizers.L2(factor)``."""

    def variants(w: np.ndarray, f: tuple[float, ...]) -> list[tuple[float, str]]:
        (a,) = f
        return [
            (0.5 * a * np.square(w).sum(), _("Keras's L2 has no 1/2 in front: factor * sum(w ** 2)")),
            (a * math.sqrt(np.square(w).sum()), _("sum the squares; do not take the square root (the norm)")),
            (a * np.square(w).mean(), _("sum the squares, do not average them")),
            (np.square(w).sum(), _("multiply the sum by factor")),
            (a * np.abs(w).sum(), _("that is the L1 penalty (absolute values); L2 sums squares")),
        ]

    cases = [(s, (f,)) for s in shapes for f in factors]
    return _penalty_check(
        fn,
        "l2_penalty",
        cases,
        seed,
        lambda w, f: _keras_penalty(w, 0.0, f[0]),
        variants,
        lambda f: f"keras.regularizers.L2({f[0]:g})",
    )


@quietly
def check_elastic_net_penalty(
    fn: Callable[..., Any],
    *,
    seed: int = 2,
    shapes: Sequence[tuple[int, ...]] = ((6, 4),),
    factors: Sequence[tuple[float, float]] = ((0.01, 0.02),),
) -> bool:
    """Check ``elastic_net_penalty(weights, l1, l2)`` against ``keras.regularizers.L1L2(l1, l2)``."""

    def variants(w: np.ndarray, f: tuple[float, ...]) -> list[tuple[float, str]]:
        a, b = f
        s1, s2 = np.abs(w).sum(), np.square(w).sum()
        return [
            (b * s1 + a * s2, _("l1 and l2 are swapped: l1 multiplies the absolute values, l2 the squares")),
            (a * s1, _("add the L2 term l2 * sum(w ** 2)")),
            (b * s2, _("add the L1 term l1 * sum(|w|)")),
            (a * s1 + 0.5 * b * s2, _("Keras's L2 term has no 1/2 in front")),
        ]

    cases = [(s, tuple(f)) for s in shapes for f in factors]
    return _penalty_check(
        fn,
        "elastic_net_penalty",
        cases,
        seed,
        lambda w, f: _keras_penalty(w, f[0], f[1]),
        variants,
        lambda f: f"keras.regularizers.L1L2(l1={f[0]:g}, l2={f[1]:g})",
    )


def _regularizer_factors(kind: str, factor: float) -> dict[str, float]:
    """The expected L1/L2 factors of ``build_regularized_model``'s hidden layer for ``kind``."""
    return {
        "l1": {"l1": factor, "l2": 0.0},
        "l2": {"l1": 0.0, "l2": factor},
        "elastic_net": {"l1": factor, "l2": factor},
    }[kind]


@quietly
def check_build_regularized_model(
    fn: Callable[..., Any],
    *,
    input_dim: int = 64,
    num_classes: int = 10,
    kinds: Sequence[str] = ("l2", "l1", "elastic_net"),
    factor: float = 0.01,
    invalid_kinds: Sequence[Any] = ("l3",),
) -> bool:
    """Check ``build_regularized_model(input_dim, num_classes, kind="l2", factor=0.01)``."""
    calls: list[tuple[str, dict[str, Any]]] = [("l2", {})]
    calls += [(kind, {"kind": kind, "factor": factor}) for kind in kinds]
    for kind, kwargs in calls:
        args = "".join(f", {k}={checks.format_value(v)}" for k, v in kwargs.items())
        what = f"build_regularized_model({input_dim}, {num_classes}{args})"
        model = checks.expect_model(call(fn, input_dim, num_classes, what=what, **kwargs), what)
        checks.assert_input_dim(model, input_dim, what)
        reg = _regularizer_factors(kind, kwargs.get("factor", 0.01))
        checks.assert_layer_sequence(
            model,
            [
                {
                    "type": "Dense",
                    "units": 64,
                    "activation": "relu",
                    "kernel_regularizer": reg,
                    "bias_regularizer": None,
                    "activity_regularizer": None,
                },
                {
                    "type": "Dense",
                    "units": num_classes,
                    "activation": "softmax",
                    "kernel_regularizer": None,
                    "bias_regularizer": None,
                    "activity_regularizer": None,
                },
            ],
            what,
        )
    for kind in invalid_kinds:
        what = f"build_regularized_model({input_dim}, {num_classes}, kind={kind!r})"
        expect_value_error(
            fn,
            input_dim,
            num_classes,
            kind=kind,
            what=what,
            reason=_("kind must be 'l1', 'l2' or 'elastic_net'"),
        )
    return True


@quietly
def check_build_penalized_layer(fn: Callable[..., Any], *, units: Sequence[int] = (32,)) -> bool:
    """Check ``build_penalized_layer(units)``: Dense(units, relu) with kernel/bias L2(0.01), activity L1(0.001)."""
    keras = import_keras()
    for n in units:
        what = f"build_penalized_layer({n})"
        layer = call(fn, n, what=what)
        if isinstance(layer, keras.Model):
            raise AssertionError(
                _("{what} returned a model; return the Dense layer itself.").format(what=what)
            )
        if not isinstance(layer, keras.layers.Dense):
            raise AssertionError(
                _("{what} returned {found}; expected a keras.layers.Dense layer.").format(
                    what=what, found=checks.format_value(layer) if layer is None else type(layer).__name__
                )
            )
        if int(layer.units) != n:
            raise AssertionError(
                _(
                    "{what}: the layer has {units} units; expected {expected} (use the units argument)."
                ).format(what=what, units=layer.units, expected=n)
            )
        activation = checks.canonical_activation(layer.activation)
        if activation != "relu":
            raise AssertionError(
                _("{what}: the layer has activation={activation!r}; expected 'relu'.").format(
                    what=what, activation=activation
                )
            )
        expected = {
            "kernel_regularizer": {"l1": 0.0, "l2": 0.01},
            "bias_regularizer": {"l1": 0.0, "l2": 0.01},
            "activity_regularizer": {"l1": 0.001, "l2": 0.0},
        }
        for key, want in expected.items():
            checks.assert_regularizer(getattr(layer, key, None), want, f"{what}: {key}")
        other = call(fn, n, what=what)
        if other is layer:
            raise AssertionError(
                _(
                    "{what} returned the same layer object twice: create a new Dense inside the function, "
                    "a layer can belong to one model only."
                ).format(what=what)
            )
    return True


def _sparsity_model(
    rng: np.random.Generator,
    sizes: Sequence[int],
    fractions: Sequence[float],
    threshold: float,
    functional: bool,
) -> tuple[Any, float, list[float], float, float]:
    """A Dense/BatchNormalization model with a known fraction of tiny kernel weights in each Dense layer.

    Returns the model, the expected sparsity and, for the hints, the per-layer fractions and the fractions
    obtained when biases or every weight of the model are counted too."""
    keras = import_keras()
    with checks.quiet():
        keras.utils.set_random_seed(int(rng.integers(1 << 30)))
        layers: list[Any] = []
        for i, units in enumerate(sizes[1:]):
            last = i == len(sizes) - 2
            layers.append(keras.layers.Dense(units, activation="softmax" if last else "relu"))
            if i == 0:
                layers.append(keras.layers.BatchNormalization())
        inputs = keras.Input(shape=(sizes[0],))
        if functional:
            x = inputs
            for layer in layers:
                x = layer(x)
            model = keras.Model(inputs, x)
        else:
            model = keras.Sequential([inputs, *layers])
        dense = [layer for layer in layers if isinstance(layer, keras.layers.Dense)]
        tiny, kernels, biases, per_layer = 0, 0, 0, []
        for layer, fraction in zip(dense, fractions, strict=True):
            shape = tuple(layer.kernel.shape)
            size = int(np.prod(shape))
            n_tiny = int(round(fraction * size))
            values = rng.uniform(3 * threshold, 1.0, size) * rng.choice([-1.0, 1.0], size)
            values[rng.choice(size, n_tiny, replace=False)] = rng.uniform(
                -0.5 * threshold, 0.5 * threshold, n_tiny
            )
            layer.kernel.assign(values.reshape(shape).astype(np.float32))
            layer.bias.assign(np.zeros(tuple(layer.bias.shape), dtype=np.float32))
            tiny, kernels, biases = tiny + n_tiny, kernels + size, biases + int(layer.bias.shape[0])
            per_layer.append(n_tiny / size)
        weights = model.get_weights()
    every = sum(int((np.abs(w) < threshold).sum()) for w in weights) / sum(w.size for w in weights)
    return model, tiny / kernels, per_layer, (tiny + biases) / (kernels + biases), every


@quietly
def check_sparsity(
    fn: Callable[..., Any],
    *,
    seed: int = 0,
    sizes: Sequence[int] = (12, 10, 4),
    fractions: Sequence[float] = (0.5, 0.125),
    threshold: float | None = None,
    functional: bool = False,
) -> bool:
    """Check ``sparsity(model, threshold=1e-3)``: pooled fraction of Dense kernel weights below threshold."""
    rng = np.random.default_rng(seed)
    limit = 1e-3 if threshold is None else threshold
    model, expected, per_layer, with_bias, with_all = _sparsity_model(
        rng, sizes, fractions, limit, functional
    )
    kwargs = {} if threshold is None else {"threshold": threshold}
    arg = "" if threshold is None else f", threshold={threshold:g}"
    what = _(
        "sparsity(model{arg}) for a model with Dense layers {sizes} (and a BatchNormalization layer) "
        "whose kernels have {fractions} of their weights below {limit:g}"
    ).format(arg=arg, sizes=list(sizes), fractions=", ".join(f"{p:.1%}" for p in per_layer), limit=limit)
    found = as_number(call(fn, model, what=what, **kwargs), what)
    if close(found, expected, 1e-6, 1e-6):
        return True
    variants = [
        (1 - expected, _("count the weights whose absolute value is BELOW the threshold")),
        (
            float(np.mean(per_layer)),
            _("pool the kernel weights of all Dense layers, do not average per layer"),
        ),
        (with_bias, _("count kernel weights only (layer.kernel), not the biases")),
        (with_all, _("count the kernel weights of Dense layers only, not every weight of the model")),
        (per_layer[0], _("include the kernels of all Dense layers, not only the first")),
    ]
    raise AssertionError(
        _("{what} returned {found:.6g}; expected {expected:.6g}{hint}.").format(
            what=what, found=found, expected=expected, hint=first_hint(found, variants)
        )
    )
