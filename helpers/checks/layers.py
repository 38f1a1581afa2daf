"""Layers: activations by canonical name, layers as plain specs, and a model's layers against expected specs."""

from __future__ import annotations

import contextlib
from typing import Any

from helpers._common import close, quietly
from helpers.checks._text import _round, _snake, format_value
from helpers.checks.models import _flat_layers, expect_model
from helpers.checks.regularizers import _expected_text, assert_regularizer, describe_regularizer
from helpers.i18n import _

_ACTIVATION_ALIASES = {
    "softmax_v2": "softmax",
    "swish": "silu",
    "log_softmax_v2": "log_softmax",
    "none": "linear",
    "": "linear",
}

_ACTIVATION_LAYERS = {
    "ReLU": "relu",
    "Softmax": "softmax",
    "LeakyReLU": "leaky_relu",
    "ELU": "elu",
    "PReLU": "prelu",
}


def canonical_activation(activation: Any) -> str | None:
    """The canonical name of an activation given as a string, a function, or an activation layer."""
    if activation is None:
        return "linear"
    if isinstance(activation, str):
        name = activation.strip().lower()
        return _ACTIVATION_ALIASES.get(name, name)
    kind = type(activation).__name__
    if kind in _ACTIVATION_LAYERS:
        return _ACTIVATION_LAYERS[kind]
    if kind == "Activation":
        return canonical_activation(getattr(activation, "activation", None))
    name = getattr(activation, "__name__", None)
    if name is None:
        name = _snake(kind)
    if name == "<lambda>":
        return "lambda"
    return _ACTIVATION_ALIASES.get(name.lower(), name.lower())


_REGULARIZER_KEYS = ("kernel_regularizer", "bias_regularizer", "activity_regularizer")
_BN_KEYS = ("epsilon", "momentum", "axis", "center", "scale")


@quietly
def layer_spec(layer: Any) -> dict[str, Any]:
    """The plain spec of one layer (same keys as :func:`layer_specs`)."""
    kind = type(layer).__name__
    spec: dict[str, Any] = {"type": kind, "name": getattr(layer, "name", None)}
    if hasattr(layer, "units"):
        spec["units"] = int(layer.units)
    if kind in _ACTIVATION_LAYERS:
        spec["activation"] = _ACTIVATION_LAYERS[kind]
    elif hasattr(layer, "activation"):
        spec["activation"] = canonical_activation(layer.activation)
    if hasattr(layer, "rate"):
        with contextlib.suppress(TypeError, ValueError):
            spec["rate"] = _round(layer.rate)
    for key in _REGULARIZER_KEYS:
        if hasattr(layer, key):
            spec[key] = describe_regularizer(getattr(layer, key))
    if hasattr(layer, "use_bias"):
        spec["use_bias"] = bool(layer.use_bias)
    if kind == "BatchNormalization":
        for key in _BN_KEYS:
            value = getattr(layer, key, None)
            spec[key] = _round(value) if isinstance(value, float) else value
    return spec


def _fold(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Merge a linear layer directly followed by an activation layer into one spec with that activation."""
    folded: list[dict[str, Any]] = []
    for spec in specs:
        is_act = spec["type"] == "Activation" or spec["type"] in _ACTIVATION_LAYERS
        if is_act and folded and folded[-1].get("activation") == "linear" and "units" in folded[-1]:
            folded[-1] = {**folded[-1], "activation": spec["activation"]}
            continue
        folded.append(spec)
    return folded


@quietly
def layer_specs(model: Any, fold_activations: bool = False) -> list[dict[str, Any]]:
    """The model's layers (input excluded) as plain dicts: type, units, activation, rate, regularizers, ..."""
    specs = [layer_spec(layer) for layer in _flat_layers(model)]
    return _fold(specs) if fold_activations else specs


def _describe_expected(spec: dict[str, Any]) -> str:
    """Short constructor-like form of an expected layer spec, e.g. ``Dense(64, activation='relu')``."""
    kind = spec["type"] if "type" in spec else _("a layer")
    if isinstance(kind, (tuple, list)):
        kind = _(" or ").join(kind)
    parts = []
    if "units" in spec:
        parts.append(str(spec["units"]))
    for key in ("activation", "rate", *_BN_KEYS, "use_bias"):
        if key in spec:
            parts.append(f"{key}={format_value(spec[key])}")
    return f"{kind}({', '.join(parts)})"


def _type_ok(found: str, expected: Any) -> bool:
    """Whether a found layer class name matches an expected type (a name or a tuple of names)."""
    if isinstance(expected, (tuple, list)):
        return found in expected
    return found == expected


def _hint(key: str, found: Any, expected: Any, is_last: bool) -> str:
    """An extra hint for a common wrong argument value."""
    if key == "rate" and isinstance(found, float) and isinstance(expected, float):
        if expected != 0.5 and close(found, 1.0 - expected, 1e-4):
            return _(" (rate is the fraction of units DROPPED, not kept)")
    if key == "activation" and is_last and expected == "softmax":
        return _(" (the output layer needs activation='softmax' to output class probabilities)")
    if key == "activation" and found == "linear":
        return _(" (pass activation={value})").format(value=format_value(expected))
    if key == "units" and is_last:
        return _(" (the output layer needs one unit per class)")
    return ""


@quietly
def _types_match(found: list[dict[str, Any]], expected: list[dict[str, Any]]) -> bool:
    """Whether two spec lists have the same length and matching layer types."""
    return len(found) == len(expected) and all(
        "type" not in e or _type_ok(f["type"], e["type"]) for f, e in zip(found, expected, strict=True)
    )


def _layers(n: int) -> str:
    """``"1 layer"`` / ``"3 layers"``."""
    return _("{count} layer").format(count=n) if n == 1 else _("{count} layers").format(count=n)


def _type_hint(found: list[dict[str, Any]], expected: list[dict[str, Any]], i: int) -> str:
    """Explain a layer-type mismatch at index ``i``: swapped layers, a missing layer or an extra layer."""
    pos = i + 1
    if i + 1 < min(len(found), len(expected)):
        swapped = found[:i] + [found[i + 1], found[i]] + found[i + 2 :]
        if _types_match(swapped[: len(expected)], expected[: len(swapped)]):
            return _(" (layers {first} and {second} are in the wrong order)").format(
                first=pos, second=pos + 1
            )
    if _types_match(found[i:], expected[i + 1 :]):
        kind = str(expected[i].get("type", "a"))
        return _(" (a {kind} layer is missing before it)").format(kind=kind)
    if _types_match(found[i + 1 :], expected[i:]):
        return _(" (layer {position} is one layer too many: remove it)").format(position=pos)
    return ""


def _compare_layer(
    f: dict[str, Any], e: dict[str, Any], label: str, what: str, is_last: bool, rel_tol: float
) -> None:
    """Compare one found layer spec with the keys of one expected partial spec (type already matched)."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    for key, want in e.items():
        if key in ("type", "name"):
            continue
        if key in _REGULARIZER_KEYS:
            if key not in f:
                if want is None:
                    continue
                raise AssertionError(
                    _("{what}: {label} takes no {key}; expected {expected}.").format(
                        what=what, label=label, key=key, expected=_expected_text(want)
                    )
                )
            where = _("{what}: {key} of {label}").format(what=what, key=key, label=label)
            assert_regularizer(f[key], want, where, rel_tol=rel_tol)
            continue
        if key not in f:
            raise AssertionError(
                _("{what}: {label} has no argument {key!r}; expected {key}={value}.").format(
                    what=what, label=label, key=key, value=format_value(want)
                )
            )
        got = f[key]
        if key == "activation":
            want = canonical_activation(want)
        if not close(got, want, rel_tol):
            raise AssertionError(
                _("{what}: {label} has {key}={found}; expected {key}={expected}{hint}.").format(
                    what=what,
                    label=label,
                    key=key,
                    found=format_value(got),
                    expected=format_value(want),
                    hint=_hint(key, got, want, is_last),
                )
            )


def assert_layer_sequence(
    model: Any, expected: list[dict[str, Any]], what: str, rel_tol: float = 1e-4
) -> None:
    """Check the layers after the input against partial specs; fail on the first difference."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    model = expect_model(model, what)
    fold = not any(
        _type_ok("Activation", e.get("type")) or any(_type_ok(t, e.get("type")) for t in _ACTIVATION_LAYERS)
        for e in expected
    )
    found = layer_specs(model, fold_activations=fold)
    n_found, n_exp = len(found), len(expected)
    for i in range(min(n_found, n_exp)):
        pos, f, e = i + 1, found[i], expected[i]
        if "type" in e and not _type_ok(f["type"], e["type"]):
            hint = _type_hint(found, expected, i)
            raise AssertionError(
                _("{what}: layer {position} should be {expected}, found {found}{hint}.").format(
                    what=what, position=pos, expected=_describe_expected(e), found=f["type"], hint=hint
                )
            )
        label = _("layer {position} ({kind})").format(position=pos, kind=f["type"])
        _compare_layer(f, e, label, what, pos == n_exp, rel_tol)
    if n_found < n_exp:
        missing = expected[n_found]
        raise AssertionError(
            _(
                "{what}: the model has {layers} after the input, expected {expected}: "
                "layer {position} ({missing}) is missing."
            ).format(
                what=what,
                layers=_layers(n_found),
                expected=n_exp,
                position=n_found + 1,
                missing=_describe_expected(missing),
            )
        )
    if n_found > n_exp:
        extra = found[n_exp]
        last = expected[-1] if expected else {}
        if n_exp and canonical_activation(last.get("activation", "linear")) in ("softmax", "sigmoid"):
            raise AssertionError(
                _(
                    "{what}: layer {position} ({kind}) comes after the output layer: "
                    "the {activation} layer must be the last layer, so remove it or move it earlier."
                ).format(what=what, position=n_exp + 1, kind=extra["type"], activation=last.get("activation"))
            )
        raise AssertionError(
            _(
                "{what}: the model has {layers} after the input, expected {expected}: "
                "remove layer {position} ({kind})."
            ).format(
                what=what, layers=_layers(n_found), expected=n_exp, position=n_exp + 1, kind=extra["type"]
            )
        )
