"""Measurements on trained models and layers: kernels, weight statistics, layer inputs and outputs, epochs to
a threshold, a dropout layer's behaviour."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import keras


def dense_kernels(model: keras.Model) -> list[np.ndarray]:
    """The kernel matrices of every ``Dense`` layer of ``model``, as NumPy arrays."""
    import keras

    return [np.asarray(layer.kernel) for layer in model.layers if isinstance(layer, keras.layers.Dense)]


def hidden_kernels(model: keras.Model) -> np.ndarray:
    """All kernel weights of the hidden ``Dense`` layers (every Dense but the last), flattened."""
    kernels = dense_kernels(model)[:-1]
    if not kernels:
        raise ValueError("the model has no hidden Dense layer")
    return np.concatenate([k.ravel() for k in kernels])


def hidden_biases(model: keras.Model) -> np.ndarray:
    """All bias values of the hidden ``Dense`` layers (every Dense but the last), flattened."""
    import keras

    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)][:-1]
    if not dense:
        raise ValueError("the model has no hidden Dense layer")
    return np.concatenate([np.asarray(layer.bias).ravel() for layer in dense])


def predict_labels(model: keras.Model, x: np.ndarray) -> np.ndarray:
    """Predicted class of each row of ``x`` (a direct inference-mode call: no ``predict`` retracing warnings
    when many small models are compared)."""
    return np.asarray(model(np.asarray(x, dtype=np.float32), training=False)).argmax(axis=1)


def weight_stats(weights: np.ndarray, threshold: float = 1e-3) -> dict[str, float]:
    """Fraction of weights with ``|w| < threshold`` (``near_zero``) and exactly 0.0 (``exact_zero``), mean
    ``|w|``, L1 and L2 norms of a weight array."""
    w = np.abs(np.asarray(weights, dtype=np.float64)).ravel()
    if w.size == 0:
        raise ValueError("weight_stats needs at least one weight")
    return {
        "near_zero": float((w < threshold).mean()),
        "exact_zero": float((w == 0.0).mean()),
        "mean_abs": float(w.mean()),
        "l1_norm": float(w.sum()),
        "l2_norm": float(np.sqrt((w**2).sum())),
    }


def dropout_behaviour(rate: float = 0.5, n: int = 100_000, seed: int = 0) -> dict[str, float]:
    """Call ``keras.layers.Dropout(rate)`` on a vector of ones in training and in inference mode and report
    the fraction zeroed, the value the survivors take, the output mean, and the largest inference change."""
    import keras

    keras.utils.set_random_seed(seed)
    layer = keras.layers.Dropout(rate=rate, seed=seed)
    x = np.ones((1, n), dtype=np.float32)
    train_out = np.asarray(layer(x, training=True))
    infer_out = np.asarray(layer(x, training=False))
    survivors = train_out[train_out != 0]
    return {
        "rate": float(rate),
        "dropped_fraction": float((train_out == 0).mean()),
        "survivor_value": float(survivors.mean()) if survivors.size else float("nan"),
        "survivor_spread": float(survivors.max() - survivors.min()) if survivors.size else float("nan"),
        "expected_survivor_value": 1.0 / (1.0 - rate),
        "train_mean": float(train_out.mean()),
        "inference_max_change": float(np.abs(infer_out - x).max()),
    }


def layer_inputs_outputs(model: keras.Model, layer_type: type, x: np.ndarray, training: bool = True):
    """For every layer of ``layer_type`` in a Sequential ``model``: (its input, its output) on ``x``,
    computed layer by layer in training or inference mode."""
    outputs = []
    h = np.asarray(x, dtype=np.float32)
    for layer in model.layers:
        out = layer(h, training=training)
        if isinstance(layer, layer_type):
            outputs.append((np.asarray(h), np.asarray(out)))
        h = out
    return outputs


def epochs_to_reach(
    history: dict[str, list[float]], threshold: float, key: str = "val_accuracy"
) -> int | None:
    """1-based first epoch where ``history[key] >= threshold``; ``None`` if never."""
    values = history[key] if isinstance(history, dict) else history.history[key]
    for i, value in enumerate(values):
        if value >= threshold:
            return i + 1
    return None


def hidden_activations(model: keras.Model, x: np.ndarray) -> list[np.ndarray]:
    """Outputs of every hidden Dense layer of a Sequential ``model`` on ``x`` (inference mode). (With
    BatchNormalization before the activation, a Dense layer's output is the pre-activation.)"""
    import keras

    return [out for _, out in layer_inputs_outputs(model, keras.layers.Dense, x, training=False)[:-1]]
