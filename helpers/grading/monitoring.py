"""Checks of 06_monitoring: ``make_early_stopping`` (settings, optionally simulated) and ``summarize_runs``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from helpers import checks
from helpers._common import close, import_keras, quietly
from helpers.grading._core import HISTORY_ERRORS, HISTORY_HINT, call, fake_history, first_hint, random_series
from helpers.i18n import _


def _simulate_early_stopping(callback: Any, losses: Sequence[float]) -> tuple[int, float]:
    """Feed ``losses`` as val_loss to ``callback``; return (epochs run, epoch whose weights are restored)."""
    keras = import_keras()
    with checks.quiet():
        model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
        callback.set_model(model)
        model.stop_training = False
        callback.on_train_begin()
        ran = 0
        for epoch, loss in enumerate(losses):
            model.layers[-1].bias.assign(np.array([float(epoch)], dtype=np.float32))
            callback.on_epoch_end(epoch, {"loss": loss, "val_loss": loss})
            ran = epoch + 1
            if model.stop_training:
                break
        callback.on_train_end()
        return ran, float(np.asarray(model.layers[-1].bias)[0])


@quietly
def check_make_early_stopping(
    fn: Callable[..., Any], *, patiences: Sequence[int | None] = (None, 3), simulate: bool = False
) -> bool:
    """Check ``make_early_stopping(patience=5)``: EarlyStopping on val_loss restoring the best weights."""
    for patience in patiences:
        p = 5 if patience is None else int(patience)
        arg = "" if patience is None else f"patience={patience}"
        what = f"make_early_stopping({arg})"
        kwargs = {} if patience is None else {"patience": patience}
        callback = call(fn, what=what, **kwargs)
        checks.assert_early_stopping(callback, "val_loss", p, True, what)
        mode = getattr(callback, "mode", "auto")
        if mode not in ("auto", "min"):
            raise AssertionError(
                _(
                    "{what}: the callback has mode={mode!r}; a loss improves when it goes DOWN, so leave mode "
                    "at 'auto' (or 'min')."
                ).format(what=what, mode=mode)
            )
        if simulate:
            best = 3
            losses = [1.0, 0.8, 0.6, 0.5] + [0.55 + 0.05 * i for i in range(p + 4)]
            ran, restored = _simulate_early_stopping(callback, losses)
            if ran != best + 1 + p:
                raise AssertionError(
                    _(
                        "{what}: with val_loss {losses} the callback stopped after epoch {ran}; "
                        "expected {expected} (best epoch {best}, then patience {patience})."
                    ).format(
                        what=what, losses=losses, ran=ran, expected=best + 1 + p, best=best + 1, patience=p
                    )
                )
            if restored != best:
                raise AssertionError(
                    _(
                        "{what}: after stopping the model kept the weights of epoch {kept}; "
                        "expected those of the best epoch {best} (restore_best_weights=True)."
                    ).format(what=what, kept=int(restored) + 1, best=best + 1)
                )
    return True


def _expected_summary(
    histories: Mapping[str, Mapping[str, Sequence[float]]],
) -> list[tuple[str, dict[str, float]]]:
    """Rows of the expected ``summarize_runs`` table, sorted by validation accuracy (best first)."""
    rows = []
    for name, h in histories.items():
        train, val = h["accuracy"][-1], h["val_accuracy"][-1]
        best = int(np.argmin(h["val_loss"])) + 1
        rows.append(
            (name, {"train_accuracy": train, "val_accuracy": val, "gap": train - val, "best_epoch": best})
        )
    return sorted(rows, key=lambda row: -row[1]["val_accuracy"])


def _run_histories(
    rng: np.random.Generator, names: Sequence[str], lengths: Sequence[int]
) -> dict[str, dict[str, list[float]]]:
    """Random histories (one per run name) with distinct last validation accuracies and a val_loss minimum."""
    finals = rng.permutation(np.linspace(0.70, 0.95, len(names)))
    runs = {}
    for name, n, final in zip(names, lengths, finals, strict=True):
        val_loss = random_series(rng, 0.6, 1.2, n)
        if n >= 3:
            val_loss[int(rng.integers(1, n - 1))] = 0.3
        runs[name] = {
            "loss": random_series(rng, 0.1, 1.0, n),
            "accuracy": random_series(rng, 0.6, 0.99, n),
            "val_loss": val_loss,
            "val_accuracy": [*random_series(rng, 0.5, 0.9, n - 1), round(float(final), 4)],
        }
    return runs


_SUMMARY_COLUMNS = ("train_accuracy", "val_accuracy", "gap", "best_epoch")


@quietly
def check_summarize_runs(
    fn: Callable[..., Any],
    *,
    seed: int = 0,
    names: Sequence[str] = ("baseline", "l2", "dropout"),
    lengths: Sequence[int] = (8, 8, 8),
) -> bool:
    """Check ``summarize_runs(histories)``: a DataFrame indexed by run name, sorted by val_accuracy."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    values = _run_histories(rng, names, lengths)
    histories = {name: fake_history(h, as_object=i % 2 == 0) for i, (name, h) in enumerate(values.items())}
    what = _("summarize_runs(histories) with runs {names} (History objects and dicts)").format(
        names=list(names)
    )
    table = call(fn, histories, what=what, hint=HISTORY_HINT, hint_when=HISTORY_ERRORS)
    if not isinstance(table, pd.DataFrame):
        raise AssertionError(
            _("{what} returned a {type}; expected a pandas DataFrame.").format(
                what=what, type=type(table).__name__
            )
        )
    missing = [c for c in _SUMMARY_COLUMNS if c not in table.columns]
    if missing:
        raise AssertionError(
            _("{what}: the table has columns {columns}; it lacks {missing}.").format(
                what=what, columns=list(map(str, table.columns)), missing=missing
            )
        )
    expected = _expected_summary(values)
    order = [name for name, _row in expected]
    index = [str(i) for i in table.index]
    if sorted(index) != sorted(order):
        if "name" in table.columns or "run" in table.columns:
            why = _("set the run names as the index (e.g. df.set_index('name'))")
        else:
            why = _(
                "build the rows with index=list(histories) or pd.DataFrame.from_dict(rows, orient='index')"
            )
        raise AssertionError(
            _("{what}: the index is {index}; expected the run names {order}: {why}.").format(
                what=what, index=index, order=order, why=why
            )
        )
    for name, want in expected:
        row = table.loc[name]
        for column in _SUMMARY_COLUMNS:
            try:
                got = float(row[column])
            except (TypeError, ValueError):
                raise AssertionError(
                    _("{what}: row {name!r}, column {column!r} holds {value!r}; expected a number.").format(
                        what=what, name=name, column=column, value=row[column]
                    )
                ) from None
            if close(got, want[column], 1e-6, 1e-6):
                continue
            h = values[name]
            hints = {
                "gap": [(-want["gap"], _("the gap is training minus validation"))],
                "best_epoch": [
                    (want["best_epoch"] - 1, _("epochs are counted from 1")),
                    (
                        float(len(h["val_loss"])),
                        _("best_epoch is the epoch of the lowest val_loss, not the last"),
                    ),
                ],
                "train_accuracy": [(h["accuracy"][0], _("use the last epoch (index -1)"))],
                "val_accuracy": [(h["val_accuracy"][0], _("use the last epoch (index -1)"))],
            }[column]
            raise AssertionError(
                _(
                    "{what}: row {name!r}, column {column!r} is {got:.6g}; expected {expected:.6g}{hint}."
                ).format(
                    what=what,
                    name=name,
                    column=column,
                    got=got,
                    expected=want[column],
                    hint=first_hint(got, hints),
                )
            )
    if index != order:
        why = _(" (sort by val_accuracy with ascending=False)") if index == order[::-1] else ""
        raise AssertionError(
            _(
                "{what}: the rows are in the order {index}; expected {order}, best val_accuracy first{why}."
            ).format(what=what, index=index, order=order, why=why)
        )
    return True
