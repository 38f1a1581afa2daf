"""Regularizers: describe any spelling of an L1/L2 penalty as plain factors and compare it with the expected one."""

from __future__ import annotations

import inspect
from typing import Any

from helpers._common import close, import_keras, quiet, quietly
from helpers.checks._text import _round, format_value
from helpers.i18n import _


def _factor_kind(l1: float, l2: float) -> str:
    """Name a penalty by its non-zero factors: "l1", "l2", "l1_l2" or "zero"."""
    if l1 > 0 and l2 > 0:
        return "l1_l2"
    if l1 > 0:
        return "l1"
    if l2 > 0:
        return "l2"
    return "zero"


def _factor_text(l1: float, l2: float) -> str:
    """Short human form of an L1/L2 penalty from its factors."""
    kind = _factor_kind(l1, l2)
    if kind == "l1":
        return f"L1({format_value(l1)})"
    if kind == "l2":
        return f"L2({format_value(l2)})"
    return f"L1L2(l1={format_value(l1)}, l2={format_value(l2)})"


def _from_factors(l1: float, l2: float, cls: str) -> dict[str, Any]:
    """Build a regularizer description from its factors."""
    l1, l2 = _round(l1), _round(l2)
    return {"kind": _factor_kind(l1, l2), "l1": l1, "l2": l2, "text": _factor_text(l1, l2), "class": cls}


def _custom(reg: Any) -> dict[str, Any]:
    """Describe a regularizer that is not an L1/L2 penalty."""
    name = getattr(reg, "__name__", None) or type(reg).__name__
    text = _("a custom regularizer ({name})").format(name=name)
    return {"kind": "custom", "l1": None, "l2": None, "text": text, "class": name}


@quietly
def describe_regularizer(reg: Any) -> dict[str, Any] | None:
    """Describe a regularizer as ``{"kind", "l1", "l2", "text"}`` (None when there is no regularizer)."""
    if reg is None:
        return None
    if isinstance(reg, dict):
        if "kind" in reg and "text" in reg:
            return dict(reg)
        if "class_name" not in reg and set(reg) <= {"l1", "l2"}:
            return _from_factors(float(reg.get("l1") or 0.0), float(reg.get("l2") or 0.0), "factors")
    keras = import_keras()
    if isinstance(reg, (str, dict)) or inspect.isclass(reg):
        try:
            with quiet():
                reg = keras.regularizers.get(reg)
        except Exception:
            return {
                "kind": "custom",
                "l1": None,
                "l2": None,
                "text": _("an unknown regularizer {regularizer!r}").format(regularizer=reg),
                "class": "unknown",
            }
        if reg is None:
            return None
    cls = type(reg).__name__
    if isinstance(reg, (keras.regularizers.L1, keras.regularizers.L2, keras.regularizers.L1L2)):
        config = reg.get_config()
        return _from_factors(float(config.get("l1", 0.0)), float(config.get("l2", 0.0)), cls)
    if isinstance(reg, keras.regularizers.OrthogonalRegularizer):
        factor = _round(reg.get_config().get("factor", 0.0))
        return {
            "kind": "orthogonal",
            "l1": None,
            "l2": None,
            "factor": factor,
            "text": f"OrthogonalRegularizer(factor={format_value(factor)})",
            "class": cls,
        }
    return _custom(reg)


def _expected_text(expected: dict[str, Any]) -> str:
    """Say what regularizer is expected, e.g. ``L2(0.01)`` or ``L1L2 with l1=0.01 and l2=0.01``."""
    l1, l2 = float(expected.get("l1") or 0.0), float(expected.get("l2") or 0.0)
    if l1 > 0 and l2 > 0:
        return _("L1L2 with l1={l1} and l2={l2}").format(l1=format_value(l1), l2=format_value(l2))
    if l1 == 0 and l2 == 0:
        return _("no penalty")
    return _factor_text(l1, l2)


@quietly
def assert_regularizer(found: Any, expected: Any, where: str, rel_tol: float = 1e-4) -> None:
    """Check a regularizer (object or description) against ``{"l1": .., "l2": ..}`` or None (none expected)."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    desc = describe_regularizer(found)
    if expected is not None and not isinstance(expected, dict):
        expected = describe_regularizer(expected)
    if expected is not None and expected.get("kind") in ("custom", "orthogonal"):
        if desc is None or desc["kind"] != expected["kind"] or desc.get("text") != expected.get("text"):
            if desc is None:
                raise AssertionError(
                    _("{where} is not set; expected {expected}.").format(
                        where=where, expected=expected["text"]
                    )
                )
            raise AssertionError(
                _("{where} is {found}; expected {expected}.").format(
                    where=where, found=desc["text"], expected=expected["text"]
                )
            )
        return
    if (
        expected is None
        or _factor_kind(float(expected.get("l1") or 0), float(expected.get("l2") or 0)) == "zero"
    ):
        if desc is None or desc["kind"] == "zero":
            return
        raise AssertionError(
            _("{where} is {found}; expected no regularizer: remove it.").format(
                where=where, found=desc["text"]
            )
        )
    want = _expected_text(expected)
    if desc is None:
        raise AssertionError(_("{where} is not set; expected {expected}.").format(where=where, expected=want))
    if desc["kind"] == "zero":
        raise AssertionError(
            _(
                "{where} is a zero penalty: l1_l2() without arguments adds nothing; pass l1=... and l2=..."
            ).format(where=where)
        )
    wrong = _("{where} is {found}; expected {expected}.").format(
        where=where, found=desc["text"], expected=want
    )
    if desc["kind"] not in ("l1", "l2", "l1_l2"):
        raise AssertionError(wrong)
    e1, e2 = float(expected.get("l1") or 0.0), float(expected.get("l2") or 0.0)
    if _factor_kind(e1, e2) != desc["kind"]:
        raise AssertionError(wrong)
    if not (close(desc["l1"], e1, rel_tol) and close(desc["l2"], e2, rel_tol)):
        raise AssertionError(wrong)
