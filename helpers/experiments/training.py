"""Seeded, silent training on the course's splits: the benchmark and convergence splits, :func:`fit`, :func:`train`
(cached in the process), the :class:`Run` it returns and the :class:`Result` of an experiment."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from helpers.datasets import Split, load_digits_split, make_dataset
from helpers.experiments.models import MLPSpec, build_mlp
from helpers.experiments.names import run_label
from helpers.i18n import _

if TYPE_CHECKING:  # pragma: no cover
    import keras

# The course benchmark: 300 digits for training with 20% of their labels flipped, ~1,500 clean for validation.
BENCHMARK = {"n_train": 300, "label_noise": 0.2}
BENCHMARK_EPOCHS = 60
VAL_BATCH_SIZE = 512

# The deeper-network set-up used to measure how fast batch normalization trains: 1,000 clean digits.
CONVERGENCE = {"n_train": 1000, "label_noise": 0.0}
CONVERGENCE_EPOCHS = 30
CONVERGENCE_THRESHOLD = 0.9


def benchmark_split(seed: int = 0) -> Split:
    """The course benchmark split (small noisy training set, large clean validation set)."""
    return load_digits_split(seed=seed, **BENCHMARK)


def convergence_split(seed: int = 0) -> Split:
    """1,000 clean training digits and ~800 validation digits, for the convergence-speed experiment."""
    return load_digits_split(seed=seed, **CONVERGENCE)


def fit(
    model: keras.Model,
    split: Split,
    epochs: int = BENCHMARK_EPOCHS,
    batch_size: int = 32,
    seed: int = 0,
    callbacks: list[Any] | None = None,
) -> keras.callbacks.History:
    """Train a compiled model on ``split`` with one-hot labels through seeded tf.data pipelines, silently."""
    train = make_dataset(
        split.x_train, split.y_train, batch_size=batch_size, seed=seed, one_hot_labels=split.num_classes
    )
    val = make_dataset(
        split.x_val, split.y_val, batch_size=VAL_BATCH_SIZE, shuffle=False, one_hot_labels=split.num_classes
    )
    # The pipeline shuffles itself; shuffle=False keeps Keras from warning that it would ignore the flag.
    return model.fit(
        train, validation_data=val, epochs=epochs, callbacks=callbacks or [], verbose=0, shuffle=False
    )


@dataclass
class Run:
    """One trained network: its spec, seed, per-epoch history (a plain dict), the model and the fit time."""

    name: str
    spec: MLPSpec
    seed: int
    history: dict[str, list[float]]
    model: Any = field(repr=False)
    seconds: float = 0.0

    @property
    def epochs(self) -> int:
        """Number of epochs actually trained."""
        return len(self.history["loss"])

    def last(self, key: str) -> float:
        """Last-epoch value of a history key (e.g. ``"val_accuracy"``)."""
        return float(self.history[key][-1])

    @property
    def train_accuracy(self) -> float:
        """Last-epoch training accuracy (measured during the epoch, with dropout active)."""
        return self.last("accuracy")

    @property
    def val_accuracy(self) -> float:
        """Last-epoch validation accuracy."""
        return self.last("val_accuracy")

    @property
    def gap(self) -> float:
        """Last-epoch training accuracy minus validation accuracy."""
        return self.train_accuracy - self.val_accuracy

    @property
    def best_epoch(self) -> int:
        """1-based epoch of the lowest validation loss."""
        return int(np.argmin(self.history["val_loss"])) + 1


def stop_at_accuracy(threshold: float, monitor: str = "val_accuracy") -> Any:
    """A Keras callback that stops training at the end of the first epoch where ``monitor >= threshold``."""
    import keras

    class StopAtAccuracy(keras.callbacks.Callback):
        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            if logs and logs.get(monitor, float("-inf")) >= threshold:
                self.model.stop_training = True

    return StopAtAccuracy()


_CACHE: dict[tuple, Run] = {}


def train(
    spec: MLPSpec,
    seed: int = 0,
    epochs: int = BENCHMARK_EPOCHS,
    split: Split | None = None,
    callbacks: list[Any] | None = None,
    name: str | None = None,
    batch_size: int = 32,
    cache: bool = True,
    repeat: int = 1,
) -> Run:
    """Seed everything with ``seed``, build ``spec`` and fit it for ``epochs`` on ``split`` (default: the
    benchmark split drawn with the same seed). ``repeat > 1`` makes one logged epoch ``repeat`` passes over
    the training data (fewer, cheaper validation rounds for long trainings on tiny data). Runs on the
    benchmark without callbacks are cached in the process, so experiments that share a network train it
    once."""
    import keras

    key = (spec, seed, epochs, batch_size, repeat)
    cacheable = cache and split is None and not callbacks
    if cacheable and key in _CACHE:
        hit = _CACHE[key]
        return Run(name or hit.name, hit.spec, hit.seed, hit.history, hit.model, hit.seconds)
    data = split if split is not None else benchmark_split(seed)
    keras.utils.set_random_seed(seed)
    model = build_mlp(spec, data.input_dim, data.num_classes)
    start = time.perf_counter()
    if repeat == 1:
        history = fit(model, data, epochs=epochs, batch_size=batch_size, seed=seed, callbacks=callbacks)
    else:
        train_ds = make_dataset(
            data.x_train, data.y_train, batch_size, seed=seed, one_hot_labels=data.num_classes
        )
        val_ds = make_dataset(
            data.x_val, data.y_val, VAL_BATCH_SIZE, shuffle=False, one_hot_labels=data.num_classes
        )
        history = model.fit(train_ds.repeat(repeat), validation_data=val_ds, epochs=epochs,
                            callbacks=callbacks or [], verbose=0, shuffle=False)  # fmt: skip
    run = Run(
        name=name or spec.describe(),
        spec=spec,
        seed=seed,
        history={k: [float(v) for v in vals] for k, vals in history.history.items()},
        model=model,
        seconds=time.perf_counter() - start,
    )
    if cacheable:
        _CACHE[key] = run
    return run


def clear_cache() -> None:
    """Forget the cached benchmark runs (frees their models)."""
    _CACHE.clear()


def sweep(specs: dict[str, MLPSpec], seed: int = 0, epochs: int = BENCHMARK_EPOCHS) -> dict[str, Run]:
    """Train several named specs on the benchmark with the same seed (for hyperparameter comparisons)."""
    return {name: train(spec, seed, epochs, name=name) for name, spec in specs.items()}


def runs_table(runs: dict[str, Run] | list[Run]) -> Any:
    """A pandas DataFrame to look at, one row per run: last-epoch training and validation accuracy, their gap,
    the epoch of the lowest validation loss and the number of epochs trained. Its headers and the course's run
    names are in the notebook's language (read numbers off the runs, not off the table's labels)."""
    import pandas as pd

    items = list(runs.items()) if isinstance(runs, dict) else [(r.name, r) for r in runs]
    columns = [_("train acc"), _("val acc"), _("gap"), _("lowest val loss at epoch"), _("epochs")]
    rows = [
        [round(r.train_accuracy, 3), round(r.val_accuracy, 3), round(r.gap, 3), r.best_epoch, r.epochs]
        for _name, r in items
    ]
    index = [run_label(name) if isinstance(name, str) else name for name, _run in items]  # 0.5 stays 0.5
    return pd.DataFrame(rows, index=index, columns=columns)


@dataclass
class Result:
    """What a claim experiment measured: plain numbers, plus the runs and arrays behind them (for plots)."""

    numbers: dict[str, float]
    runs: dict[str, Run] = field(default_factory=dict)
    arrays: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> float:
        return self.numbers[key]
