"""Low-level tools shared by ``helpers.checks`` and ``helpers.grading``: silence, lazy Keras, tolerant equality.

One definition of each, imported by both packages (``helpers.checks`` re-exports :func:`quiet`).
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import math
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

__all__ = ["quiet", "quietly", "message_first", "import_keras", "close"]


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


def _message_lines(ename: str, message: str) -> list[str]:
    """A failed check as IPython shows it: ``AssertionError: <message>``, nothing else."""
    return f"{ename}: {message}".splitlines() or [ename]


def message_first(exc: BaseException) -> BaseException:
    """Make IPython (a cell's output, nbgrader's Validate dialog, the graded notebooks) show a failed check as
    its message alone, not as a traceback through the course's own frames; return ``exc``.

    IPython asks an exception for ``_render_traceback_()`` before formatting it and shows the lines it
    returns. ``__tracebackhide__`` (set in the frames between a test cell and the checks' ``raise``) is not
    enough on its own: IPython always shows the frame that raised, and that frame is the course's. The lines
    are fixed when the check fails, so nothing holds on to the exception or its frames. Outside IPython
    (pytest, plain Python) the attribute is ignored."""
    if "_render_traceback_" not in vars(exc):
        exc._render_traceback_ = functools.partial(  # type: ignore[attr-defined]
            _message_lines, type(exc).__name__, str(exc)
        )
    return exc


def quietly(func: _F) -> _F:
    """Decorate a check so that it runs inside :func:`quiet` and a failure shows its message first (see
    :func:`message_first`)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True  # noqa: F841 (IPython and pytest leave this frame out of tracebacks)
        try:
            with quiet():
                return func(*args, **kwargs)
        except AssertionError as exc:
            message_first(exc)
            raise

    return wrapper  # type: ignore[return-value]


def import_keras() -> Any:
    """Return the ``keras`` module, importing it (and TensorFlow) quietly on first use."""
    module = sys.modules.get("keras")
    if module is not None and hasattr(module, "Model"):
        return module
    with quiet():
        import keras

    return keras


def close(a: Any, b: Any, rel_tol: float = 1e-6, abs_tol: float = 1e-12) -> bool:
    """Compare two values: numbers within a relative and absolute tolerance (lists and tuples item by item),
    booleans and everything else with ``==``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=rel_tol, abs_tol=abs_tol)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(close(x, y, rel_tol, abs_tol) for x, y in zip(a, b, strict=True))
    return a == b
