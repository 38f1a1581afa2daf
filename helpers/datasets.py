"""Offline datasets for the course: scikit-learn digits, 2-D toy sets, one-hot labels, seeded tf.data pipelines.

Nothing here downloads anything. TensorFlow is imported only inside the functions that need it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import tensorflow as tf


@dataclass(frozen=True)
class Split:
    """Training and validation arrays with integer labels, plus how many labels were flipped."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    num_classes: int
    flipped: int = 0

    @property
    def input_dim(self) -> int:
        """Number of input features."""
        return int(self.x_train.shape[1])


def one_hot(labels: np.ndarray, num_classes: int | None = None) -> np.ndarray:
    """Integer labels of shape (n,) as a float32 one-hot matrix of shape (n, num_classes)."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"one_hot expects a 1-D array of integer labels, got dtype {labels.dtype} "
            f"and shape {labels.shape}"
        )
    if labels.size and labels.min() < 0:
        raise ValueError("one_hot expects labels >= 0")
    n = int(labels.max()) + 1 if num_classes is None else int(num_classes)
    if labels.size and labels.max() >= n:
        raise ValueError(f"label {int(labels.max())} does not fit in num_classes={n}")
    out = np.zeros((labels.size, n), dtype=np.float32)
    out[np.arange(labels.size), labels] = 1.0
    return out


def flip_labels(labels: np.ndarray, fraction: float, num_classes: int, seed: int = 0) -> np.ndarray:
    """Copy of ``labels`` where exactly ``round(fraction * n)`` entries get a different, random class."""
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must be in [0, 1], got {fraction}")
    labels = np.asarray(labels).copy()
    rng = np.random.default_rng(seed)
    n_flip = int(round(fraction * labels.size))
    idx = rng.choice(labels.size, size=n_flip, replace=False)
    # Adding 1..num_classes-1 modulo num_classes always gives another class.
    labels[idx] = (labels[idx] + rng.integers(1, num_classes, size=n_flip)) % num_classes
    return labels


def load_digits_split(
    n_train: int = 300,
    label_noise: float = 0.2,
    seed: int = 0,
    n_val: int | None = None,
) -> Split:
    """Scikit-learn's 8x8 digits scaled to [0, 1]: a small training set (optionally with a fraction of
    labels flipped, simulating annotation errors) and a large, clean validation set."""
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    x = (x / 16.0).astype(np.float32)
    y = y.astype(np.int64)
    if not 0 < n_train < len(x):
        raise ValueError(f"n_train must be between 1 and {len(x) - 1}, got {n_train}")
    order = np.random.default_rng(seed).permutation(len(x))
    train_idx = order[:n_train]
    val_idx = order[n_train:] if n_val is None else order[n_train : n_train + n_val]
    y_train = y[train_idx]
    y_noisy = flip_labels(y_train, label_noise, 10, seed=seed + 1) if label_noise else y_train
    return Split(
        x_train=x[train_idx],
        y_train=y_noisy,
        x_val=x[val_idx],
        y_val=y[val_idx],
        num_classes=10,
        flipped=int((y_noisy != y_train).sum()),
    )


def load_moons_split(n_train: int = 200, n_val: int = 1000, noise: float = 0.3, seed: int = 0) -> Split:
    """Two interleaving half-moons in 2-D (scikit-learn ``make_moons``), for decision-boundary pictures."""
    from sklearn.datasets import make_moons

    x, y = make_moons(n_samples=n_train + n_val, noise=noise, random_state=seed)
    x = x.astype(np.float32)
    return Split(x[:n_train], y[:n_train].astype(np.int64), x[n_train:], y[n_train:].astype(np.int64), 2)


def make_dataset(
    x: np.ndarray,
    y: np.ndarray,
    batch_size: int = 32,
    shuffle: bool = True,
    seed: int = 0,
    one_hot_labels: int | None = None,
) -> tf.data.Dataset:
    """A cached, batched, prefetched ``tf.data`` pipeline, reshuffled each epoch with a fixed seed.
    Pass ``one_hot_labels=num_classes`` to one-hot encode integer labels."""
    import tensorflow as tf

    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} rows but y has {len(y)}")
    if one_hot_labels is not None:
        y = one_hot(y, one_hot_labels)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).cache()
    if shuffle:
        ds = ds.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
