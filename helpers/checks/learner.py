"""Calling the learner's code: quietly, with any failure turned into one readable AssertionError."""

from __future__ import annotations

from typing import Any

from helpers._common import quiet
from helpers.checks._text import _call_text, _first_line
from helpers.checks.compiling import _POSITIONAL_MESSAGE


def _is_positional_compile_error(exc: BaseException) -> bool:
    """Whether an exception is the symptom of ``compile(opt, loss, ["accuracy"])`` (metrics as loss_weights)."""
    text = str(exc)
    return "not a valid dtype for Keras type promotion" in text and "string" in text


def not_written(name: str) -> str:
    """The message for an answer that still raises ``NotImplementedError`` (the release notebook's stub)."""
    return f"{name} is not written yet: replace `raise NotImplementedError()` with your code."


def called_exit(call: str) -> str:
    """The message for an answer that called ``sys.exit()`` or ``exit()``."""
    return f"{call} called sys.exit() or exit(): remove that call."


def call_learner(fn: Any, *args: Any, what: str | None = None, **kwargs: Any) -> Any:
    """Call the learner's ``fn(*args, **kwargs)`` quietly; turn any failure into one clear AssertionError."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
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
            raise AssertionError(f"{call} failed because {_POSITIONAL_MESSAGE}.") from exc
        raise AssertionError(f"{call} raised {type(exc).__name__}: {_first_line(exc)}") from exc
