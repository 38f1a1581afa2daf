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
from helpers.i18n import _


def call(
    fn: Any, *args: Any, what: str, hint: str = "", hint_when: Sequence[str] = ("",), **kwargs: Any
) -> Any:
    """Call the learner's function quietly; on failure re-raise the readable error, with ``hint`` appended
    when the error message contains one of ``hint_when``."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    if hint == HISTORY_HINT:
        hint = _(
            " (a history may be a keras History or its .history dict: "
            "use `history = getattr(history, 'history', history)`)"
        )
    try:
        return checks.call_learner(fn, *args, what=what, **kwargs)
    except AssertionError as exc:
        text = str(exc)
        unwritten = isinstance(exc.__cause__, NotImplementedError) or "not written yet" in text
        if hint and not unwritten and any(w in text for w in hint_when):
            raise AssertionError(f"{text.rstrip('.')}{hint}.") from None
        raise AssertionError(text) from None


def expect_value_error(fn: Any, *args: Any, what: str, reason: str, **kwargs: Any) -> None:
    """Check that calling the learner's ``fn`` raises ``ValueError``."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    name = getattr(fn, "__name__", _("the function"))
    if not callable(fn):
        raise AssertionError(
            _("{what} cannot run: {name} is not a function; define it with `def`.").format(
                what=what, name=name
            )
        )
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
            _("{what} raised {error}; it should raise ValueError ({reason}).").format(
                what=what, error=type(exc).__name__, reason=reason
            )
        ) from None
    raise AssertionError(
        _("{what} returned normally; it should raise ValueError ({reason}).").format(what=what, reason=reason)
    )


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
        raise AssertionError(_("{what} returned None: did you forget `return`?").format(what=what))
    if isinstance(value, bool | np.bool_):
        raise AssertionError(
            _("{what} returned the boolean {value!r}; expected a number.").format(what=what, value=value)
        )
    if _is_tensor(value) and numpy_only:
        raise AssertionError(
            _(
                "{what} returned a tensor ({kind}): compute it with NumPy only and return a "
                "plain number (e.g. float(...))."
            ).format(what=what, kind=type(value).__name__)
        )
    not_a_number = _("{what} returned a {kind}; expected a number.").format(
        what=what, kind=type(value).__name__
    )
    try:
        array = np.asarray(value)
    except Exception:
        raise AssertionError(not_a_number) from None
    if array.dtype.kind not in "iuf":
        raise AssertionError(not_a_number)
    if array.shape != ():
        raise AssertionError(
            _("{what} returned an array of shape {shape}; expected a single number.").format(
                what=what, shape=array.shape
            )
        )
    number = float(array)
    if math.isnan(number):
        raise AssertionError(_("{what} returned nan; expected a number.").format(what=what))
    return number


def as_integer(value: Any, what: str) -> int:
    """``value`` as an int if it is a Python or NumPy integer; else fail."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        if isinstance(value, float | np.floating) and float(value).is_integer():
            raise AssertionError(
                _("{what} returned the float {value:g}; return an int (int(...)).").format(
                    what=what, value=float(value)
                )
            )
        raise AssertionError(
            _("{what} returned {value}; expected an int.").format(what=what, value=checks.format_value(value))
        )
    return int(value)


def as_array(value: Any, what: str, shape: tuple[int, ...]) -> np.ndarray:
    """``value`` as a float NumPy array of the given shape; else fail."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    if value is None:
        raise AssertionError(_("{what} returned None: did you forget `return`?").format(what=what))
    try:
        # A tensor (e.g. from tf.reduce_mean) holds the right numbers too: it is read as an array.
        array = np.asarray(value)
    except Exception:
        raise AssertionError(
            _("{what} returned a {kind}; expected a NumPy array.").format(
                what=what, kind=type(value).__name__
            )
        ) from None
    if array.dtype.kind not in "iuf":
        raise AssertionError(
            _("{what} returned values of type {dtype}; expected numbers.").format(
                what=what, dtype=array.dtype
            )
        )
    if array.shape != tuple(shape):
        raise AssertionError(
            _("{what} returned an array of shape {shape}; expected shape {expected}.").format(
                what=what, shape=array.shape, expected=tuple(shape)
            )
        )
    if not np.all(np.isfinite(array)):
        raise AssertionError(_("{what} returned nan or inf values.").format(what=what))
    return array.astype(np.float64)


def first_hint(found: float, variants: Sequence[tuple[float, str]], rel: float = 1e-5) -> str:
    """The hint of the first wrong-answer variant ``found`` matches (or "")."""
    for value, hint in variants:
        if value is not None and close(found, value, rel, 1e-9):
            return _(": {hint}").format(hint=hint)
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
    return _("a History object") if as_object else _("a history dict")


HISTORY_ERRORS = ("History", "'dict' object", "subscriptable")
# Translated where it is used (in :func:`call`), not here at import time.
HISTORY_HINT = (
    " (a history may be a keras History or its .history dict: "
    "use `history = getattr(history, 'history', history)`)"
)
