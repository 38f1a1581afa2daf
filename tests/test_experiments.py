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
