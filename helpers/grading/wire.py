"""What a learner's answer is allowed to be once it leaves the notebook: plain data.

:func:`encode` turns a value into JSON-ready data and :func:`decode` rebuilds it. Numbers, strings, NumPy
arrays and scalars, tensors, lists, tuples, dicts, pandas tables, NumPy random generators, Keras histories,
models, layers (their configuration and weights) and callbacks (their settings) come through; anything else
becomes an *opaque* stand-in that keeps only its type's name, so a check rejects it as it would the original
("returned a Foo; expected a number"). Encoding reads values with the base classes' own methods, so an object
that lies about itself (an ``__eq__`` that always agrees, an array subclass with doctored arithmetic) arrives
as what it holds, or as an opaque stand-in. Decoding runs no code of the answer: Keras rebuilds models and
layers from their configuration in safe mode, and a callback is re-created from its class in ``keras``.

The same round trip serves the checks in a learner's own kernel and the checks run outside it while grading
(see :mod:`helpers.grading.remote`), so both reach the same verdicts.
"""

from __future__ import annotations

import base64
import builtins
import importlib
import inspect
from typing import Any

import numpy as np

MAX_DEPTH = 32
_TENSOR_MODULES = ("tensorflow", "keras", "jax", "jaxlib", "torch")
_ARRAY_KINDS = "biufc"


class Opaque:
    """A stand-in for a value that is not data: it keeps the name of its type (see :func:`opaque_type`)."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def __repr__(self) -> str:
        return self._text


def opaque_type(name: str) -> type:
    """A class named ``name`` (the original value's type) whose instances stand for a value not sent."""
    return type(name, (Opaque,), {"__slots__": ()})


def _module_of(obj: Any) -> str:
    """The top-level package of an object's class ("" if unknown)."""
    return (getattr(type(obj), "__module__", "") or "").split(".")[0]


def _array(value: np.ndarray, depth: int) -> dict[str, Any]:
    """An ndarray (read through ndarray's own methods) as data."""
    base = np.ndarray.view(value, np.ndarray)
    if base.dtype.kind in _ARRAY_KINDS:
        data = base if base.flags.c_contiguous else base.copy(order="C")
        return {
            "t": "ndarray",
            "dtype": data.dtype.str,
            "shape": list(data.shape),
            "b64": base64.b64encode(data.tobytes()).decode("ascii"),
        }
    if base.dtype.kind in "OUS":
        items = [encode(item, depth + 1) for item in base.reshape(-1).tolist()]
        return {"t": "objarray", "dtype": base.dtype.str, "shape": list(base.shape), "items": items}
    return _opaque(value)


def _opaque(value: Any) -> dict[str, Any]:
    """A value that is not data: only its type's name travels."""
    name = type(value).__name__
    if inspect.isfunction(value) or inspect.ismethod(value) or inspect.isbuiltin(value):
        return {"t": "function", "name": str(getattr(value, "__name__", "function"))}
    return {"t": "opaque", "type": name}


def _keras_object(value: Any, kind: str) -> dict[str, Any]:
    """A Keras model or layer as its configuration and the values of its weights."""
    import keras

    config = keras.saving.serialize_keras_object(value)
    weights = [_array(np.asarray(w), 0) for w in value.weights] if value.built else []
    return {"t": kind, "config": _plain(config), "weights": weights}


def _plain(value: Any, depth: int = 0) -> Any:
    """A Keras configuration as JSON-ready data (tuples become lists, NumPy scalars numbers)."""
    if depth > MAX_DEPTH:
        raise ValueError("configuration nested too deeply")
    if value is None or type(value) in (bool, int, float, str):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    raise ValueError(f"a {type(value).__name__} in a Keras configuration")


def _callback(value: Any) -> dict[str, Any]:
    """A Keras callback as its class and the settings its constructor takes."""
    cls = type(value)
    params = inspect.signature(cls.__init__).parameters
    settings = {}
    for name in params:
        if name != "self" and name in vars(value):
            item = vars(value)[name]
            if item is None or type(item) in (bool, int, float, str):
                settings[name] = item
    return {"t": "callback", "module": cls.__module__, "qualname": cls.__qualname__, "settings": settings}


def encode(value: Any, depth: int = 0) -> Any:
    """``value`` as JSON-ready data; what is not data becomes an opaque stand-in (see the module doc)."""
    if depth > MAX_DEPTH:
        return {"t": "opaque", "type": type(value).__name__}
    kind = type(value)
    if value is None or kind is bool:
        return value
    if kind is int:
        return {"t": "int", "v": str(value)}
    if kind is float:
        return {"t": "float", "v": float.__repr__(value)}
    if kind is str:
        return {"t": "str", "v": value}
    if isinstance(value, np.ndarray):
        return _array(value, depth)
    if isinstance(value, np.generic):
        return {"t": "npscalar", "a": _array(np.asarray(value), depth)}
    if kind in (list, tuple):
        return {"t": kind.__name__, "v": [encode(item, depth + 1) for item in value]}
    if kind is dict:
        return {
            "t": "dict",
            "k": [encode(k, depth + 1) for k in value],
            "v": [encode(v, depth + 1) for v in value.values()],
        }
    if isinstance(value, bool | int | float | str):  # a subclass of a built-in type: its plain value
        base = next(b for b in (bool, int, float, str) if isinstance(value, b))
        return encode(base(base.__repr__(value)) if base is not str else str.__str__(value), depth)
    return _library_value(value, depth)


def _library_value(value: Any, depth: int) -> Any:
    """Values of NumPy, pandas, TensorFlow and Keras that are data."""
    top = _module_of(value)
    if isinstance(value, np.random.Generator):
        return {"t": "rng", "state": _plain(value.bit_generator.state)}
    if top == "pandas":
        import pandas as pd

        if type(value) is pd.DataFrame or isinstance(value, pd.DataFrame):
            frame = pd.DataFrame(value, copy=False)
            return {
                "t": "dataframe",
                "columns": encode(np.asarray(frame.columns.to_numpy(), dtype=object), depth + 1),
                "index": encode(frame.index.to_numpy(), depth + 1),
                "index_name": encode(frame.index.name, depth + 1),
                "data": [encode(frame.iloc[:, i].to_numpy(), depth + 1) for i in range(frame.shape[1])],
            }
        if isinstance(value, pd.Series):
            return {
                "t": "series",
                "name": encode(value.name, depth + 1),
                "index": encode(value.index.to_numpy(), depth + 1),
                "data": encode(value.to_numpy(), depth + 1),
            }
    if top in _TENSOR_MODULES:
        import keras

        if isinstance(value, keras.callbacks.History):
            return {
                "t": "history",
                "history": encode(dict(value.history), depth + 1),
                "epoch": encode(list(value.epoch), depth + 1),
            }
        if isinstance(value, keras.Model):
            return _keras_object(value, "model")
        if isinstance(value, keras.layers.Layer):
            return _keras_object(value, "layer")
        if isinstance(value, keras.callbacks.Callback):
            return _callback(value)
        if hasattr(value, "shape") and hasattr(value, "dtype"):
            try:
                array = np.asarray(value)
            except Exception:
                return _opaque(value)
            return {"t": "tensor", "a": _array(array, depth)}
    if inspect.isclass(value):
        return {"t": "class", "module": str(value.__module__), "qualname": str(value.__qualname__)}
    return _opaque(value)


def _decode_array(data: dict[str, Any]) -> np.ndarray:
    """The ndarray of :func:`_array`."""
    if data["t"] == "objarray":
        items = [decode(item) for item in data["items"]]
        array = np.empty(len(items), dtype=object)
        array[:] = items
        if data["dtype"] != "|O":
            array = array.astype(np.dtype(data["dtype"]))
        return array.reshape(data["shape"])
    raw = base64.b64decode(data["b64"])
    return np.frombuffer(raw, dtype=np.dtype(data["dtype"])).reshape(data["shape"]).copy()


def _keras_class(module: str, qualname: str) -> Any:
    """A class of Keras itself (never one defined in a notebook)."""
    if module.split(".")[0] != "keras":
        return None
    try:
        obj: Any = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        return None
    return obj if inspect.isclass(obj) else None


def _functions_out(config: Any, found: dict[str, str]) -> Any:
    """``config`` with each activation given as a plain function (not Keras's) replaced by "linear"; ``found``
    gets the layer's name and the function's."""
    if isinstance(config, list):
        return [_functions_out(item, found) for item in config]
    if not isinstance(config, dict):
        return config
    out = {k: _functions_out(v, found) for k, v in config.items()}
    activation = config.get("activation")
    if _plain_function(activation) and not _keras_function(str(activation["config"])):
        found[str(config.get("name"))] = str(activation["config"])  # e.g. activation=tf.nn.softmax
        out["activation"] = "linear"
    return out


def _plain_function(config: Any) -> bool:
    """Whether a configuration names a function by its name only (Keras looks such names up in its own
    modules: activations, losses, metrics...)."""
    return (
        isinstance(config, dict)
        and config.get("module") == "builtins"
        and config.get("class_name") == "function"
    )


def _keras_function(name: str) -> bool:
    """Whether Keras has an activation of that name."""
    import keras

    try:
        keras.activations.get(name)
    except Exception:
        return False
    return True


def _foreign_module(config: Any) -> str | None:
    """The first module named in a configuration that is not part of Keras (None if there is none): the
    checker rebuilds Keras's own classes only."""
    if isinstance(config, list):
        return next((m for m in map(_foreign_module, config) if m), None)
    if not isinstance(config, dict):
        return None
    module = config.get("module")
    keras_own = (
        module == "keras"
        or (isinstance(module, str) and module.startswith("keras."))
        or _plain_function(config)
    )
    if isinstance(module, str) and not keras_own:
        return module
    return next((m for m in map(_foreign_module, config.values()) if m), None)


def _function_back(name: str) -> Any:
    """Keras's activation of that name (TensorFlow's ``softmax_v2`` is Keras's ``softmax``), or a stand-in."""
    import keras

    try:
        return keras.activations.get(name.removesuffix("_v2"))
    except Exception:
        return decode({"t": "function", "name": name})


def _decode_keras(data: dict[str, Any]) -> Any:
    """A Keras model or layer rebuilt from its configuration (safe mode), with its weights' values."""
    import keras

    from helpers._common import quiet

    functions: dict[str, str] = {}
    try:
        foreign = _foreign_module(data["config"])
        if foreign:
            raise TypeError(f"a class from {foreign}")
        with quiet():
            obj = keras.saving.deserialize_keras_object(
                _functions_out(data["config"], functions), safe_mode=True
            )
            for layer in [obj, *getattr(obj, "_flatten_layers", lambda: [])()]:
                if getattr(layer, "name", None) in functions:
                    layer.activation = _function_back(functions[layer.name])
    except Exception as exc:
        kind = "model" if data["t"] == "model" else "layer"
        name = data["config"].get("class_name", kind) if isinstance(data["config"], dict) else kind
        return opaque_type(f"{name} that Keras cannot rebuild from its configuration ({type(exc).__name__})")(
            "<not rebuilt>"
        )
    arrays = [_decode_array(w) for w in data["weights"]]
    if arrays and len(obj.weights) == len(arrays):
        for variable, array in zip(obj.weights, arrays, strict=True):
            if tuple(variable.shape) == array.shape:
                variable.assign(array)
    return obj


def decode(data: Any) -> Any:
    """The value :func:`encode` sent (a stand-in for what was not data)."""
    if data is None or isinstance(data, bool):
        return data
    if not isinstance(data, dict) or "t" not in data:
        raise ValueError("not encoded data")
    kind = data["t"]
    if kind == "int":
        return int(data["v"])
    if kind == "float":
        return float(data["v"])
    if kind == "str":
        return str(data["v"])
    if kind in ("ndarray", "objarray"):
        return _decode_array(data)
    if kind == "npscalar":
        return _decode_array(data["a"])[()]
    if kind == "list":
        return [decode(item) for item in data["v"]]
    if kind == "tuple":
        return tuple(decode(item) for item in data["v"])
    if kind == "dict":
        return {decode(k): decode(v) for k, v in zip(data["k"], data["v"], strict=True)}
    return _decode_library(data)


def _decode_library(data: dict[str, Any]) -> Any:
    """The NumPy, pandas and Keras values of :func:`_library_value`, and stand-ins."""
    kind = data["t"]
    if kind == "rng":
        state = data["state"]
        bit_generator = getattr(np.random, state["bit_generator"])()
        bit_generator.state = state
        return np.random.Generator(bit_generator)
    if kind == "dataframe":
        import pandas as pd

        columns = list(decode(data["columns"]))
        frame = pd.DataFrame(
            {i: decode(col) for i, col in enumerate(data["data"])}, index=pd.Index(decode(data["index"]))
        )
        frame.columns = pd.Index(columns) if columns else pd.RangeIndex(0)
        frame.index.name = decode(data["index_name"])
        return frame
    if kind == "series":
        import pandas as pd

        return pd.Series(
            decode(data["data"]), index=pd.Index(decode(data["index"])), name=decode(data["name"])
        )
    if kind == "tensor":
        import keras

        return keras.ops.convert_to_tensor(_decode_array(data["a"]))
    if kind == "history":
        import keras

        history = keras.callbacks.History()
        history.history = decode(data["history"])
        history.epoch = decode(data["epoch"])
        return history
    if kind in ("model", "layer"):
        return _decode_keras(data)
    if kind == "callback":
        cls = _keras_class(data["module"], data["qualname"])
        if cls is None:
            return opaque_type(data["qualname"].rsplit(".", 1)[-1])("<callback defined in the notebook>")
        return cls(**data["settings"])
    if kind == "class":
        cls = _keras_class(data["module"], data["qualname"]) or getattr(builtins, data["qualname"], None)
        return cls if inspect.isclass(cls) else type(data["qualname"].rsplit(".", 1)[-1], (), {})
    if kind == "function":
        name = data["name"]

        def stand_in(*args: Any, **kwargs: Any) -> Any:
            raise TypeError(f"{name} was not sent with the answer")

        stand_in.__name__ = stand_in.__qualname__ = name
        return stand_in
    if kind == "opaque":
        return opaque_type(str(data["type"]))(f"<{data['type']}>")
    raise ValueError(f"unknown encoded kind {kind!r}")


def roundtrip(value: Any) -> Any:
    """``decode(encode(value))``: what a check receives of ``value``."""
    return decode(encode(value))


# --- state of mutable arguments after a call ------------------------------------------------------------------


def state_of(value: Any) -> Any:
    """The part of an argument a call can change in place (an array's values, a generator's state, a Keras
    object's weights), as data; None for other values."""
    if isinstance(value, np.ndarray) and np.ndarray.view(value, np.ndarray).dtype.kind in _ARRAY_KINDS:
        return {"t": "state-array", "a": _array(value, 0)}
    if isinstance(value, np.random.Generator):
        return {"t": "state-rng", "state": _plain(value.bit_generator.state)}
    if _module_of(value) in _TENSOR_MODULES:
        import keras

        if isinstance(value, keras.layers.Layer):
            return {"t": "state-weights", "w": [_array(np.asarray(w), 0) for w in value.weights]}
    return None


def apply_state(target: Any, state: Any) -> None:
    """Put a :func:`state_of` back into the caller's own argument (``target``)."""
    if not isinstance(state, dict):
        return
    kind = state.get("t")
    if kind == "state-array" and isinstance(target, np.ndarray):
        array = _decode_array(state["a"])
        if array.shape == target.shape:
            np.copyto(target, array, casting="unsafe")
    elif kind == "state-rng" and isinstance(target, np.random.Generator):
        target.bit_generator.state = state["state"]
    elif kind == "state-weights":
        arrays = [_decode_array(w) for w in state["w"]]
        weights = getattr(target, "weights", [])
        if len(weights) == len(arrays):
            for variable, array in zip(weights, arrays, strict=True):
                if tuple(variable.shape) == array.shape:
                    variable.assign(array)


def rebuild_exception(info: dict[str, Any]) -> BaseException:
    """The exception a learner's call raised, rebuilt from its type name and message."""
    name, message = str(info.get("type", "Exception")), str(info.get("message", ""))
    args = info.get("args")
    args = tuple(args) if isinstance(args, list) else (message,)
    cls = getattr(builtins, name, None)
    if not (inspect.isclass(cls) and issubclass(cls, BaseException)):
        cls = type(name, (Exception,), {})
    try:
        return cls(*args)
    except Exception:
        return type(name, (Exception,), {})(message)


def exception_info(exc: BaseException) -> dict[str, Any]:
    """An exception as data: its type's name and message."""
    try:
        message = str(exc)
    except Exception:
        message = ""
    info: dict[str, Any] = {"type": type(exc).__name__, "message": message[:4000]}
    if all(arg is None or type(arg) in (bool, int, float, str) for arg in exc.args):
        info["args"] = [
            arg[:4000] if isinstance(arg, str) else arg for arg in exc.args
        ]  # KeyError('x') stays so
    return info
