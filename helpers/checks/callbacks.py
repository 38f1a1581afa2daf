"""Callbacks: an EarlyStopping callback and its settings."""

from __future__ import annotations

import inspect
from typing import Any

from helpers._common import import_keras, quietly


@quietly
def assert_early_stopping(
    callback: Any,
    monitor: str = "val_loss",
    patience: int | None = None,
    restore_best_weights: bool | None = True,
    what: str = "the function",
) -> None:
    """Check that ``callback`` is a ``keras.callbacks.EarlyStopping`` with the given settings."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    keras = import_keras()
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
