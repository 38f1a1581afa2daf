"""Callbacks: an EarlyStopping callback and its settings."""

from __future__ import annotations

import inspect
from typing import Any

from helpers._common import import_keras, quietly
from helpers.i18n import _


@quietly
def assert_early_stopping(
    callback: Any,
    monitor: str = "val_loss",
    patience: int | None = None,
    restore_best_weights: bool | None = True,
    what: str | None = None,
) -> None:
    """Check that ``callback`` is a ``keras.callbacks.EarlyStopping`` with the given settings.

    ``what`` names the learner's call in messages (by default "the function")."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    keras = import_keras()
    if what is None:
        what = _("the function")
    if callback is None:
        raise AssertionError(
            _("{what} returned None: did you forget `return` the callback?").format(what=what)
        )
    if inspect.isclass(callback):
        raise AssertionError(
            _(
                "{what} returned the class {name}, not a callback: create it with "
                "keras.callbacks.EarlyStopping(...)."
            ).format(what=what, name=callback.__name__)
        )
    if not isinstance(callback, keras.callbacks.EarlyStopping):
        raise AssertionError(
            _("{what} returned a {kind}; expected keras.callbacks.EarlyStopping(...).").format(
                what=what, kind=type(callback).__name__
            )
        )
    if callback.monitor != monitor:
        raise AssertionError(
            _("{what}: the callback monitors {found!r}; expected monitor={expected!r}.").format(
                what=what, found=callback.monitor, expected=monitor
            )
        )
    if patience is not None and callback.patience != patience:
        raise AssertionError(
            _(
                "{what}: the callback has patience={found}; expected patience={expected} "
                "(use the patience argument)."
            ).format(what=what, found=callback.patience, expected=patience)
        )
    if restore_best_weights is not None and bool(callback.restore_best_weights) != restore_best_weights:
        raise AssertionError(
            _(
                "{what}: the callback has restore_best_weights={found}; "
                "expected restore_best_weights={expected}."
            ).format(what=what, found=callback.restore_best_weights, expected=restore_best_weights)
        )
