"""Calling the learner's code: quietly, with any failure turned into one readable AssertionError."""

from __future__ import annotations

from typing import Any

from helpers._common import quiet
from helpers.checks._text import _call_text, _first_line
from helpers.checks.compiling import positional_message
from helpers.i18n import _


def _is_positional_compile_error(exc: BaseException) -> bool:
    """Whether an exception is the symptom of ``compile(opt, loss, ["accuracy"])`` (metrics as loss_weights)."""
    text = str(exc)
    return "not a valid dtype for Keras type promotion" in text and "string" in text


def not_written(name: str) -> str:
    """The message for an answer that still raises ``NotImplementedError`` (the release notebook's stub)."""
    return _("{name} is not written yet: replace `raise NotImplementedError()` with your code.").format(
        name=name
    )


def called_exit(call: str) -> str:
    """The message for an answer that called ``sys.exit()`` or ``exit()``."""
    return _("{call} called sys.exit() or exit(): remove that call.").format(call=call)


def call_learner(fn: Any, *args: Any, what: str | None = None, **kwargs: Any) -> Any:
    """Call the learner's ``fn(*args, **kwargs)`` quietly; turn any failure into one clear AssertionError."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    name = getattr(fn, "__name__", None) or what or _("the function")
    call = what or _call_text(name, args, kwargs)
    if fn is None:
        raise AssertionError(
            _("{call} cannot run: the function is None; define it with `def` and run its cell.").format(
                call=call
            )
        )
    if not callable(fn):
        raise AssertionError(
            _("{call} cannot run: {name} is a {kind}, not a function; define it with `def`.").format(
                call=call, name=name, kind=type(fn).__name__
            )
        )
    from helpers.grading.remote import invoke

    try:
        with quiet():
            return invoke(fn, *args, **kwargs)
    except NotImplementedError as exc:
        raise AssertionError(not_written(name)) from exc
    except AssertionError:
        raise
    except SystemExit as exc:
        raise AssertionError(called_exit(call)) from exc
    except Exception as exc:
        if _is_positional_compile_error(exc):
            raise AssertionError(
                _("{call} failed because {reason}.").format(call=call, reason=positional_message())
            ) from exc
        raise AssertionError(
            _("{call} raised {error}: {message}").format(
                call=call, error=type(exc).__name__, message=_first_line(exc)
            )
        ) from exc
