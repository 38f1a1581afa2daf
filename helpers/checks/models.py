"""Models: is it a Keras model, its layers in order, its number of input features."""

from __future__ import annotations

import inspect
from typing import Any

from helpers._common import import_keras, quietly
from helpers.i18n import _


@quietly
def expect_model(obj: Any, what: str) -> Any:
    """Return ``obj`` if it is a Keras model instance; otherwise fail with what the learner returned instead."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    if obj is None:
        raise AssertionError(_("{what} returned None: did you forget `return model`?").format(what=what))
    keras = import_keras()
    if inspect.isclass(obj):
        if issubclass(obj, keras.Model):
            raise AssertionError(
                _(
                    "{what} returned the class {name} itself, not a model: "
                    "create an instance, e.g. `model = keras.Sequential([...])`, and return it."
                ).format(what=what, name=obj.__name__)
            )
        if issubclass(obj, keras.layers.Layer):
            raise AssertionError(
                _(
                    "{what} returned the layer class {name}, not a model: "
                    "put layer instances in `keras.Sequential([...])` and return the model."
                ).format(what=what, name=obj.__name__)
            )
        raise AssertionError(
            _("{what} returned the class {name}, not a Keras model: return the model.").format(
                what=what, name=obj.__name__
            )
        )
    if isinstance(obj, keras.Model):
        return obj
    if isinstance(obj, keras.layers.Layer):
        raise AssertionError(
            _(
                "{what} returned a {kind} layer, not a model: "
                "wrap the layers in `keras.Sequential([...])` and return the model."
            ).format(what=what, kind=type(obj).__name__)
        )
    if isinstance(obj, keras.callbacks.History):
        raise AssertionError(
            _("{what} returned a History (the result of fit), not a model: return the model itself.").format(
                what=what
            )
        )
    if isinstance(obj, (list, tuple)):
        if any(isinstance(x, keras.Model) for x in obj):
            raise AssertionError(
                _("{what} returned a {kind} containing a model: return only the model.").format(
                    what=what, kind=type(obj).__name__
                )
            )
        if obj and all(isinstance(x, keras.layers.Layer) for x in obj):
            raise AssertionError(
                _(
                    "{what} returned a {kind} of layers, not a model: "
                    "wrap them in `keras.Sequential([...])` and return the model."
                ).format(what=what, kind=type(obj).__name__)
            )
    raise AssertionError(
        _(
            "{what} returned a {kind}, not a Keras model: build one with "
            "`keras.Sequential([...])` and return it."
        ).format(what=what, kind=type(obj).__name__)
    )


def _flat_layers(model: Any) -> list[Any]:
    """The model's layers in order, input layers excluded and nested models expanded."""
    keras = import_keras()
    result = []
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        if isinstance(layer, keras.Model):
            result.extend(_flat_layers(layer))
        else:
            result.append(layer)
    return result


@quietly
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


@quietly
def assert_input_dim(model: Any, n: int, what: str) -> None:
    """Check that ``model`` takes inputs of ``n`` features."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    model = expect_model(model, what)
    found = input_dim_of(model)
    if found is None:
        raise AssertionError(
            _(
                "{what}: the model has no input shape: start it with `keras.Input(shape=({n},))` "
                "(use the input_dim argument)."
            ).format(what=what, n=n)
        )
    if found != n:
        raise AssertionError(
            _(
                "{what}: the model takes inputs of {found} features; expected {n} (use the input_dim argument)."
            ).format(what=what, found=found, n=n)
        )
