"""helpers.plotting: every figure has the expected panels and lines, renders headless, and rejects bad input."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np
import pytest

from helpers import plotting

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def history(epochs: int = 5, val: bool = True, seed: int = 0) -> dict[str, list[float]]:
    """A fake Keras history with falling loss and rising accuracy."""
    rng = np.random.default_rng(seed)
    loss = list(np.linspace(2.0, 0.2, epochs) + rng.uniform(0, 0.05, epochs))
    acc = list(np.linspace(0.3, 0.99, epochs))
    out = {"loss": loss, "accuracy": acc}
    if val:
        out.update({"val_loss": [v + 0.3 for v in loss], "val_accuracy": [v - 0.1 for v in acc]})
    return out


class FakeHistory:
    """Stands for keras.callbacks.History: only the .history dict matters."""

    def __init__(self, data: dict) -> None:
        self.history = data


def lines(ax) -> int:
    return len(ax.get_lines())


def test_learning_curves_side_by_side_runs_and_metrics():
    fig = plotting.learning_curves({"small": history(), "large": FakeHistory(history(8))})
    assert len(fig.axes) == 4  # 2 metrics x 2 runs
    assert all(lines(ax) == 2 for ax in fig.axes)  # training + validation
    assert fig.axes[0].get_title() == "small"
    assert fig._repr_png_().startswith(PNG_MAGIC)


def test_learning_curves_single_history_log_scale_and_best_epoch():
    data = history(6)
    data["val_loss"] = [1.0, 0.8, 0.5, 0.7, 0.9, 1.1]
    fig = plotting.learning_curves(data, metrics="loss", log_y=True, mark_best=True)
    (ax,) = fig.axes
    assert ax.get_yscale() == "log"
    assert lines(ax) == 3
    assert ax.get_lines()[2].get_xdata()[0] == 3  # best epoch, 1-based


def test_learning_curves_without_validation_draws_one_line():
    fig = plotting.learning_curves([history(val=False), history(val=False)], metrics=["loss"])
    assert len(fig.axes) == 2 and all(lines(ax) == 1 for ax in fig.axes)


@pytest.mark.parametrize(
    ("bad", "error", "match"),
    [
        ({}, ValueError, "empty"),
        ({"loss": []}, ValueError, "without any epoch"),
        ({"loss": [1.0, 0.5], "val_loss": [1.0]}, ValueError, "one value per epoch"),
        (42, TypeError, "History"),
    ],
)
def test_learning_curves_reject_bad_histories(bad, error, match):
    with pytest.raises(error, match=match):
        plotting.learning_curves(bad)


def test_learning_curves_unknown_metric_and_nothing_to_plot():
    with pytest.raises(KeyError, match="no 'auc'"):
        plotting.learning_curves(history(), metrics="auc")
    with pytest.raises(ValueError, match="nothing to plot"):
        plotting.learning_curves([])


def test_compare_curves_one_line_per_run_plus_threshold():
    fig = plotting.compare_curves({"a": history(), "b": history(7)}, key="val_accuracy", threshold=0.9)
    (ax,) = fig.axes
    assert lines(ax) == 3


def test_weight_histograms_panels_log_counts_and_fractions():
    rng = np.random.default_rng(0)
    sparse = np.r_[np.zeros(250), rng.choice([-0.1, 0.1], 750)]
    fig = plotting.weight_histograms({"none": rng.normal(0, 0.1, 1000), "L1": sparse}, log_count=True)
    assert len(fig.axes) == 2
    assert all(ax.get_yscale() == "log" for ax in fig.axes)
    assert "25% of |w| < 0.001" in fig.axes[1].get_title()
    assert len(fig.axes[0].patches) == 60  # one rectangle per bin


def test_weight_histograms_reject_empty():
    with pytest.raises(ValueError, match="empty"):
        plotting.weight_histograms({"none": np.array([])})
    with pytest.raises(ValueError, match="bins"):
        plotting.weight_histograms(np.ones(3), bins=0)


def test_decision_boundaries_with_predict_functions():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 2))
    y = (x[:, 0] > 0).astype(int)
    probs = lambda p: np.c_[1 - (p[:, 0] > 0), p[:, 0] > 0].astype(float)  # noqa: E731
    sigmoid = lambda p: 1 / (1 + np.exp(-p[:, 1]))  # noqa: E731
    fig = plotting.decision_boundaries({"softmax": probs, "sigmoid": sigmoid}, x, y, resolution=20)
    assert len(fig.axes) == 2
    assert all(len(ax.collections) >= 2 for ax in fig.axes)  # filled regions + scattered points
    assert fig._repr_png_().startswith(PNG_MAGIC)


def test_decision_boundaries_reject_bad_shapes():
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        plotting.decision_boundaries(lambda p: p[:, 0], np.zeros((5, 3)), np.zeros(5))
    with pytest.raises(ValueError, match="5 points but y has 4"):
        plotting.decision_boundaries(lambda p: p[:, 0], np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(TypeError, match="predict"):
        plotting.decision_boundaries("not a model", np.zeros((5, 2)), np.zeros(5))


def test_activation_distributions_two_rows_per_layer():
    rng = np.random.default_rng(0)
    before = [rng.uniform(0, 3, (64, 8)), rng.uniform(0, 1, (64, 8)), rng.uniform(0, 2, (64, 8))]
    after = [(b - b.mean(0)) / b.std(0) for b in before]
    fig = plotting.activation_distributions(before, after)
    assert len(fig.axes) == 6
    assert "leaving" in fig.axes[3].get_title()
    single = plotting.activation_distributions(before[0], after[0], layer_names=["dense"])
    assert len(single.axes) == 2


def test_activation_distributions_reject_mismatch():
    a = np.zeros((4, 2))
    with pytest.raises(ValueError, match="2 layers"):
        plotting.activation_distributions([a, a], [a])
    with pytest.raises(ValueError, match="layer names"):
        plotting.activation_distributions([a], [a], layer_names=["x", "y"])


def test_epochs_to_threshold_bars_with_never_and_seeds():
    fig = plotting.epochs_to_threshold(
        {"BN": [6, 7, 6], "no BN": [14, None, 18], "sigmoid": None}, max_epochs=30
    )
    (ax,) = fig.axes
    assert len(ax.patches) == 3
    assert any(t.get_text() == "never" for t in ax.texts)
    with pytest.raises(ValueError, match="nothing to plot"):
        plotting.epochs_to_threshold({}, max_epochs=30)


def test_metric_bars_single_and_grouped():
    fig = plotting.metric_bars({"a": 0.8, "b": 0.9}, ylabel="val accuracy", reference=0.85)
    assert len(fig.axes[0].patches) == 2 and lines(fig.axes[0]) == 1
    grouped = plotting.metric_bars({"a": {"train": 1.0, "val": 0.8}, "b": {"train": 0.8, "val": 0.9}})
    assert len(grouped.axes[0].patches) == 4
    with pytest.raises(ValueError, match="nothing to plot"):
        plotting.metric_bars({})


def test_image_grid_reshapes_flat_digits():
    fig = plotting.image_grid([np.arange(64)] * 5, titles=list("abcde"), ncols=3)
    assert len(fig.axes) == 6  # 2 rows x 3 columns, the last one blank
    assert fig.axes[0].images[0].get_array().shape == (8, 8)
    with pytest.raises(ValueError, match="titles"):
        plotting.image_grid([np.zeros(4)], titles=["a", "b"])


def test_hyperparameter_curves_mean_line_and_band_per_curve():
    rng = np.random.default_rng(0)
    train = rng.uniform(0.8, 1.0, (3, 4))
    val = rng.uniform(0.7, 0.9, (3, 4))
    factors = [1e-4, 1e-3, 1e-2, 1e-1]
    fig = plotting.hyperparameter_curves(factors, {"training": train, "validation": val}, "factor", log_x=True,
                                         reference=0.85)  # fmt: skip
    (ax,) = fig.axes
    assert ax.get_xscale() == "log"
    assert lines(ax) == 3  # two mean curves + the reference
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), val.mean(axis=0))
    assert len(ax.collections) == 2  # one band per curve
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    spread = train.std(axis=0, ddof=1)
    assert band.max() == pytest.approx((train.mean(0) + spread).max())
    assert "3 seeds" in ax.get_ylabel()
    assert fig._repr_png_().startswith(PNG_MAGIC)


def test_hyperparameter_curves_range_band_single_seed_and_linear_axis():
    rows = np.array([[0.9, 0.8, 0.7], [0.7, 0.8, 0.9]])
    fig = plotting.hyperparameter_curves([0.0, 0.25, 0.5], {"val": rows}, "rate", band="range")
    (ax,) = fig.axes
    assert ax.get_xscale() == "linear"
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert band.min() == pytest.approx(0.7) and band.max() == pytest.approx(0.9)
    single = plotting.hyperparameter_curves([0.0, 0.5], {"val": [0.8, 0.9]}, "rate")
    assert len(single.axes[0].collections) == 0  # one seed: no band


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"values": [0.0, 0.5], "curves": {"v": [[0.8, 0.9]]}, "log_x": True}, "values > 0"),
        ({"values": [0.1, 0.5], "curves": {"v": [[0.8, 0.9, 1.0]]}}, "expected 2 values per seed"),
        ({"values": [0.1, 0.5], "curves": {}}, "no curves"),
        ({"values": [], "curves": {"v": []}}, "no hyperparameter values"),
        ({"values": [0.1, 0.5], "curves": {"v": [0.8, np.nan]}}, "missing"),
        ({"values": [0.1, 0.5], "curves": {"v": [0.8, 0.9]}, "band": "iqr"}, "band must be"),
    ],
)
def test_hyperparameter_curves_reject_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plotting.hyperparameter_curves(xlabel="x", **kwargs)


def test_figures_show_the_course_run_names_in_the_notebook_language(monkeypatch):
    runs = {"baseline": history(), "chapter's model": history(6), "my own run": history(4)}
    for lang, shown in (
        ("en", ["baseline", "chapter's model", "my own run"]),
        ("fr", ["modèle de référence", "modèle du chapitre", "my own run"]),
    ):
        monkeypatch.setenv("COURSE_LANG", lang)
        curves = plotting.learning_curves(runs, metrics="loss")
        assert [ax.get_title() for ax in curves.axes] == shown
        (ax,) = plotting.compare_curves(runs).axes
        assert [text.get_text() for text in ax.get_legend().get_texts()] == shown
        (ax,) = plotting.metric_bars({name: 0.8 for name in runs}).axes
        assert [label.get_text() for label in ax.get_xticklabels()] == shown
        (ax,) = plotting.epochs_to_threshold(
            {"relu, BN after": 6, "relu, no BatchNorm": None}, max_epochs=30
        ).axes
        ticks = [label.get_text() for label in ax.get_xticklabels()]
        assert ticks == (["relu, BN après", "relu, sans BatchNorm"] if lang == "fr" else
                         ["relu, BN after", "relu, no BatchNorm"])  # fmt: skip
        (ax,) = plotting.hyperparameter_curves([0.1, 0.2], {"baseline": [0.8, 0.9]}, "x").axes
        assert ax.get_legend().get_texts()[0].get_text() == shown[0]
        hist = plotting.weight_histograms({"none": np.r_[np.zeros(1), np.ones(3)]})
        title = hist.axes[0].get_title()
        assert title == ("sans pénalité\n25% des |w| < 0.001" if lang == "fr" else "none\n25% of |w| < 0.001")
        assert plotting.learning_curves([history(), history()]).axes[0].get_title() == (
            "entraînement 1" if lang == "fr" else "run 1"
        )
    assert list(runs) == ["baseline", "chapter's model", "my own run"]  # the keys stay English
