"""Model, layer, regularizer and compile inspection for the course's graded tests.

Every check raises ``AssertionError`` with one actionable sentence and writes nothing to stderr, so a test
cell either passes silently or shows the learner the first thing to fix. Keras is imported lazily (and
quietly) the first time a check needs it, so ``import helpers.checks`` stays cheap.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import io
import logging
import math
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

__all__ = [
    "quiet",
    "expect_model",
    "layer_specs",
    "layer_spec",
    "expect_layer",
    "assert_layer",
    "describe_regularizer",
    "assert_regularizer",
    "input_dim_of",
    "assert_input_dim",
    "assert_layer_sequence",
    "compile_spec",
    "assert_compiled",
    "call_learner",
    "canonical_activation",
    "canonical_loss",
    "canonical_metric",
    "format_value",
    "assert_close",
    "assert_early_stopping",
]

# --------------------------------------------------------------------------------------------------------
# Silence
# --------------------------------------------------------------------------------------------------------


class _Sink(io.TextIOBase):
    """A text stream that swallows everything written to it."""

    def writable(self) -> bool:
        """Report that the sink accepts writes."""
        return True

    def write(self, text: str) -> int:
        """Discard ``text``."""
        return len(text)


def _redirect_fd2() -> Callable[[], None]:
    """Point file descriptor 2 at /dev/null and return a function that restores it (no-op if impossible)."""
    try:
        saved = os.dup(2)
    except OSError:
        return lambda: None
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        os.close(saved)
        return lambda: None
    try:
        os.dup2(devnull, 2)
    except OSError:
        os.close(saved)
        os.close(devnull)
        return lambda: None
    os.close(devnull)

    def restore() -> None:
        try:
            os.dup2(saved, 2)
        finally:
            os.close(saved)

    return restore


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Run a block with nothing reaching stderr: warnings, Python logging, ``sys.stderr`` and fd 2."""
    for stream in (sys.stderr, sys.__stderr__):
        with contextlib.suppress(Exception):
            if stream is not None:
                stream.flush()
    previous_disable = logging.root.manager.disable
    saved_stderr = sys.stderr
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.disable(logging.CRITICAL)
        restore_fd = _redirect_fd2()
        sys.stderr = _Sink()
        try:
            yield
        finally:
            sys.stderr = saved_stderr
            restore_fd()
            logging.disable(previous_disable)


_F = TypeVar("_F", bound=Callable[..., Any])


def _quietly(func: _F) -> _F:
    """Decorate a check so that it runs inside :func:`quiet`."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with quiet():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _keras() -> Any:
    """Return the ``keras`` module, importing it (and TensorFlow) quietly on first use."""
    module = sys.modules.get("keras")
    if module is not None and hasattr(module, "Model"):
        return module
    with quiet():
        import keras

    return keras


# --------------------------------------------------------------------------------------------------------
# Small formatting helpers
# --------------------------------------------------------------------------------------------------------


def _round(value: Any) -> float:
    """Return ``value`` as a Python float with float32 noise removed (0.0099999998 -> 0.01)."""
    return float(f"{float(value):.6g}")


def format_value(value: Any) -> str:
    """Format a value for a message: short floats, quoted strings, everything else via ``repr``."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, float):
        return f"{_round(value):g}"
    if isinstance(value, str):
        return repr(value)
    return repr(value)


def _close(a: Any, b: Any, rel_tol: float) -> bool:
    """Compare two values: numbers with a relative tolerance, everything else with ``==``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=rel_tol, abs_tol=1e-12)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_close(x, y, rel_tol) for x, y in zip(a, b, strict=True))
    return a == b


def _snake(name: str) -> str:
    """Turn a CamelCase class name into snake_case (``CategoricalCrossentropy`` -> ``categorical_crossentropy``)."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return name.lower()


def _short(obj: Any, limit: int = 40) -> str:
    """A short description of one call argument for messages."""
    shape = getattr(obj, "shape", None)
    if shape is not None and not isinstance(obj, (int, float, str)):
        try:
            return f"<{type(obj).__name__} of shape {tuple(shape)}>"
        except TypeError:
            pass
    if isinstance(obj, (int, float, str, bool, type(None))):
        text = format_value(obj)
    elif isinstance(obj, dict):
        text = f"<dict of {len(obj)} items>"
    elif isinstance(obj, (list, tuple)) and len(obj) > 4:
        text = f"<{type(obj).__name__} of {len(obj)} items>"
    elif isinstance(obj, (list, tuple)):
        inner = ", ".join(_short(x, limit=20) for x in obj)
        text = f"[{inner}]" if isinstance(obj, list) else f"({inner}{',' if len(obj) == 1 else ''})"
    else:
        text = f"<{type(obj).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _call_text(name: str, args: Sequence[Any], kwargs: dict[str, Any]) -> str:
    """Render ``name(arg, key=value)`` with shortened arguments."""
    parts = [_short(a) for a in args] + [f"{k}={_short(v)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"


def _first_line(exc: BaseException) -> str:
    """The first non-empty line of an exception's message (shortened)."""
    for line in str(exc).splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 200 else line[:197] + "..."
    return "(no message)"


# --------------------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------------------


@_quietly
def expect_model(obj: Any, what: str) -> Any:
    """Return ``obj`` if it is a Keras model instance; otherwise fail with what the learner returned instead."""
    if obj is None:
        raise AssertionError(f"{what} returned None: did you forget `return model`?")
    keras = _keras()
    if inspect.isclass(obj):
        if issubclass(obj, keras.Model):
            raise AssertionError(
                f"{what} returned the class {obj.__name__} itself, not a model: "
                f"create an instance, e.g. `model = keras.Sequential([...])`, and return it."
            )
        if issubclass(obj, keras.layers.Layer):
            raise AssertionError(
                f"{what} returned the layer class {obj.__name__}, not a model: "
                "put layer instances in `keras.Sequential([...])` and return the model."
            )
        raise AssertionError(
            f"{what} returned the class {obj.__name__}, not a Keras model: return the model."
        )
    if isinstance(obj, keras.Model):
        return obj
    if isinstance(obj, keras.layers.Layer):
        raise AssertionError(
            f"{what} returned a {type(obj).__name__} layer, not a model: "
            "wrap the layers in `keras.Sequential([...])` and return the model."
        )
    if isinstance(obj, keras.callbacks.History):
        raise AssertionError(
            f"{what} returned a History (the result of fit), not a model: return the model itself."
        )
    if isinstance(obj, (list, tuple)):
        if any(isinstance(x, keras.Model) for x in obj):
            raise AssertionError(
                f"{what} returned a {type(obj).__name__} containing a model: return only the model."
            )
        if obj and all(isinstance(x, keras.layers.Layer) for x in obj):
            raise AssertionError(
                f"{what} returned a {type(obj).__name__} of layers, not a model: "
                "wrap them in `keras.Sequential([...])` and return the model."
            )
    raise AssertionError(
        f"{what} returned a {type(obj).__name__}, not a Keras model: build one with "
        "`keras.Sequential([...])` and return it."
    )


def _flat_layers(model: Any) -> list[Any]:
    """The model's layers in order, input layers excluded and nested models expanded."""
    keras = _keras()
    result = []
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        if isinstance(layer, keras.Model):
            result.extend(_flat_layers(layer))
        else:
            result.append(layer)
    return result


# --------------------------------------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------------------
# Regularizers
# --------------------------------------------------------------------------------------------------------


def _factor_kind(l1: float, l2: float) -> str:
    """Name a penalty by its non-zero factors: "l1", "l2", "l1_l2" or "zero"."""
    if l1 > 0 and l2 > 0:
        return "l1_l2"
    if l1 > 0:
        return "l1"
    if l2 > 0:
        return "l2"
    return "zero"


def _factor_text(l1: float, l2: float) -> str:
    """Short human form of an L1/L2 penalty from its factors."""
    kind = _factor_kind(l1, l2)
    if kind == "l1":
        return f"L1({format_value(l1)})"
    if kind == "l2":
        return f"L2({format_value(l2)})"
    return f"L1L2(l1={format_value(l1)}, l2={format_value(l2)})"


def _from_factors(l1: float, l2: float, cls: str) -> dict[str, Any]:
    """Build a regularizer description from its factors."""
    l1, l2 = _round(l1), _round(l2)
    return {"kind": _factor_kind(l1, l2), "l1": l1, "l2": l2, "text": _factor_text(l1, l2), "class": cls}


def _custom(reg: Any) -> dict[str, Any]:
    """Describe a regularizer that is not an L1/L2 penalty."""
    name = getattr(reg, "__name__", None) or type(reg).__name__
    return {"kind": "custom", "l1": None, "l2": None, "text": f"a custom regularizer ({name})", "class": name}


@_quietly
def describe_regularizer(reg: Any) -> dict[str, Any] | None:
    """Describe a regularizer as ``{"kind", "l1", "l2", "text"}`` (None when there is no regularizer)."""
    if reg is None:
        return None
    if isinstance(reg, dict):
        if "kind" in reg and "text" in reg:
            return dict(reg)
        if "class_name" not in reg and set(reg) <= {"l1", "l2"}:
            return _from_factors(float(reg.get("l1") or 0.0), float(reg.get("l2") or 0.0), "factors")
    keras = _keras()
    if isinstance(reg, (str, dict)) or inspect.isclass(reg):
        try:
            with quiet():
                reg = keras.regularizers.get(reg)
        except Exception:
            return {
                "kind": "custom",
                "l1": None,
                "l2": None,
                "text": f"an unknown regularizer {reg!r}",
                "class": "unknown",
            }
        if reg is None:
            return None
    cls = type(reg).__name__
    if isinstance(reg, (keras.regularizers.L1, keras.regularizers.L2, keras.regularizers.L1L2)):
        config = reg.get_config()
        return _from_factors(float(config.get("l1", 0.0)), float(config.get("l2", 0.0)), cls)
    if isinstance(reg, keras.regularizers.OrthogonalRegularizer):
        factor = _round(reg.get_config().get("factor", 0.0))
        return {
            "kind": "orthogonal",
            "l1": None,
            "l2": None,
            "factor": factor,
            "text": f"OrthogonalRegularizer(factor={format_value(factor)})",
            "class": cls,
        }
    return _custom(reg)


def _expected_text(expected: dict[str, Any]) -> str:
    """Say what regularizer is expected, e.g. ``L2(0.01)`` or ``L1L2 with l1=0.01 and l2=0.01``."""
    l1, l2 = float(expected.get("l1") or 0.0), float(expected.get("l2") or 0.0)
    if l1 > 0 and l2 > 0:
        return f"L1L2 with l1={format_value(l1)} and l2={format_value(l2)}"
    if l1 == 0 and l2 == 0:
        return "no penalty"
    return _factor_text(l1, l2)


@_quietly
def assert_regularizer(found: Any, expected: Any, where: str, rel_tol: float = 1e-4) -> None:
    """Check a regularizer (object or description) against ``{"l1": .., "l2": ..}`` or None (none expected)."""
    desc = describe_regularizer(found)
    if expected is not None and not isinstance(expected, dict):
        expected = describe_regularizer(expected)
    if expected is not None and expected.get("kind") in ("custom", "orthogonal"):
        if desc is None or desc["kind"] != expected["kind"] or desc.get("text") != expected.get("text"):
            found_text = "not set" if desc is None else desc["text"]
            raise AssertionError(f"{where} is {found_text}; expected {expected['text']}.")
        return
    if (
        expected is None
        or _factor_kind(float(expected.get("l1") or 0), float(expected.get("l2") or 0)) == "zero"
    ):
        if desc is None or desc["kind"] == "zero":
            return
        raise AssertionError(f"{where} is {desc['text']}; expected no regularizer: remove it.")
    want = _expected_text(expected)
    if desc is None:
        raise AssertionError(f"{where} is not set; expected {want}.")
    if desc["kind"] == "zero":
        raise AssertionError(
            f"{where} is a zero penalty: l1_l2() without arguments adds nothing; pass l1=... and l2=..."
        )
    if desc["kind"] not in ("l1", "l2", "l1_l2"):
        raise AssertionError(f"{where} is {desc['text']}; expected {want}.")
    e1, e2 = float(expected.get("l1") or 0.0), float(expected.get("l2") or 0.0)
    if _factor_kind(e1, e2) != desc["kind"]:
        raise AssertionError(f"{where} is {desc['text']}; expected {want}.")
    if not (_close(desc["l1"], e1, rel_tol) and _close(desc["l2"], e2, rel_tol)):
        raise AssertionError(f"{where} is {desc['text']}; expected {want}.")


# --------------------------------------------------------------------------------------------------------
# Layer specs
# --------------------------------------------------------------------------------------------------------

_REGULARIZER_KEYS = ("kernel_regularizer", "bias_regularizer", "activity_regularizer")
_BN_KEYS = ("epsilon", "momentum", "axis", "center", "scale")


@_quietly
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


@_quietly
def layer_specs(model: Any, fold_activations: bool = False) -> list[dict[str, Any]]:
    """The model's layers (input excluded) as plain dicts: type, units, activation, rate, regularizers, ..."""
    specs = [layer_spec(layer) for layer in _flat_layers(model)]
    return _fold(specs) if fold_activations else specs


def _describe_expected(spec: dict[str, Any]) -> str:
    """Short constructor-like form of an expected layer spec, e.g. ``Dense(64, activation='relu')``."""
    kind = spec.get("type", "a layer")
    if isinstance(kind, (tuple, list)):
        kind = " or ".join(kind)
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
        if expected != 0.5 and _close(found, 1.0 - expected, 1e-4):
            return " (rate is the fraction of units DROPPED, not kept)"
    if key == "activation" and is_last and expected == "softmax":
        return " (the output layer needs activation='softmax' to output class probabilities)"
    if key == "activation" and found == "linear":
        return f" (pass activation={format_value(expected)})"
    if key == "units" and is_last:
        return " (the output layer needs one unit per class)"
    return ""


@_quietly
def _types_match(found: list[dict[str, Any]], expected: list[dict[str, Any]]) -> bool:
    """Whether two spec lists have the same length and matching layer types."""
    return len(found) == len(expected) and all(
        "type" not in e or _type_ok(f["type"], e["type"]) for f, e in zip(found, expected, strict=True)
    )


def _layers(n: int) -> str:
    """``"1 layer"`` / ``"3 layers"``."""
    return f"{n} layer" if n == 1 else f"{n} layers"


def _type_hint(found: list[dict[str, Any]], expected: list[dict[str, Any]], i: int) -> str:
    """Explain a layer-type mismatch at index ``i``: swapped layers, a missing layer or an extra layer."""
    pos = i + 1
    if i + 1 < min(len(found), len(expected)):
        swapped = found[:i] + [found[i + 1], found[i]] + found[i + 2 :]
        if _types_match(swapped[: len(expected)], expected[: len(swapped)]):
            return f" (layers {pos} and {pos + 1} are in the wrong order)"
    if _types_match(found[i:], expected[i + 1 :]):
        kind = str(expected[i].get("type", "a"))
        return f" (a {kind} layer is missing before it)"
    if _types_match(found[i + 1 :], expected[i:]):
        return f" (layer {pos} is one layer too many: remove it)"
    return ""


def _compare_layer(
    f: dict[str, Any], e: dict[str, Any], label: str, what: str, is_last: bool, rel_tol: float
) -> None:
    """Compare one found layer spec with the keys of one expected partial spec (type already matched)."""
    for key, want in e.items():
        if key in ("type", "name"):
            continue
        if key in _REGULARIZER_KEYS:
            if key not in f:
                if want is None:
                    continue
                raise AssertionError(f"{what}: {label} takes no {key}; expected {_expected_text(want)}.")
            assert_regularizer(f[key], want, f"{what}: {key} of {label}", rel_tol=rel_tol)
            continue
        if key not in f:
            raise AssertionError(
                f"{what}: {label} has no argument {key!r}; expected {key}={format_value(want)}."
            )
        got = f[key]
        if key == "activation":
            want = canonical_activation(want)
        if not _close(got, want, rel_tol):
            raise AssertionError(
                f"{what}: {label} has {key}={format_value(got)}; expected {key}={format_value(want)}"
                f"{_hint(key, got, want, is_last)}."
            )


def assert_layer_sequence(
    model: Any, expected: list[dict[str, Any]], what: str, rel_tol: float = 1e-4
) -> None:
    """Check the layers after the input against partial specs; fail on the first difference."""
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
                f"{what}: layer {pos} should be {_describe_expected(e)}, found {f['type']}{hint}."
            )
        _compare_layer(f, e, f"layer {pos} ({f['type']})", what, pos == n_exp, rel_tol)
    if n_found < n_exp:
        missing = expected[n_found]
        raise AssertionError(
            f"{what}: the model has {_layers(n_found)} after the input, expected {n_exp}: "
            f"layer {n_found + 1} ({_describe_expected(missing)}) is missing."
        )
    if n_found > n_exp:
        extra = found[n_exp]
        last = expected[-1] if expected else {}
        if n_exp and canonical_activation(last.get("activation", "linear")) in ("softmax", "sigmoid"):
            raise AssertionError(
                f"{what}: layer {n_exp + 1} ({extra['type']}) comes after the output layer: "
                f"the {last.get('activation')} layer must be the last layer, so remove it or move it earlier."
            )
        raise AssertionError(
            f"{what}: the model has {_layers(n_found)} after the input, expected {n_exp}: "
            f"remove layer {n_exp + 1} ({extra['type']})."
        )


@_quietly
def expect_layer(obj: Any, what: str, kind: str | None = None) -> Any:
    """Return ``obj`` if it is a Keras layer instance (of class ``kind`` if given); otherwise fail clearly."""
    keras = _keras()
    if obj is None:
        raise AssertionError(f"{what} returned None: did you forget `return layer`?")
    expected = kind or "layer"
    if inspect.isclass(obj):
        raise AssertionError(
            f"{what} returned the class {obj.__name__} itself: create the layer, e.g. `{obj.__name__}(...)`, "
            "and return it."
        )
    if isinstance(obj, keras.Model):
        raise AssertionError(
            f"{what} returned a model; expected a single {expected}: return the layer itself."
        )
    if not isinstance(obj, keras.layers.Layer):
        raise AssertionError(f"{what} returned a {type(obj).__name__}; expected a Keras {expected}.")
    if kind is not None and type(obj).__name__ != kind:
        raise AssertionError(f"{what} returned a {type(obj).__name__} layer; expected a {kind} layer.")
    return obj


@_quietly
def assert_layer(layer: Any, expected: dict[str, Any], what: str, rel_tol: float = 1e-4) -> None:
    """Check one layer against a partial spec (same keys as in :func:`assert_layer_sequence`)."""
    kind = expected.get("type")
    layer = expect_layer(layer, what, kind if isinstance(kind, str) else None)
    found = layer_spec(layer)
    if kind is not None and not _type_ok(found["type"], kind):
        raise AssertionError(
            f"{what} returned a {found['type']} layer; expected {_describe_expected(expected)}."
        )
    _compare_layer(found, expected, f"the {found['type']} layer", what, False, rel_tol)


# --------------------------------------------------------------------------------------------------------
# Input shape
# --------------------------------------------------------------------------------------------------------


@_quietly
def input_dim_of(model: Any) -> int | None:
    """The number of input features of a model, or None if the model has no known input shape yet."""
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        return None
    if not inputs or len(inputs) != 1:
        return None
    shape = getattr(inputs[0], "shape", None)
    if shape is None or len(shape) < 2 or shape[-1] is None:
        return None
    return int(shape[-1])


@_quietly
def assert_input_dim(model: Any, n: int, what: str) -> None:
    """Check that ``model`` takes inputs of ``n`` features."""
    model = expect_model(model, what)
    found = input_dim_of(model)
    if found is None:
        raise AssertionError(
            f"{what}: the model has no input shape: start it with `keras.Input(shape=({n},))` "
            "(use the input_dim argument)."
        )
    if found != n:
        raise AssertionError(
            f"{what}: the model takes inputs of {found} features; expected {n} (use the input_dim argument)."
        )


# --------------------------------------------------------------------------------------------------------
# Compile settings
# --------------------------------------------------------------------------------------------------------

_LOSS_ALIASES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "bce": "binary_crossentropy",
    "kld": "kl_divergence",
    "kullback_leibler_divergence": "kl_divergence",
    "cce": "categorical_crossentropy",
}

_ACCURACY_FOR_LOSS = {
    "categorical_crossentropy": "categorical_accuracy",
    "sparse_categorical_crossentropy": "sparse_categorical_accuracy",
    "binary_crossentropy": "binary_accuracy",
}


def _name_of(obj: Any) -> str:
    """A snake_case name for a loss/metric given as string, function, Keras object or config dict."""
    if isinstance(obj, str):
        return _snake(obj) if any(c.isupper() for c in obj[1:]) else obj.lower()
    if isinstance(obj, dict) and "class_name" in obj:
        if obj.get("class_name") == "function" and isinstance(obj.get("config"), str):
            return obj["config"].lower()
        return _snake(str(obj["class_name"]))
    fn = getattr(obj, "fn", None)
    if fn is not None and type(obj).__name__ == "LossFunctionWrapper":
        return _name_of(fn)
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return "lambda" if obj.__name__ == "<lambda>" else obj.__name__.lower()
    if inspect.isclass(obj):
        return _snake(obj.__name__)
    return _snake(type(obj).__name__)


def canonical_loss(loss: Any) -> Any:
    """Canonical loss name: every spelling of categorical cross-entropy gives ``"categorical_crossentropy"``."""
    if loss is None:
        return None
    if isinstance(loss, dict) and "class_name" not in loss:
        return {k: canonical_loss(v) for k, v in loss.items()}
    if isinstance(loss, (list, tuple)):
        return [canonical_loss(v) for v in loss]
    name = _name_of(loss)
    return _LOSS_ALIASES.get(name, name)


def canonical_metric(metric: Any, loss: Any = "categorical_crossentropy") -> str:
    """Canonical metric name; the accuracy that matches ``loss`` (and "acc") becomes ``"accuracy"``."""
    if isinstance(metric, str):
        name = metric.lower() if metric.lower() in ("accuracy", "acc") else _name_of(metric)
        if name in ("accuracy", "acc"):
            return "accuracy"
    else:
        name = _name_of(metric)
        if name == "accuracy":
            return "exact_accuracy"
    name = _LOSS_ALIASES.get(name, name)
    loss_name = canonical_loss(loss)
    if isinstance(loss_name, str) and _ACCURACY_FOR_LOSS.get(loss_name) == name:
        return "accuracy"
    return name


def _flatten(items: Any) -> list[Any]:
    """Flatten lists/tuples/dicts of metrics into one list."""
    if items is None:
        return []
    if isinstance(items, dict) and "class_name" not in items:
        return [m for v in items.values() for m in _flatten(v)]
    if isinstance(items, (list, tuple)):
        return [m for v in items for m in _flatten(v)]
    return [items]


def _raw_compile_config(model: Any) -> dict[str, Any]:
    """The arguments ``compile`` stored on the model (raw objects, not serialized), or {} if uncompiled."""
    if not getattr(model, "compiled", False):
        return {}
    stored = getattr(model, "_compile_config", None)
    config = getattr(stored, "config", None)
    if isinstance(config, dict):
        return dict(config)
    with quiet():
        return dict(model.get_compile_config() or {})


def _is_positional_metrics_mistake(loss_weights: Any) -> bool:
    """Whether ``loss_weights`` holds metric names, i.e. metrics were passed as compile's third argument."""
    if isinstance(loss_weights, str):
        return True
    if isinstance(loss_weights, (list, tuple)):
        return any(isinstance(w, str) or callable(w) for w in loss_weights)
    return False


_POSITIONAL_MESSAGE = (
    "the third positional argument of compile() is loss_weights in Keras 3: write metrics=['accuracy']"
)


def _optimizer_name(model: Any, raw: dict[str, Any]) -> str | None:
    """Lower-case class name of the model's optimizer (``"adam"``), or None."""
    opt = getattr(model, "optimizer", None)
    if opt is None:
        opt = raw.get("optimizer")
    if opt is None:
        return None
    opt = getattr(opt, "inner_optimizer", opt)
    if isinstance(opt, str):
        return opt.lower()
    if isinstance(opt, dict) and "class_name" in opt:
        return str(opt["class_name"]).lower()
    if inspect.isclass(opt):
        return opt.__name__.lower()
    return type(opt).__name__.lower()


@_quietly
def compile_spec(model: Any) -> dict[str, Any]:
    """Compile settings as plain values: optimizer, loss, metrics, loss_weights, learning_rate, from_logits."""
    if not getattr(model, "compiled", False):
        return {"compiled": False, "optimizer": None, "loss": None, "metrics": [], "loss_weights": None}
    raw = _raw_compile_config(model)
    loss = raw.get("loss")
    loss_name = canonical_loss(loss)
    metric_loss = loss_name if isinstance(loss_name, str) else "categorical_crossentropy"
    metrics = [canonical_metric(m, metric_loss) for m in _flatten(raw.get("metrics"))]
    weighted = [canonical_metric(m, metric_loss) for m in _flatten(raw.get("weighted_metrics"))]
    spec: dict[str, Any] = {
        "compiled": True,
        "optimizer": _optimizer_name(model, raw),
        "loss": loss_name,
        "metrics": metrics,
        "weighted_metrics": weighted,
        "loss_weights": raw.get("loss_weights"),
        "learning_rate": None,
        "from_logits": None,
    }
    opt = getattr(model, "optimizer", None)
    with contextlib.suppress(Exception):
        spec["learning_rate"] = _round(float(opt.learning_rate.numpy()))
    config = None
    with contextlib.suppress(Exception):
        config = loss.get_config() if hasattr(loss, "get_config") else None
    if isinstance(loss, dict) and isinstance(loss.get("config"), dict):
        config = loss["config"]
    if isinstance(config, dict) and "from_logits" in config:
        spec["from_logits"] = bool(config["from_logits"])
    elif isinstance(loss_name, str) and loss_name.endswith("crossentropy"):
        spec["from_logits"] = False
    return spec


@_quietly
def assert_compiled(
    model: Any,
    optimizer: str | None = "adam",
    loss: Any = "categorical_crossentropy",
    metrics: Sequence[Any] | None = ("accuracy",),
    what: str = "the function",
) -> None:
    """Check that ``model`` is compiled with the given optimizer, loss and (at least the given) metrics."""
    model = expect_model(model, what)
    spec = compile_spec(model)
    if not spec["compiled"]:
        raise AssertionError(f"{what} must compile the model before returning it: call model.compile(...).")
    if _is_positional_metrics_mistake(spec["loss_weights"]):
        raise AssertionError(f"{what}: {_POSITIONAL_MESSAGE}.")
    if optimizer is not None:
        want_opt = (
            optimizer if isinstance(optimizer, str) else _optimizer_name(None, {"optimizer": optimizer})
        )
        want_opt = want_opt.lower()
        if spec["optimizer"] != want_opt:
            raise AssertionError(
                f"{what} compiles the model with optimizer={format_value(spec['optimizer'])}; "
                f"expected optimizer={format_value(want_opt)}."
            )
    want_loss = canonical_loss(loss)
    if loss is not None:
        if spec["loss"] is None:
            raise AssertionError(f"{what} compiles the model without a loss: pass loss={format_value(loss)}.")
        if spec["loss"] != want_loss:
            raise AssertionError(
                f"{what} compiles the model with loss={format_value(spec['loss'])}; "
                f"expected loss={format_value(want_loss)}."
            )
        if spec.get("from_logits") and _last_activation(model) == "softmax":
            raise AssertionError(
                f"{what} uses from_logits=True on a softmax output: the outputs are already probabilities, "
                "so leave from_logits at False."
            )
    found = set(spec["metrics"]) | set(spec["weighted_metrics"])
    metric_loss = want_loss if isinstance(want_loss, str) else "categorical_crossentropy"
    for metric in metrics or ():
        want = canonical_metric(metric, metric_loss)
        if want in found:
            continue
        if want == "accuracy" and "exact_accuracy" in found:
            raise AssertionError(
                f"{what} uses keras.metrics.Accuracy(), which counts exact matches and stays near 0 for "
                "probability outputs: write metrics=['accuracy']."
            )
        raise AssertionError(
            f"{what} compiles the model without the {want!r} metric: pass metrics=[{format_value(metric)}]."
        )


def _last_activation(model: Any) -> str | None:
    """Canonical activation of the model's last layer (activation layers folded), or None."""
    specs = layer_specs(model, fold_activations=True)
    return specs[-1].get("activation") if specs else None


# --------------------------------------------------------------------------------------------------------
# Calling the learner's code
# --------------------------------------------------------------------------------------------------------


def _is_positional_compile_error(exc: BaseException) -> bool:
    """Whether an exception is the symptom of ``compile(opt, loss, ["accuracy"])`` (metrics as loss_weights)."""
    text = str(exc)
    return "not a valid dtype for Keras type promotion" in text and "string" in text


def call_learner(fn: Any, *args: Any, what: str | None = None, **kwargs: Any) -> Any:
    """Call the learner's ``fn(*args, **kwargs)`` quietly; turn any failure into one clear AssertionError."""
    name = getattr(fn, "__name__", None) or what or "the function"
    call = what or _call_text(name, args, kwargs)
    if fn is None:
        raise AssertionError(
            f"{call} cannot run: the function is None; define it with `def` and run its cell."
        )
    if not callable(fn):
        raise AssertionError(
            f"{call} cannot run: {name} is a {type(fn).__name__}, not a function; define it with `def`."
        )
    try:
        with quiet():
            return fn(*args, **kwargs)
    except NotImplementedError as exc:
        raise AssertionError(
            f"{name} is not written yet: replace `raise NotImplementedError()` with your code."
        ) from exc
    except AssertionError:
        raise
    except SystemExit as exc:
        raise AssertionError(f"{call} called sys.exit() or exit(): remove that call.") from exc
    except Exception as exc:
        if _is_positional_compile_error(exc):
            raise AssertionError(f"{call} failed because {_POSITIONAL_MESSAGE}.") from exc
        raise AssertionError(f"{call} raised {type(exc).__name__}: {_first_line(exc)}") from exc


# --------------------------------------------------------------------------------------------------------
# Numbers and callbacks
# --------------------------------------------------------------------------------------------------------


def assert_close(
    found: Any, expected: float, what: str, rel_tol: float = 1e-5, abs_tol: float = 1e-8
) -> None:
    """Check that ``found`` is a number close to ``expected``, naming ``what`` and both values."""
    try:
        value = float(found)
    except (TypeError, ValueError):
        raise AssertionError(f"{what} should be a number, found {_short(found)}.") from None
    if math.isnan(value) or not math.isclose(value, float(expected), rel_tol=rel_tol, abs_tol=abs_tol):
        raise AssertionError(f"{what} is {value:.6g}; expected {float(expected):.6g}.")


@_quietly
def assert_early_stopping(
    callback: Any,
    monitor: str = "val_loss",
    patience: int | None = None,
    restore_best_weights: bool | None = True,
    what: str = "the function",
) -> None:
    """Check that ``callback`` is a ``keras.callbacks.EarlyStopping`` with the given settings."""
    keras = _keras()
    if callback is None:
        raise AssertionError(f"{what} returned None: did you forget `return` the callback?")
    if inspect.isclass(callback):
        raise AssertionError(
            f"{what} returned the class {callback.__name__}, not a callback: create it with "
            "keras.callbacks.EarlyStopping(...)."
        )
    if not isinstance(callback, keras.callbacks.EarlyStopping):
        raise AssertionError(
            f"{what} returned a {type(callback).__name__}; expected keras.callbacks.EarlyStopping(...)."
        )
    if callback.monitor != monitor:
        raise AssertionError(
            f"{what}: the callback monitors {callback.monitor!r}; expected monitor={monitor!r}."
        )
    if patience is not None and callback.patience != patience:
        raise AssertionError(
            f"{what}: the callback has patience={callback.patience}; expected patience={patience} "
            "(use the patience argument)."
        )
    if restore_best_weights is not None and bool(callback.restore_best_weights) != restore_best_weights:
        raise AssertionError(
            f"{what}: the callback has restore_best_weights={callback.restore_best_weights}; "
            f"expected restore_best_weights={restore_best_weights}."
        )
