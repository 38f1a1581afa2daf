"""Checks of 01_overfitting: ``generalization_gap``, ``best_epoch``, ``diagnose_fit`` (on fake histories)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from helpers import checks
from helpers._common import close, quietly
from helpers.grading._core import (
    HISTORY_ERRORS,
    HISTORY_HINT,
    as_integer,
    as_number,
    call,
    fake_history,
    first_hint,
    history_kind,
    random_series,
)
from helpers.i18n import _


@quietly
def check_generalization_gap(
    fn: Callable[..., Any],
    *,
    seed: int = 0,
    epochs: int = 6,
    metric: str = "accuracy",
    negative: bool = False,
) -> bool:
    """Check ``generalization_gap(history, metric="accuracy")`` on random histories (object and dict)."""
    rng = np.random.default_rng(seed)
    values = {
        "loss": random_series(rng, 0.2, 1.5, epochs),
        "accuracy": random_series(rng, 0.55, 0.99, epochs),
        "val_loss": random_series(rng, 0.3, 1.8, epochs),
        "val_accuracy": random_series(rng, 0.45, 0.85, epochs),
    }
    if metric != "accuracy":
        values[metric] = random_series(rng, 0.1, 0.5, epochs)
        values[f"val_{metric}"] = random_series(rng, 0.6, 0.9, epochs)
    # The last epoch is not the best one, and its gap is clearly positive (or negative if asked).
    for name in {"accuracy", metric}:
        values[name][-1] = round(float(rng.uniform(0.8, 0.9)), 4)
        values[f"val_{name}"][-1] = round(values[name][-1] - float(rng.uniform(0.08, 0.2)), 4)
    if negative:  # validation better than training, as with dropout: the gap is negative
        values["val_accuracy"][-1] = round(values["accuracy"][-1] + 0.07, 4)
    calls: list[tuple[bool, dict[str, Any], str]] = [(True, {}, "accuracy"), (False, {}, "accuracy")]
    if metric != "accuracy":
        calls += [(True, {"metric": metric}, metric), (False, {"metric": metric}, metric)]
    for as_object, kwargs, name in calls:
        train, val = values[name], values[f"val_{name}"]
        expected = train[-1] - val[-1]
        arg = ", metric=" + repr(kwargs["metric"]) if kwargs else ""
        what = _("generalization_gap(history{arg}) with {kind} of {epochs} epoch(s)").format(
            arg=arg, kind=history_kind(as_object), epochs=epochs
        )
        hint = HISTORY_HINT
        found = as_number(
            call(
                fn, fake_history(values, as_object), what=what, hint=hint, hint_when=HISTORY_ERRORS, **kwargs
            ),
            what,
        )
        if close(found, expected, abs_tol=1e-6):  # float32 arithmetic is fine; every mistake is >= 1e-4 off
            continue
        other = values["accuracy"][-1] - values["val_accuracy"][-1]
        variants = [
            (
                abs(expected),
                _(
                    "compute training minus validation and keep the sign (no abs()): here validation beats "
                    "training, so the gap is negative"
                ),
            ),
            (-expected, _("the gap is training minus validation, not validation minus training")),
            (train[0] - val[0], _("that is the first epoch; use the last one (index -1)")),
            (max(train) - max(val), _("use the last epoch's values, not the best ones")),
            (float(np.mean(np.subtract(train, val))), _("use the last epoch, not the average over epochs")),
            (other if name != "accuracy" else None, _("use the metric argument instead of 'accuracy'")),
        ]
        raise AssertionError(
            _(
                "{what} returned {found:.6g}; expected {expected:.6g} (last {name} {train:g} minus last "
                "val_{name} {val:g}){hint}."
            ).format(
                what=what,
                found=found,
                expected=expected,
                name=name,
                train=train[-1],
                val=val[-1],
                hint=first_hint(found, variants),
            )
        )
    return True


def _best_series(
    rng: np.random.Generator, epochs: int, lower: bool, tie: bool
) -> tuple[list[float], int, int | None]:
    """A monitored series with its best value at a known inner epoch (and optionally a later tie)."""
    if lower:
        series = random_series(rng, 0.5, 1.5, epochs)
        best = 0.25
    else:
        series = random_series(rng, 0.5, 0.85, epochs)
        best = 0.95
    if epochs < 3:
        position = 0
        series[0] = best
        return series, position, None
    position = int(rng.integers(1, epochs - 1)) if not tie else int(rng.integers(1, max(2, epochs - 2)))
    series[position] = best
    later = None
    if tie:
        later = int(rng.integers(position + 1, epochs))
        series[later] = best
    # The worst value (the answer of a wrong min/max choice) sits where no other mistake's answer lands:
    # not next to the best epoch or its tie, so each wrong answer gets its own hint.
    near = {position - 1, position} | ({later - 1, later} if later is not None else set())
    worst = int(np.argmax(series) if lower else np.argmin(series))
    free = [i for i in range(epochs) if i not in near]
    if worst in near and free:
        series[free[int(rng.integers(len(free)))]] = 1.6 if lower else 0.4
    return series, position, later


@quietly
def check_best_epoch(
    fn: Callable[..., Any],
    *,
    seed: int = 0,
    epochs: int = 8,
    monitors: Sequence[str] = ("val_loss", "val_accuracy"),
    ties: bool = True,
) -> bool:
    """Check ``best_epoch(history, monitor="val_loss")``: 1-based, lowest for losses, first on ties."""
    rng = np.random.default_rng(seed)
    cases: list[tuple[str | None, bool]] = [(None, False)] + [(m, False) for m in monitors]
    if ties:
        cases += [(None, True)] + [(m, True) for m in monitors if m is not None]
    for i, (monitor, tie) in enumerate(cases):
        name = monitor or "val_loss"
        lower = "loss" in name
        # Training curves keep improving (best at the last epoch), so reading the wrong key shows.
        values = {
            "loss": [round(1.5 - 1.4 * e / max(1, epochs - 1), 4) for e in range(epochs)],
            "accuracy": [round(0.5 + 0.49 * e / max(1, epochs - 1), 4) for e in range(epochs)],
            "val_loss": random_series(rng, 0.5, 1.5, epochs),
            "val_accuracy": random_series(rng, 0.5, 0.85, epochs),
        }
        series, position, later = _best_series(rng, epochs, lower, tie)
        values[name] = series
        if name != "val_loss" and epochs > 3:
            # Keep val_loss's best epoch apart from the answers, so reading the wrong key shows.
            arr = np.asarray(series)
            taken = {position, later, int(np.argmax(arr) if lower else np.argmin(arr))}
            while int(np.argmin(values["val_loss"])) in taken:
                values["val_loss"] = random_series(rng, 0.5, 1.5, epochs)
        expected = position + 1
        as_object = i % 2 == 0
        arg = f", monitor={name!r}" if monitor else ""
        kwargs = {"monitor": monitor} if monitor else {}
        what = _("best_epoch(history{arg}) with {kind} where {name} = {series}").format(
            arg=arg, kind=history_kind(as_object), name=name, series=series
        )
        hint = HISTORY_HINT
        found = as_integer(
            call(
                fn, fake_history(values, as_object), what=what, hint=hint, hint_when=HISTORY_ERRORS, **kwargs
            ),
            what,
        )
        if found == expected:
            continue
        arr = np.asarray(series)
        wrong_way = int(np.argmax(arr) if lower else np.argmin(arr)) + 1
        if found == position:
            why = _("epochs are counted from 1, so add 1 to the 0-based index")
        elif later is not None and found in (later + 1, later):
            why = _("the best value appears at epochs {first} and {later}: return the first one").format(
                first=position + 1, later=later + 1
            )
        elif monitor and name != "val_loss" and found == int(np.argmin(values["val_loss"])) + 1:
            why = _("use the monitor argument instead of 'val_loss'")
        elif found == wrong_way:
            if lower:
                why = _("for {name!r} the best value is the lowest (the name contains 'loss')").format(
                    name=name
                )
            else:
                why = _("for {name!r} the best value is the highest (the name has no 'loss')").format(
                    name=name
                )
        elif found == epochs:
            why = _("that is the last epoch, not the best one")
        else:
            why = _("the best {name} is {best:g}, reached first at epoch {epoch}").format(
                name=name, best=series[position], epoch=expected
            )
        raise AssertionError(
            _("{what} returned {found}; expected {expected}: {why}.").format(
                what=what, found=found, expected=expected, why=why
            )
        )
    return True


_DIAGNOSES = ("underfitting", "overfitting", "good fit")
# Each visible case: (last training accuracy, last validation accuracy, thresholds passed, expected label).
_DIAGNOSE_DEFAULT_CASES: tuple[tuple[float, float, dict[str, float], str], ...] = (
    (0.62, 0.60, {}, "underfitting"),
    (0.70, 0.40, {}, "underfitting"),
    (0.99, 0.80, {}, "overfitting"),
    (0.93, 0.89, {}, "good fit"),
    (0.85, 0.97, {}, "good fit"),
)


@quietly
def check_diagnose_fit(
    fn: Callable[..., Any],
    *,
    cases: Sequence[tuple[float, float, dict[str, float], str]] = _DIAGNOSE_DEFAULT_CASES,
    epochs: int = 6,
) -> bool:
    """Check ``diagnose_fit(history, gap_threshold=0.1, underfit_threshold=0.8)`` on last-epoch cases."""
    for i, (train_last, val_last, kwargs, expected) in enumerate(cases):
        # Earlier epochs differ from the last one (low start, validation peak before the end), so an
        # answer reading the first or the best epoch gives another label.
        train = [round(0.3 + (train_last - 0.3) * e / max(1, epochs - 1), 4) for e in range(epochs)]
        val = [round(0.25 + (val_last + 0.03 - 0.25) * e / max(1, epochs - 2), 4) for e in range(epochs)]
        train[-1], val[-1] = train_last, val_last
        values = {
            "loss": [round(2.0 - 1.5 * t, 4) for t in train],
            "accuracy": train,
            "val_loss": [round(2.0 - 1.5 * v, 4) for v in val],
            "val_accuracy": val,
        }
        as_object = i % 2 == 0
        args = "".join(f", {k}={v:g}" for k, v in kwargs.items())
        what = _(
            "diagnose_fit(history{args}) with last-epoch accuracy {train:g} and val_accuracy {val:g}"
        ).format(args=args, train=train_last, val=val_last)
        hint = HISTORY_HINT
        found = call(
            fn, fake_history(values, as_object), what=what, hint=hint, hint_when=HISTORY_ERRORS, **kwargs
        )
        if found == expected:
            continue
        gap_threshold = kwargs.get("gap_threshold", 0.1)
        underfit_threshold = kwargs.get("underfit_threshold", 0.8)
        gap = train_last - val_last
        if expected == "underfitting":
            why = _("training accuracy {train:g} is below underfit_threshold={threshold:g}").format(
                train=train_last, threshold=underfit_threshold
            )
        elif expected == "overfitting":
            why = _("the gap {gap:.3g} is above gap_threshold={threshold:g}").format(
                gap=gap, threshold=gap_threshold
            )
        else:
            why = _(
                "training accuracy {train:g} is not below {underfit_threshold:g} and the gap "
                "{gap:.3g} is not above {gap_threshold:g}"
            ).format(
                train=train_last, underfit_threshold=underfit_threshold, gap=gap, gap_threshold=gap_threshold
            )
        if found == "underfitting" and train_last == underfit_threshold:
            why = _("a training accuracy equal to underfit_threshold={threshold:g} is not below it").format(
                threshold=underfit_threshold
            )
        elif found == "overfitting" and gap == gap_threshold:
            why = _("a gap equal to gap_threshold={threshold:g} is not above it").format(
                threshold=gap_threshold
            )
        if isinstance(found, str) and found.strip().lower() == expected:
            why = _("return exactly {expected!r} (lower case, no extra spaces)").format(expected=expected)
        elif not isinstance(found, str) or found not in _DIAGNOSES:
            why = _("return one of {labels}").format(labels=", ".join(map(repr, _DIAGNOSES)))
        raise AssertionError(
            _("{what} returned {found}; expected {expected!r}: {why}.").format(
                what=what, found=checks.format_value(found), expected=expected, why=why
            )
        )
    return True
