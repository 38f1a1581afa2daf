"""helpers.datasets: offline, deterministic, and clear about bad input."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import datasets


def test_digits_split_sizes_noise_and_determinism():
    a = datasets.load_digits_split(n_train=300, label_noise=0.2, seed=0)
    b = datasets.load_digits_split(n_train=300, label_noise=0.2, seed=0)
    assert a.x_train.shape == (300, 64) and a.x_val.shape == (1797 - 300, 64)
    assert a.input_dim == 64 and a.num_classes == 10
    assert a.flipped == 60, "exactly 20% of 300 training labels are flipped"
    assert a.x_train.dtype == np.float32 and 0.0 <= a.x_train.min() and a.x_train.max() <= 1.0
    np.testing.assert_array_equal(a.y_train, b.y_train)
    np.testing.assert_array_equal(a.x_val, b.x_val)
    c = datasets.load_digits_split(n_train=300, label_noise=0.2, seed=1)
    assert not np.array_equal(a.x_train, c.x_train), "another seed gives another split"


def test_digits_noise_only_touches_training_labels():
    clean = datasets.load_digits_split(n_train=300, label_noise=0.0, seed=2)
    noisy = datasets.load_digits_split(n_train=300, label_noise=0.2, seed=2)
    assert clean.flipped == 0
    np.testing.assert_array_equal(clean.x_train, noisy.x_train)
    np.testing.assert_array_equal(clean.y_val, noisy.y_val)
    assert (clean.y_train != noisy.y_train).sum() == noisy.flipped == 60


def test_digits_split_rejects_bad_sizes():
    with pytest.raises(ValueError, match="n_train"):
        datasets.load_digits_split(n_train=0)
    with pytest.raises(ValueError, match="n_train"):
        datasets.load_digits_split(n_train=5000)


def test_flip_labels_always_changes_the_class():
    labels = np.arange(10).repeat(50)
    flipped = datasets.flip_labels(labels, 0.5, 10, seed=0)
    changed = flipped != labels
    assert changed.sum() == 250
    assert flipped.min() >= 0 and flipped.max() <= 9
    with pytest.raises(ValueError, match="fraction"):
        datasets.flip_labels(labels, 1.5, 10)


def test_one_hot_and_errors():
    y = np.array([0, 2, 1, 2])
    m = datasets.one_hot(y, 3)
    assert m.shape == (4, 3) and m.dtype == np.float32
    np.testing.assert_array_equal(m.sum(axis=1), 1.0)
    np.testing.assert_array_equal(m.argmax(axis=1), y)
    assert datasets.one_hot(y).shape == (4, 3)
    with pytest.raises(ValueError, match="integer labels"):
        datasets.one_hot(np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match="num_classes"):
        datasets.one_hot(y, 2)
    with pytest.raises(ValueError, match=">= 0"):
        datasets.one_hot(np.array([-1, 0]))


def test_moons_split():
    s = datasets.load_moons_split(n_train=100, n_val=50, seed=0)
    assert s.x_train.shape == (100, 2) and s.x_val.shape == (50, 2) and s.num_classes == 2
    assert set(np.unique(s.y_train)) == {0, 1}


def test_make_dataset_batches_one_hot_and_seeded_order():
    x = np.arange(20, dtype=np.float32).reshape(10, 2)
    y = np.arange(10) % 3
    ds = datasets.make_dataset(x, y, batch_size=4, seed=1, one_hot_labels=3)
    batches = list(ds.as_numpy_iterator())
    assert [len(b[0]) for b in batches] == [4, 4, 2]
    assert batches[0][1].shape == (4, 3)
    again = list(datasets.make_dataset(x, y, batch_size=4, seed=1, one_hot_labels=3).as_numpy_iterator())
    np.testing.assert_array_equal(batches[0][0], again[0][0])
    ordered = list(datasets.make_dataset(x, y, batch_size=10, shuffle=False).as_numpy_iterator())
    np.testing.assert_array_equal(ordered[0][0], x)
    with pytest.raises(ValueError, match="rows"):
        datasets.make_dataset(x, y[:5])
