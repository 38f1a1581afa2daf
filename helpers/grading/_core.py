"""The core shared by the checker modules: calling the learner's function, reading its result as a number or an
array, fake histories with random series, and hints for wrong answers."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from helpers import checks
from helpers._common import close, import_keras
from helpers.checks.learner import called_exit, not_written
from helpers.grading.remote import invoke


def call(
    fn: Any, *args: Any, what: str, hint: str = "", hint_when: Sequence[str] = ("",), **kwargs: Any
) -> Any:
    """Call the learner's function quietly; on failure re-raise the readable error, with ``hint`` appended
    when the error message contains one of ``hint_when``."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    try:
        return checks.call_learner(fn, *args, what=what, **kwargs)
    except AssertionError as exc:
        text = str(exc)
        if hint and "not written yet" not in text and any(w in text for w in hint_when):
            raise AssertionError(f"{text.rstrip('.')}{hint}.") from None
        raise AssertionError(text) from None


def expect_value_error(fn: Any, *args: Any, what: str, reason: str, **kwargs: Any) -> None:
    """Check that calling the learner's ``fn`` raises ``ValueError``."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    name = getattr(fn, "__name__", "the function")
    if not callable(fn):
        raise AssertionError(f"{what} cannot run: {name} is not a function; define it with `def`.")
    try:
        with checks.quiet():
            invoke(fn, *args, **kwargs)
    except ValueError:
        return
    except NotImplementedError:
        raise AssertionError(not_written(name)) from None
    except SystemExit:
        raise AssertionError(called_exit(what)) from None
    except Exception as exc:
        raise AssertionError(
            f"{what} raised {type(exc).__name__}; it should raise ValueError ({reason})."
        ) from None
    raise AssertionError(f"{what} returned normally; it should raise ValueError ({reason}).")


def _is_tensor(value: Any) -> bool:
    """Whether ``value`` is a TensorFlow/Keras/JAX/Torch tensor rather than a NumPy or Python value."""
    module = type(value).__module__ or ""
    return module.split(".")[0] in ("tensorflow", "keras", "jax", "jaxlib", "torch")


def as_number(value: Any, what: str, numpy_only: bool = False) -> float:
    """``value`` as a float if it is a real number (Python or NumPy scalar, 0-d array or tensor); else fail.

    A 0-d tensor is accepted as the number it holds, except where the exercise asks for NumPy only
    (``numpy_only``): there a tensor shows that TensorFlow or Keras computed the value instead."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    if value is None:
        raise AssertionError(f"{what} returned None: did you forget `return`?")
    if isinstance(value, bool | np.bool_):
        raise AssertionError(f"{what} returned the boolean {value!r}; expected a number.")
    if _is_tensor(value) and numpy_only:
        raise AssertionError(
            f"{what} returned a tensor ({type(value).__name__}): compute it with NumPy only and return a "
            "plain number (e.g. float(...))."
        )
    try:
        array = np.asarray(value)
    except Exception:
        raise AssertionError(f"{what} returned a {type(value).__name__}; expected a number.") from None
    if array.dtype.kind not in "iuf":
        raise AssertionError(f"{what} returned a {type(value).__name__}; expected a number.")
    if array.shape != ():
        raise AssertionError(f"{what} returned an array of shape {array.shape}; expected a single number.")
    number = float(array)
    if math.isnan(number):
        raise AssertionError(f"{what} returned nan; expected a number.")
    return number


def as_integer(value: Any, what: str) -> int:
    """``value`` as an int if it is a Python or NumPy integer; else fail."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        if isinstance(value, float | np.floating) and float(value).is_integer():
            raise AssertionError(f"{what} returned the float {float(value):g}; return an int (int(...)).")
        raise AssertionError(f"{what} returned {checks.format_value(value)}; expected an int.")
    return int(value)


def as_array(value: Any, what: str, shape: tuple[int, ...]) -> np.ndarray:
    """``value`` as a float NumPy array of the given shape; else fail."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    if value is None:
        raise AssertionError(f"{what} returned None: did you forget `return`?")
    try:
        # A tensor (e.g. from tf.reduce_mean) holds the right numbers too: it is read as an array.
        array = np.asarray(value)
    except Exception:
        raise AssertionError(f"{what} returned a {type(value).__name__}; expected a NumPy array.") from None
    if array.dtype.kind not in "iuf":
        raise AssertionError(f"{what} returned values of type {array.dtype}; expected numbers.")
    if array.shape != tuple(shape):
        raise AssertionError(
            f"{what} returned an array of shape {array.shape}; expected shape {tuple(shape)}."
        )
    if not np.all(np.isfinite(array)):
        raise AssertionError(f"{what} returned nan or inf values.")
    return array.astype(np.float64)


def first_hint(found: float, variants: Sequence[tuple[float, str]], rel: float = 1e-5) -> str:
    """The hint of the first wrong-answer variant ``found`` matches (or "")."""
    for value, hint in variants:
        if value is not None and close(found, value, rel, 1e-9):
            return f": {hint}"
    return ""


def fake_history(values: Mapping[str, Sequence[float]], as_object: bool) -> Any:
    """A fresh copy of ``values`` as a ``keras.callbacks.History`` (or its plain ``.history`` dict)."""
    data = {key: [float(v) for v in series] for key, series in values.items()}
    if not as_object:
        return data
    history = import_keras().callbacks.History()
    history.history = data
    history.epoch = list(range(len(next(iter(data.values())))))
    return history


def random_series(rng: np.random.Generator, low: float, high: float, n: int) -> list[float]:
    """``n`` random values in ``[low, high)``, rounded to 4 decimals (readable in messages)."""
    return [round(float(v), 4) for v in rng.uniform(low, high, n)]


def history_kind(as_object: bool) -> str:
    """How a history argument is described in messages."""
    return "a History object" if as_object else "a history dict"


HISTORY_ERRORS = ("History", "'dict' object", "subscriptable")
HISTORY_HINT = (
    " (a history may be a keras History or its .history dict: "
    "use `history = getattr(history, 'history', history)`)"
)
