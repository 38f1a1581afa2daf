"""helpers.experiments: the model builder, the measurements and a short seeded run (fast; the claims
themselves are measured in tests/test_claims.py)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import experiments as ex
from helpers.datasets import load_digits_split
from helpers.experiments import training


def layer_kinds(model) -> list[str]:
    return [type(layer).__name__ for layer in model.layers]


def test_build_mlp_follows_the_spec():
    import keras

    spec = ex.MLPSpec(hidden=(32, 16), l1=0.01, l2=0.02, bias_l2=0.03, activity_l1=0.001, dropout=0.25,
                      batchnorm=True, optimizer="sgd", learning_rate=0.05)  # fmt: skip
    model = ex.build_mlp(spec, input_dim=64, num_classes=10)
    assert layer_kinds(model) == ["Dense", "BatchNormalization", "Dropout"] * 2 + ["Dense"]
    first = model.layers[0]
    assert first.units == 32 and first.activation.__name__ == "relu"
    assert isinstance(first.kernel_regularizer, keras.regularizers.L1L2)
    assert first.kernel_regularizer.l1 == pytest.approx(
        0.01
    ) and first.kernel_regularizer.l2 == pytest.approx(0.02)
    assert isinstance(first.bias_regularizer, keras.regularizers.L2)
    assert isinstance(first.activity_regularizer, keras.regularizers.L1)
    assert model.layers[2].rate == 0.25
    out = model.layers[-1]
    assert out.units == 10 and out.activation.__name__ == "softmax" and out.kernel_regularizer is None
    assert isinstance(model.optimizer, keras.optimizers.SGD)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.05)
    assert model.input_shape == (None, 64)


def test_chapter_model_is_the_texts():
    model = ex.build_mlp(ex.CHAPTER, 64, 10)
    assert layer_kinds(model) == ["Dense", "BatchNormalization", "Dropout", "Dense"]
    assert model.layers[0].units == 64 and model.layers[2].rate == 0.5
    assert "L1L2(0.01, 0.01)" in ex.CHAPTER.describe() and "Dropout(0.5)" in ex.CHAPTER.describe()


def test_make_regularizer_kinds_and_errors():
    import keras

    assert ex.make_regularizer() is None
    assert isinstance(ex.make_regularizer(l1=0.1), keras.regularizers.L1)
    assert isinstance(ex.make_regularizer(l2=0.1), keras.regularizers.L2)
    assert isinstance(ex.make_regularizer(0.1, 0.1), keras.regularizers.L1L2)
    with pytest.raises(ValueError, match=">= 0"):
        ex.make_regularizer(l1=-1.0)
    with pytest.raises(ValueError, match="unknown optimizer"):
        ex.make_optimizer("adagrad2")
    with pytest.raises(ValueError, match="dropout rate"):
        ex.build_mlp(ex.MLPSpec(dropout=1.0), 4, 2)


def test_weight_stats_and_epochs_to_reach():
    stats = ex.weight_stats(np.array([0.0, 0.0005, -0.5, 2.0]))
    assert stats["near_zero"] == 0.5
    assert stats["l1_norm"] == pytest.approx(2.5005)
    assert stats["l2_norm"] == pytest.approx(np.sqrt(0.0005**2 + 0.25 + 4))
    with pytest.raises(ValueError, match="at least one"):
        ex.weight_stats(np.array([]))
    history = {"val_accuracy": [0.5, 0.91, 0.95]}
    assert ex.epochs_to_reach(history, 0.9) == 2
    assert ex.epochs_to_reach(history, 0.99) is None


def test_dropout_behaviour_measures_the_keras_layer():
    found = ex.dropout_behaviour(rate=0.25, n=20_000, seed=3)
    assert abs(found["dropped_fraction"] - 0.25) < 0.02
    assert found["survivor_value"] == pytest.approx(1 / 0.75) and found["survivor_spread"] == 0
    assert found["inference_max_change"] == 0


def test_train_is_seeded_cached_and_returns_plain_history():
    split = load_digits_split(n_train=100, label_noise=0.0, seed=0, n_val=100)
    spec = ex.MLPSpec(hidden=(8,))
    a = ex.train(spec, seed=1, epochs=2, split=split)
    b = ex.train(spec, seed=1, epochs=2, split=split)
    assert a.epochs == 2 and set(a.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(isinstance(v, float) for v in a.history["loss"])
    np.testing.assert_allclose(a.history["val_loss"], b.history["val_loss"], rtol=1e-5)
    assert a.gap == pytest.approx(a.train_accuracy - a.val_accuracy)
    assert 1 <= a.best_epoch <= 2


def test_benchmark_runs_are_cached_in_process(monkeypatch):
    calls = []
    real_fit = ex.fit

    def counting_fit(*args, **kwargs):
        calls.append(1)
        return real_fit(*args, **kwargs)

    monkeypatch.setattr(training, "fit", counting_fit)  # where train() looks fit up
    ex.clear_cache()
    spec = ex.MLPSpec(hidden=(4,))
    first = ex.train(spec, seed=0, epochs=1, name="first")
    again = ex.train(spec, seed=0, epochs=1, name="again")
    assert len(calls) == 1 and again.name == "again" and again.model is first.model
    ex.clear_cache()


def test_stop_at_accuracy_stops_training():
    split = load_digits_split(n_train=200, label_noise=0.0, seed=0, n_val=200)
    run = ex.train(ex.MLPSpec(hidden=(32,)), 0, epochs=30, split=split, callbacks=[ex.stop_at_accuracy(0.5)])
    assert run.epochs < 30 and run.history["val_accuracy"][-1] >= 0.5


def test_batchnorm_activation_experiment_normalizes():
    result = ex.batchnorm_activation_experiment(seed=0, n=128)
    assert result["after_mean_abs_max"] < 1e-3 and result["after_std_dev_from_1_max"] < 0.05
    assert len(result.arrays["before"]) == len(result.arrays["after"]) == 6


def test_batchnorm_before_activation_puts_bn_between_a_linear_dense_and_the_activation():
    spec = ex.MLPSpec(hidden=(8, 8), batchnorm=True, batchnorm_before_activation=True)
    model = ex.build_mlp(spec, input_dim=64, num_classes=10)
    assert layer_kinds(model) == ["Dense", "BatchNormalization", "Activation"] * 2 + ["Dense"]
    assert model.layers[0].activation.__name__ == "linear" and model.layers[2].activation.__name__ == "relu"
    assert "BatchNorm before relu" in spec.describe()
    with pytest.raises(ValueError, match="needs batchnorm=True"):
        ex.build_mlp(ex.MLPSpec(batchnorm_before_activation=True), 4, 2)


def test_hidden_biases_and_exact_zeros():
    model = ex.build_mlp(ex.MLPSpec(hidden=(8, 4)), input_dim=6, num_classes=3)
    assert ex.hidden_biases(model).shape == (12,)
    stats = ex.weight_stats(np.array([0.0, 1e-9, -0.5, 2.0]))
    assert stats["exact_zero"] == 0.25 and stats["near_zero"] == 0.5


def test_soft_threshold_gives_exact_zeros():
    out = ex.soft_threshold(np.array([-0.3, -0.05, 0.0, 0.02, 0.5]), 0.1)
    np.testing.assert_allclose(out, [-0.2, 0.0, 0.0, 0.0, 0.4])
    assert (out[1:4] == 0.0).all()
    with pytest.raises(ValueError, match=">= 0"):
        ex.soft_threshold(np.ones(2), -1.0)


def test_proximal_steps_zero_weights_gradient_steps_do_not():
    result = ex.proximal_l1_experiment(seed=0, l1=0.01, steps=100)
    assert result["gradient_exact_zero"] == 0.0
    assert result["proximal_exact_zero"] > 0.2
    assert result["proximal_exact_zero"] <= result["proximal_near_zero"]
    assert result["step_size"] == pytest.approx(0.005)
    assert result.arrays["weights"]["proximal"].shape == (64, 10)


def test_small_claim_experiments_run_with_one_epoch():
    ex.clear_cache()
    activity = ex.activity_experiment(seed=0, epochs=1)
    assert activity["zero_fraction_gain"] == pytest.approx(
        activity["activity_zero_fraction"] - activity["none_zero_fraction"]
    )
    bias = ex.bias_regularizer_experiment(seed=0, epochs=1)
    assert set(bias.runs) == {"no penalty", "bias L2(0.01)", "kernel L2(0.01)"}
    assert bias["bias_val_acc_change"] == pytest.approx(bias["bias_val_acc"] - bias["none_val_acc"])
    assert 0 < bias["bias_norm_ratio"] and 0 < bias["kernel_norm_ratio"]
    bench = ex.batchnorm_placement_benchmark_experiment(seed=0, epochs=1)
    assert bench["before_minus_after_val_acc"] == pytest.approx(
        bench["before_val_acc"] - bench["after_val_acc"]
    )
    placement = ex.batchnorm_placement_experiment(seed=0, max_epochs=2)
    assert placement["before_epochs"] in (1.0, 2.0, 3.0) and placement["after_epochs"] in (1.0, 2.0, 3.0)
    assert placement.runs["before"].spec.batchnorm_before_activation
    ex.clear_cache()


def test_sweeps_measure_each_value_and_stack_over_seeds():
    ex.clear_cache()
    results = [ex.dropout_sweep_experiment(seed=s, rates=(0.0, 0.5), epochs=1) for s in (0, 1)]
    first = results[0]
    assert list(first.arrays["values"]) == [0.0, 0.5]
    assert first.runs["Dropout rate 0"].spec.dropout == 0.0 and first["best_value"] in (0.0, 0.5)
    assert first["gap@0.5"] == pytest.approx(first["train_acc@0.5"] - first["val_acc@0.5"])
    assert first["val_acc@0.5"] == first.runs["Dropout rate 0.5"].val_accuracy
    stacked = ex.stack_sweeps(results)
    assert stacked["train_acc"].shape == stacked["val_acc"].shape == (2, 2)
    penalty = ex.penalty_sweep_experiment(seed=0, factors=(0.01, 0.1), epochs=1)
    assert penalty.runs["L1L2 factor 0.1"].spec == ex.chapter_spec(0.1)
    with pytest.raises(ValueError, match="different values"):
        ex.stack_sweeps([first, penalty])
    with pytest.raises(ValueError, match="nothing to sweep"):
        ex.sweep_experiment({}, seed=0)
    ex.clear_cache()


def fake_run(name: str, epochs: int = 4) -> training.Run:
    """A run without a model: only its name and history matter to a table."""
    history = {
        "loss": list(np.linspace(1.0, 0.2, epochs)),
        "accuracy": list(np.linspace(0.5, 0.9, epochs)),
        "val_loss": [0.9, 0.7, 0.8, 0.95][:epochs],
        "val_accuracy": list(np.linspace(0.4, 0.7, epochs)),
    }
    return training.Run(name, ex.LARGE, 0, history, model=None)


@pytest.mark.parametrize(
    ("lang", "headers", "names"),
    [
        ("en", ["train acc", "val acc", "gap", "lowest val loss at epoch", "epochs"],
         ["baseline", "chapter's model", "relu, no BatchNorm", "my own run"]),
        ("fr", ["exactitude entr.", "exactitude val.", "écart", "époque de la perte val. minimale", "époques"],
         ["modèle de référence", "modèle du chapitre", "relu, sans BatchNorm", "my own run"]),
    ],
)  # fmt: skip
def test_runs_table_shows_headers_and_course_run_names_in_the_notebook_language(
    lang: str, headers: list[str], names: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COURSE_LANG", lang)
    runs = {
        name: fake_run(name) for name in ("baseline", "chapter's model", "relu, no BatchNorm", "my own run")
    }
    table = ex.runs_table(runs)
    assert list(table.columns) == headers
    assert list(table.index) == names
    assert table.iloc[0].tolist() == [0.9, 0.7, 0.2, 2, 4]
    assert list(ex.runs_table(list(runs.values())).index) == names  # a list of runs: their own names
    assert set(runs) == {"baseline", "chapter's model", "relu, no BatchNorm", "my own run"}  # keys untouched
    assert list(ex.runs_table({0.5: fake_run("a"), 0.25: fake_run("b")}).index) == [0.5, 0.25]
