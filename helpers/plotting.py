"""Figures for the course: learning curves, weight histograms, decision boundaries, activation distributions.

Every function takes histories, arrays or trained models and returns a :class:`CourseFigure` (a matplotlib
``Figure``); nothing here trains. Figures are built without ``pyplot``, so they work headless (no display,
any backend), never pile up in pyplot's registry, and show up in a notebook when they are the last value of a
cell (they carry their own PNG representation). Save one with ``fig.savefig("name.png")``.

A *history* is a ``keras.callbacks.History``, its ``.history`` dict, or anything with such a dict in a
``.history`` attribute (e.g. :class:`helpers.experiments.Run`).
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from helpers.experiments.names import run_label  # a run's name as shown, in the notebook's language
from helpers.i18n import _
from helpers.plotting_sweeps import hyperparameter_curves  # curves against a hyperparameter (second module)

# --------------------------------------------------------------------------------------------------------
# Figure plumbing
# --------------------------------------------------------------------------------------------------------

_FIGURE_CLASS: type | None = None


def _figure_class() -> type:
    """The ``Figure`` subclass with a PNG representation (created on first use: matplotlib loads lazily)."""
    global _FIGURE_CLASS
    if _FIGURE_CLASS is None:
        from matplotlib.figure import Figure

        class CourseFigure(Figure):
            """A matplotlib Figure that Jupyter displays as a PNG image, whatever the backend."""

            def _repr_png_(self) -> bytes:
                buffer = io.BytesIO()
                self.savefig(buffer, format="png", bbox_inches="tight")
                return buffer.getvalue()

        _FIGURE_CLASS = CourseFigure
    return _FIGURE_CLASS


def new_figure(nrows: int = 1, ncols: int = 1, width: float | None = None, height: float | None = None,
               **subplot_kw: Any):  # fmt: skip
    """A new figure with an ``nrows x ncols`` grid of axes (about 4 x 3.2 inches per panel by default).
    Returns ``(figure, axes)`` with ``axes`` always a 2-D NumPy array."""
    if nrows < 1 or ncols < 1:
        raise ValueError(f"a figure needs at least one row and one column, got {nrows}x{ncols}")
    width = width if width is not None else min(4.2 * ncols, 14.0)
    height = height if height is not None else 3.2 * nrows
    fig = _figure_class()(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **subplot_kw)
    return fig, axes


# --------------------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------------------


def as_history(history: Any) -> dict[str, list[float]]:
    """The per-epoch dict of a History, a ``.history`` dict or a run; checks it is not empty and that every
    metric has one value per epoch."""
    data = history if isinstance(history, Mapping) else getattr(history, "history", None)
    if not isinstance(data, Mapping):
        raise TypeError(
            f"expected a keras History, its .history dict or a run with a .history dict, got {type(history).__name__}"
        )
    if not data:
        raise ValueError(
            "the history is empty: train the model (model.fit returns the History) before plotting"
        )
    lengths = {key: len(values) for key, values in data.items()}
    if any(n == 0 for n in lengths.values()):
        raise ValueError(f"the history has metrics without any epoch: {lengths}")
    if len(set(lengths.values())) > 1:
        raise ValueError(f"every metric of a history needs one value per epoch; found lengths {lengths}")
    return {key: [float(v) for v in values] for key, values in data.items()}


def _named(items: Any, what: str) -> dict[str, Any]:
    """Normalize one item, a sequence or a name -> item mapping into an ordered name -> item dict."""
    if isinstance(items, Mapping):
        named = dict(items)
    elif isinstance(items, Sequence) and not isinstance(items, str | bytes) and not _is_array_like(items):
        numbers = [_("run {number}").format(number=i + 1) for i in range(len(items))]
        named = {getattr(item, "name", None) or n: item for n, item in zip(numbers, items, strict=True)}
        if len(named) < len(items):  # duplicate names: fall back to numbering
            named = dict(zip(numbers, items, strict=True))
    else:
        named = {getattr(items, "name", None) or what: items}
    if not named:
        raise ValueError(f"nothing to plot: no {what} given")
    return {str(k): v for k, v in named.items()}


def _looks_like_history(obj: Any) -> bool:
    """True for a single history dict (metric -> list of numbers), as opposed to a name -> run mapping."""
    return isinstance(obj, Mapping) and (
        not obj or any(isinstance(v, list | tuple | np.ndarray) and (len(v) == 0 or _is_array_like(v))
                       for v in obj.values())
    )  # fmt: skip


def _histories(histories: Any) -> dict[str, dict[str, list[float]]]:
    """Normalize one history, a list or a name -> history mapping into name -> validated history dict."""
    if _looks_like_history(histories) or hasattr(histories, "history"):
        named = {getattr(histories, "name", None) or _("run"): histories}
    else:
        named = _named(histories, "history")
    return {name: as_history(h) for name, h in named.items()}


def _is_array_like(obj: Any) -> bool:
    return isinstance(obj, np.ndarray) or (
        isinstance(obj, Sequence) and len(obj) > 0 and isinstance(obj[0], int | float | np.number)
    )


# --------------------------------------------------------------------------------------------------------
# Learning curves
# --------------------------------------------------------------------------------------------------------


def learning_curves(
    histories: Any,
    metrics: str | Sequence[str] = ("loss", "accuracy"),
    log_y: bool = False,
    mark_best: bool = False,
    sharey: bool = True,
    title: str | None = None,
):
    """Training vs validation curves: one column per run (side by side), one row per metric.

    ``histories``: one history, a list, or a dict ``name -> history``. Each panel has a training line and,
    when the history has ``val_<metric>``, a validation line; ``mark_best`` adds a dotted vertical line at the
    epoch with the best validation value (lowest for losses, highest otherwise). ``log_y`` puts the y-axis on
    a log scale (useful for losses)."""
    named = _histories(histories)
    metrics = [metrics] if isinstance(metrics, str) else list(metrics)
    if not metrics:
        raise ValueError("give at least one metric to plot, e.g. 'loss' or 'accuracy'")
    for name, data in named.items():
        for metric in metrics:
            if metric not in data:
                raise KeyError(f"run {name!r} has no {metric!r} in its history; it has {sorted(data)}")
    fig, axes = new_figure(len(metrics), len(named), sharey="row" if sharey else False)
    for col, (name, data) in enumerate(named.items()):
        for row, metric in enumerate(metrics):
            ax = axes[row, col]
            epochs = np.arange(1, len(data[metric]) + 1)
            ax.plot(epochs, data[metric], label=_("training"), color="tab:blue")
            val_key = f"val_{metric}"
            if val_key in data:
                ax.plot(epochs, data[val_key], label=_("validation"), color="tab:orange")
                if mark_best:
                    pick = np.argmin if "loss" in metric else np.argmax
                    best = int(pick(data[val_key])) + 1
                    ax.axvline(
                        best, color="gray", linestyle=":", label=_("best epoch ({best})").format(best=best)
                    )
            if log_y:
                ax.set_yscale("log")
            ax.set_xlabel(_("epoch"))
            ax.set_ylabel(metric)
            if row == 0:
                ax.set_title(run_label(name))
            ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def compare_curves(histories: Any, key: str = "val_accuracy", log_y: bool = False, threshold: float | None = None,
                   title: str | None = None):  # fmt: skip
    """One panel, one line per run for a single history ``key`` (e.g. several runs' validation accuracy);
    ``threshold`` adds a dashed horizontal line."""
    named = _histories(histories)
    fig, axes = new_figure(1, 1, width=6.5, height=3.8)
    ax = axes[0, 0]
    for name, data in named.items():
        if key not in data:
            raise KeyError(f"run {name!r} has no {key!r} in its history; it has {sorted(data)}")
        ax.plot(
            np.arange(1, len(data[key]) + 1), data[key], marker="o", markersize=2.5, label=run_label(name)
        )
    if threshold is not None:
        ax.axhline(threshold, color="gray", linestyle="--", label=f"{threshold:g}")
    if log_y:
        ax.set_yscale("log")
    ax.set_xlabel(_("epoch"))
    ax.set_ylabel(key)
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return fig


# --------------------------------------------------------------------------------------------------------
# Weights
# --------------------------------------------------------------------------------------------------------


def _weights_of(item: Any) -> np.ndarray:
    """A flat weight array from an array, a Keras model (hidden Dense kernels) or a run (its model)."""
    model = getattr(item, "model", None) if not hasattr(item, "layers") else item
    if model is not None and hasattr(model, "layers"):
        from helpers.experiments import hidden_kernels

        return hidden_kernels(model)
    array = np.asarray(item, dtype=np.float64).ravel()
    if array.size == 0:
        raise ValueError("cannot draw a histogram of an empty weight array")
    return array


def weight_histograms(
    weights: Any,
    bins: int = 60,
    log_count: bool = False,
    threshold: float | None = 1e-3,
    limit: float | None = None,
    title: str | None = None,
):
    """Histograms of weights side by side (e.g. none vs L1 vs L2 vs Elastic Net), on a shared x-range.

    ``weights``: one array, a list, or a dict ``name -> array | Keras model | run`` (models contribute the
    kernels of their hidden Dense layers). ``log_count`` puts counts on a log scale, so a spike at zero does
    not flatten everything else. With ``threshold`` each panel's title gives the fraction of ``|w| <
    threshold``. ``limit`` fixes the x-range to ``[-limit, limit]`` (default: the largest ``|w|``)."""
    named = {name: _weights_of(w) for name, w in _named(weights, "weights").items()}
    if bins < 1:
        raise ValueError(f"bins must be a positive integer, got {bins}")
    span = limit if limit is not None else max(float(np.abs(w).max()) for w in named.values()) or 1.0
    edges = np.linspace(-span, span, bins + 1)
    fig, axes = new_figure(1, len(named), sharey=True)
    for ax, (name, w) in zip(axes[0], named.items(), strict=True):
        ax.hist(np.clip(w, -span, span), bins=edges, color="tab:blue", alpha=0.85)
        if log_count:
            ax.set_yscale("log")
        label = run_label(name)
        if threshold is not None:
            fraction = (np.abs(w) < threshold).mean()
            label += "\n" + _("{fraction:.0%} of |w| < {threshold:g}").format(
                fraction=fraction, threshold=threshold
            )
        ax.set_title(label, fontsize=10)
        ax.set_xlabel(_("weight value"))
    axes[0, 0].set_ylabel(_("count (log)") if log_count else _("count"))
    if title:
        fig.suptitle(title)
    return fig


# --------------------------------------------------------------------------------------------------------
# Decision boundaries on 2-D data
# --------------------------------------------------------------------------------------------------------


def _predict_labels(model: Any, points: np.ndarray) -> np.ndarray:
    """Class labels for ``points`` from a Keras model or a function returning labels or probabilities."""
    if hasattr(model, "layers") and callable(model):  # a Keras model: direct inference-mode calls
        # In chunks: one call on a whole fine grid holds every layer's activations at once (~150 MB more RSS).
        chunk = 2048
        out = np.concatenate(
            [np.asarray(model(points[i : i + chunk], training=False)) for i in range(0, len(points), chunk)]
        )
    elif hasattr(model, "predict"):
        out = model.predict(points)
    elif callable(model):
        out = model(points)
    else:
        raise TypeError(f"expected a model with .predict or a predict function, got {type(model).__name__}")
    out = np.asarray(out)
    if out.ndim == 2 and out.shape[1] > 1:
        return out.argmax(axis=1)
    out = out.reshape(len(points))
    if np.issubdtype(out.dtype, np.floating) and not np.all(np.isin(out, (0.0, 1.0))):
        return (out >= 0.5).astype(int)  # one sigmoid probability per point
    return out.astype(int)


def decision_boundaries(
    models: Any,
    x: np.ndarray,
    y: np.ndarray,
    resolution: int = 150,
    padding: float = 0.5,
    title: str | None = None,
):
    """Predicted class regions of one or several classifiers over 2-D inputs, side by side, with the points
    ``(x, y)`` on top. ``models``: a Keras model, a function ``points -> labels or probabilities``, a list
    or a dict ``name -> model``."""
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y).ravel()
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"decision boundaries need 2-D inputs of shape (n, 2), got {x.shape}")
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} points but y has {len(y)} labels")
    if resolution < 2:
        raise ValueError(f"resolution must be at least 2, got {resolution}")
    named = _named(models, "model")
    (x0, y0), (x1, y1) = x.min(axis=0) - padding, x.max(axis=0) + padding
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.c_[gx.ravel(), gy.ravel()].astype(np.float32)
    fig, axes = new_figure(1, len(named), sharex=True, sharey=True)
    for ax, (name, model) in zip(axes[0], named.items(), strict=True):
        labels = _predict_labels(model, grid).reshape(gx.shape)
        ax.contourf(gx, gy, labels, alpha=0.3, cmap="coolwarm", levels=np.arange(labels.max() + 2) - 0.5)
        ax.scatter(x[:, 0], x[:, 1], c=y, cmap="coolwarm", s=10, edgecolors="k", linewidths=0.3)
        ax.set_title(run_label(name))
        ax.set_xlabel("$x_1$")
    axes[0, 0].set_ylabel("$x_2$")
    if title:
        fig.suptitle(title)
    return fig


# --------------------------------------------------------------------------------------------------------
# Activations (before / after BatchNormalization)
# --------------------------------------------------------------------------------------------------------


def activation_distributions(
    before: Any,
    after: Any,
    bins: int = 50,
    layer_names: Sequence[str] | None = None,
    labels: tuple[str, str] | None = None,
    clip_quantile: float = 0.999,
    title: str | None = None,
):
    """Two rows of histograms, one column per layer: activations before (top) and after (bottom) a
    normalization. ``before``/``after``: one array or a list of arrays (one per layer, shape
    ``(samples, units)``). Each panel's title gives the spread of the per-unit means and standard deviations.
    Values beyond the ``clip_quantile`` quantiles are piled into the edge bins, so rare outliers do not
    squeeze the histogram."""
    if not 0.5 < clip_quantile <= 1.0:
        raise ValueError(f"clip_quantile must be in (0.5, 1], got {clip_quantile}")
    before_list = [np.asarray(before)] if isinstance(before, np.ndarray) else [np.asarray(b) for b in before]
    after_list = [np.asarray(after)] if isinstance(after, np.ndarray) else [np.asarray(a) for a in after]
    if not before_list:
        raise ValueError("no activations given")
    if len(before_list) != len(after_list):
        raise ValueError(f"before has {len(before_list)} layers but after has {len(after_list)}")
    names = (
        list(layer_names)
        if layer_names is not None
        else [_("layer {number}").format(number=i + 1) for i in range(len(before_list))]
    )
    if labels is None:
        labels = (_("entering BatchNorm"), _("leaving BatchNorm"))
    if len(names) != len(before_list):
        raise ValueError(f"{len(names)} layer names for {len(before_list)} layers")
    fig, axes = new_figure(2, len(before_list), height=5.6)
    for col, (b, a, name) in enumerate(zip(before_list, after_list, names, strict=True)):
        for row, (values, label, color) in enumerate(
            ((b, labels[0], "tab:gray"), (a, labels[1], "tab:green"))
        ):
            if values.size == 0:
                raise ValueError(f"{name}: empty activation array")
            ax = axes[row, col]
            flat_values = values.ravel()
            low, high = np.quantile(flat_values, [1 - clip_quantile, clip_quantile])
            ax.hist(np.clip(flat_values, low, high), bins=bins, color=color, alpha=0.85)
            flat = values.reshape(len(values), -1) if values.ndim > 1 else values.reshape(-1, 1)
            means, stds = flat.mean(axis=0), flat.std(axis=0)
            ax.set_title(
                _(
                    "{name}, {label}\nunit means {low_mean:.2f}..{high_mean:.2f}, stds {low_sd:.2f}..{high_sd:.2f}"
                ).format(
                    name=name,
                    label=label,
                    low_mean=means.min(),
                    high_mean=means.max(),
                    low_sd=stds.min(),
                    high_sd=stds.max(),
                ),
                fontsize=8,
            )
            ax.set_xlabel(_("activation"))
    if title:
        fig.suptitle(title)
    return fig


# --------------------------------------------------------------------------------------------------------
# Bars and images
# --------------------------------------------------------------------------------------------------------


def epochs_to_threshold(
    epochs: Mapping[str, Any],
    max_epochs: int,
    threshold: float | None = None,
    title: str | None = None,
):
    """Bars of how many epochs each configuration needed to reach a target (e.g. 90% validation accuracy).

    ``epochs``: ``name -> epochs`` where a value is an int, ``None`` (never reached within ``max_epochs``),
    or a sequence of those over seeds (bar = mean, dots = seeds). Never-reached runs are drawn as hatched
    bars at ``max_epochs + 1`` and labelled "never"."""
    if not epochs:
        raise ValueError("nothing to plot: no configurations given")
    fig, axes = new_figure(1, 1, width=max(4.0, 1.3 * len(epochs) + 2), height=3.6)
    ax = axes[0, 0]
    for i, (name, value) in enumerate(epochs.items()):
        values = list(value) if isinstance(value, Sequence | np.ndarray) else [value]
        if not values:
            raise ValueError(f"{name!r} has no measurement")
        filled = [max_epochs + 1 if v is None else float(v) for v in values]
        never = all(v is None for v in values)
        bar = ax.bar(i, np.mean(filled), color="lightgray" if never else f"C{i}", hatch="//" if never else None,
                     edgecolor="k")  # fmt: skip
        if len(values) > 1:
            ax.scatter([i] * len(filled), filled, color="k", s=12, zorder=3)
        text = _("never") if never else f"{np.mean(filled):.3g}"
        ax.bar_label(bar, labels=[text], padding=2)
    ax.set_xticks(range(len(epochs)), [run_label(str(name)) for name in epochs], rotation=15)
    ax.axhline(max_epochs, color="gray", linestyle=":", linewidth=1)
    ax.set_ylim(0, max_epochs * 1.15 + 1)
    if threshold is not None:
        ax.set_ylabel(
            _("epochs to reach {threshold:g} (budget {budget})").format(
                threshold=threshold, budget=max_epochs
            )
        )
    else:
        ax.set_ylabel(_("epochs (budget {budget})").format(budget=max_epochs))
    if title:
        ax.set_title(title)
    return fig


def metric_bars(values: Mapping[str, Any], ylabel: str = "", reference: float | None = None,
                ylim: tuple[float, float] | None = None, title: str | None = None):  # fmt: skip
    """Bars comparing runs: ``name -> number`` (one bar each) or ``name -> {metric: number}`` (grouped bars,
    e.g. training vs validation accuracy per run). ``reference`` adds a dashed horizontal line."""
    if not values:
        raise ValueError("nothing to plot: no runs given")
    grouped = {k: (dict(v) if isinstance(v, Mapping) else {ylabel or "value": v}) for k, v in values.items()}
    metrics = list(dict.fromkeys(m for v in grouped.values() for m in v))
    width = 0.8 / len(metrics)
    fig, axes = new_figure(1, 1, width=max(4.5, 1.4 * len(grouped) + 2), height=3.8)
    ax = axes[0, 0]
    for j, metric in enumerate(metrics):
        xs = [i + (j - (len(metrics) - 1) / 2) * width for i in range(len(grouped))]
        heights = [float(v.get(metric, math.nan)) for v in grouped.values()]
        bars = ax.bar(xs, heights, width=width, label=metric, color=f"C{j}")
        ax.bar_label(bars, labels=[f"{h:.2f}" for h in heights], fontsize=7, padding=1)
    ax.set_xticks(range(len(grouped)), [run_label(str(name)) for name in grouped], rotation=15)
    if reference is not None:
        ax.axhline(reference, color="gray", linestyle="--")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_ylabel(ylabel)
    if len(metrics) > 1:
        ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return fig


def image_grid(images: Any, titles: Sequence[str] | None = None, ncols: int = 8, shape: tuple[int, int] | None = None,
               cmap: str = "gray_r", vmin: float | None = None, vmax: float | None = None,
               title: str | None = None):  # fmt: skip
    """Small images in a grid (e.g. digits with their labels, or dropout masks). Flat rows are reshaped to
    ``shape`` (default: the nearest square, 64 values -> 8x8). ``vmin``/``vmax`` fix the colour scale shared
    by all images (default: each image scaled to its own range)."""
    images = [np.asarray(img, dtype=float) for img in images]
    if not images:
        raise ValueError("no images given")
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"{len(titles)} titles for {len(images)} images")
    ncols = max(1, min(ncols, len(images)))
    nrows = math.ceil(len(images) / ncols)
    fig, axes = new_figure(nrows, ncols, width=1.3 * ncols, height=1.45 * nrows)
    for k, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if k >= len(images):
            continue
        img = images[k]
        if img.ndim == 1:
            side = int(math.isqrt(img.size))
            img = img.reshape(shape if shape is not None else (side, img.size // side))
        ax.imshow(img, cmap=cmap, interpolation="nearest", vmin=vmin, vmax=vmax)
        if titles is not None:
            ax.set_title(titles[k], fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def close(fig: Any) -> None:
    """Release a figure's memory (figures made here are not tracked by pyplot, so this is optional)."""
    fig.clear()


__all__ = [
    "activation_distributions",
    "as_history",
    "close",
    "compare_curves",
    "decision_boundaries",
    "epochs_to_threshold",
    "hyperparameter_curves",
    "image_grid",
    "learning_curves",
    "metric_bars",
    "new_figure",
    "weight_histograms",
]
