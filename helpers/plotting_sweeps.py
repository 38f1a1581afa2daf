"""Figures of hyperparameter sweeps: a metric against one hyperparameter, with a band over seeds.

Like :mod:`helpers.plotting` (which re-exports :func:`hyperparameter_curves`), this module takes numbers and
draws; nothing here trains.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from helpers.experiments.names import run_label
from helpers.i18n import _

BANDS = ("sd", "range")


def _seed_rows(name: str, values: Any, n: int) -> np.ndarray:
    """``values`` as a (seeds, n) float array: a 1-D array is one seed."""
    rows = np.asarray(values, dtype=np.float64)
    if rows.ndim == 1:
        rows = rows[None, :]
    if rows.ndim != 2 or rows.shape[1] != n or rows.shape[0] == 0:
        raise ValueError(
            f"curve {name!r}: expected {n} values per seed (shape (seeds, {n})), got shape {np.shape(values)}"
        )
    if not np.isfinite(rows).all():
        raise ValueError(f"curve {name!r} has missing or infinite values")
    return rows


def hyperparameter_curves(
    values: Sequence[float],
    curves: Mapping[str, Any],
    xlabel: str,
    log_x: bool = False,
    band: str = "sd",
    ylabel: str | None = None,
    reference: float | None = None,
    reference_label: str | None = None,
    title: str | None = None,
):
    """Curves of a metric (e.g. training and validation accuracy) against one hyperparameter.

    ``values``: the hyperparameter's values (the x positions, each marked on the axis). ``curves``: ``name ->
    array`` of shape ``(seeds, len(values))`` (or ``(len(values),)`` for one seed). Each curve is drawn at its
    mean over seeds with a shaded band: mean ± standard deviation (``band="sd"``) or lowest to highest seed
    (``band="range"``); no band for a single seed. ``log_x`` puts the x-axis on a log scale (factors and
    learning rates; every value must then be > 0). ``reference`` adds a dashed horizontal line."""
    x = np.asarray(values, dtype=np.float64).ravel()
    if x.size == 0:
        raise ValueError("nothing to plot: no hyperparameter values given")
    if not curves:
        raise ValueError("nothing to plot: no curves given")
    if band not in BANDS:
        raise ValueError(f"band must be one of {BANDS}, got {band!r}")
    if log_x and (x <= 0).any():
        raise ValueError(f"a log x-axis needs values > 0, got {x.tolist()}; use log_x=False for rates")
    from helpers.plotting import new_figure

    fig, axes = new_figure(1, 1, width=5.6, height=3.8)
    ax = axes[0, 0]
    seeds = 1
    for i, (name, data) in enumerate(curves.items()):
        rows = _seed_rows(str(name), data, x.size)
        seeds = max(seeds, len(rows))
        mean = rows.mean(axis=0)
        ax.plot(x, mean, marker="o", color=f"C{i}", label=run_label(str(name)))
        if len(rows) > 1:
            if band == "sd":
                spread = rows.std(axis=0, ddof=1)
                low, high = mean - spread, mean + spread
            else:
                low, high = rows.min(axis=0), rows.max(axis=0)
            ax.fill_between(x, low, high, color=f"C{i}", alpha=0.2, linewidth=0)
    if reference is not None:
        ax.axhline(reference, color="gray", linestyle="--", label=reference_label)
    if log_x:
        ax.set_xscale("log")
    ax.set_xticks(x, [f"{v:g}" for v in x])
    ax.minorticks_off()
    ax.set_xlabel(xlabel)
    ylabel = _("accuracy") if ylabel is None else ylabel
    if seeds > 1:
        spread = _("± s.d.") if band == "sd" else _("min–max")
        ylabel += _(" (mean, band: {spread} over {seeds} seeds)").format(spread=spread, seeds=seeds)
    ax.set_ylabel(ylabel, fontsize=9)
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return fig


__all__ = ["hyperparameter_curves"]
