"""Formatting for the checks' messages: short values, call texts, first lines of errors, snake_case."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from helpers.i18n import _


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
            return _("<{kind} of shape {shape}>").format(kind=type(obj).__name__, shape=tuple(shape))
        except TypeError:
            pass
    if isinstance(obj, (int, float, str, bool, type(None))):
        text = format_value(obj)
    elif isinstance(obj, dict):
        text = _("<dict of {count} items>").format(count=len(obj))
    elif isinstance(obj, (list, tuple)) and len(obj) > 4:
        text = _("<{kind} of {count} items>").format(kind=type(obj).__name__, count=len(obj))
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
    return _("(no message)")
