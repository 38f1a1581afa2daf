"""Training runs shared by the lesson notebooks, the claims tests and the graded benchmark.

Every run is seeded and silent (``verbose=0``) and returns Keras objects or plain numbers, so a lesson cell
and a test call the same code. TensorFlow and Keras are imported inside the functions.

The building block is :class:`MLPSpec` (a hashable description of a multilayer perceptron) and
:func:`train`, which builds, compiles and fits one spec with one seed. Each claim of the chapter has one
function (``overfitting_experiment``, ``regularizer_experiment``, ...) that returns an :class:`Result`:
plain numbers in ``result.numbers`` (also reachable as ``result["name"]``) and the trained runs in
``result.runs`` for the plots.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from helpers.datasets import Split, load_digits_split, make_dataset

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

# Seeds the claims are measured with (tests and the README table).
CLAIM_SEEDS = (0, 1, 2)


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


# --------------------------------------------------------------------------------------------------------
# Model specification and builder
# --------------------------------------------------------------------------------------------------------


def make_regularizer(l1: float = 0.0, l2: float = 0.0) -> Any:
    """``None`` when both factors are 0, else ``L1``, ``L2`` or ``L1L2`` (Elastic Net) with those factors."""
    import keras

    if l1 < 0 or l2 < 0:
        raise ValueError(f"regularization factors must be >= 0, got l1={l1}, l2={l2}")
    if l1 and l2:
        return keras.regularizers.L1L2(l1=l1, l2=l2)
    if l1:
        return keras.regularizers.L1(l1)
    if l2:
        return keras.regularizers.L2(l2)
    return None


@dataclass(frozen=True)
class MLPSpec:
    """A multilayer perceptron for the course, described by plain values (hashable, printable).

    Each hidden layer is ``Dense(units, activation)`` with the kernel/bias/activity penalties below, then
    ``BatchNormalization()`` when ``batchnorm``, then ``Dropout(dropout)`` when ``dropout > 0`` (the chapter's
    order). The output layer is ``Dense(num_classes, softmax)`` without penalties.
    """

    hidden: tuple[int, ...] = (256, 256)
    activation: str = "relu"
    l1: float = 0.0
    l2: float = 0.0
    bias_l2: float = 0.0
    activity_l1: float = 0.0
    dropout: float = 0.0
    batchnorm: bool = False
    optimizer: str = "adam"
    learning_rate: float | None = None

    def with_(self, **changes: Any) -> MLPSpec:
        """A copy with some fields changed."""
        return replace(self, **changes)

    def describe(self) -> str:
        """A short human-readable summary, e.g. ``2x256 relu, L2(0.01), Dropout(0.5)``."""
        sizes = (
            "x".join(str(u) for u in self.hidden)
            if len(set(self.hidden)) > 1
            else (f"{len(self.hidden)}x{self.hidden[0]}" if self.hidden else "no hidden layer")
        )
        parts = [f"{sizes} {self.activation}"]
        if self.l1 and self.l2:
            parts.append(f"L1L2({self.l1:g}, {self.l2:g})")
        elif self.l1:
            parts.append(f"L1({self.l1:g})")
        elif self.l2:
            parts.append(f"L2({self.l2:g})")
        if self.bias_l2:
            parts.append(f"bias L2({self.bias_l2:g})")
        if self.activity_l1:
            parts.append(f"activity L1({self.activity_l1:g})")
        if self.batchnorm:
            parts.append("BatchNorm")
        if self.dropout:
            parts.append(f"Dropout({self.dropout:g})")
        opt = self.optimizer if self.learning_rate is None else f"{self.optimizer}({self.learning_rate:g})"
        parts.append(opt)
        return ", ".join(parts)


# The large network that overfits the benchmark, and the chapter's model of section 5.
LARGE = MLPSpec(hidden=(256, 256))
TINY = MLPSpec(hidden=(2,))
CHAPTER = MLPSpec(hidden=(64,), l1=0.01, l2=0.01, batchnorm=True, dropout=0.5)


def make_optimizer(name: str = "adam", learning_rate: float | None = None) -> Any:
    """A fresh Keras optimizer by name (``adam``, ``sgd``, ``rmsprop``), default learning rate unless given."""
    import keras

    classes = {
        "adam": keras.optimizers.Adam,
        "sgd": keras.optimizers.SGD,
        "rmsprop": keras.optimizers.RMSprop,
    }
    if name.lower() not in classes:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {sorted(classes)}")
    cls = classes[name.lower()]
    return cls() if learning_rate is None else cls(learning_rate=learning_rate)


def build_mlp(spec: MLPSpec, input_dim: int, num_classes: int, compile: bool = True) -> keras.Sequential:
    """Build (and by default compile with categorical cross-entropy and accuracy) the network ``spec``."""
    import keras
    from keras import layers

    if not 0.0 <= spec.dropout < 1.0:
        raise ValueError(f"dropout rate must be in [0, 1), got {spec.dropout}")
    model = keras.Sequential(name="mlp")
    model.add(keras.Input(shape=(input_dim,)))
    for units in spec.hidden:
        model.add(
            layers.Dense(
                units,
                activation=spec.activation,
                kernel_regularizer=make_regularizer(spec.l1, spec.l2),
                bias_regularizer=make_regularizer(0.0, spec.bias_l2),
                activity_regularizer=make_regularizer(spec.activity_l1, 0.0),
            )
        )
        if spec.batchnorm:
            model.add(layers.BatchNormalization())
        if spec.dropout:
            model.add(layers.Dropout(rate=spec.dropout))
    model.add(layers.Dense(num_classes, activation="softmax"))
    if compile:
        model.compile(
            optimizer=make_optimizer(spec.optimizer, spec.learning_rate),
            loss="categorical_crossentropy",
            metrics=["accuracy"],
        )
    return model


# --------------------------------------------------------------------------------------------------------
# One training run
# --------------------------------------------------------------------------------------------------------


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


class StopAtAccuracy:
    """Build a Keras callback that stops training once ``val_accuracy`` reaches ``threshold``."""

    def __new__(cls, threshold: float) -> Any:  # noqa: D102 - returns a keras.callbacks.Callback
        import keras

        class _Stop(keras.callbacks.Callback):
            def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
                if logs and logs.get("val_accuracy", 0.0) >= threshold:
                    self.model.stop_training = True

        return _Stop()


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
) -> Run:
    """Seed everything with ``seed``, build ``spec`` and fit it for ``epochs`` on ``split`` (default: the
    benchmark split drawn with the same seed). Runs on the benchmark without callbacks are cached in the
    process, so experiments that share a network train it once."""
    import keras

    key = (spec, seed, epochs, batch_size)
    cacheable = cache and split is None and not callbacks
    if cacheable and key in _CACHE:
        hit = _CACHE[key]
        return Run(name or hit.name, hit.spec, hit.seed, hit.history, hit.model, hit.seconds)
    data = split if split is not None else benchmark_split(seed)
    keras.utils.set_random_seed(seed)
    model = build_mlp(spec, data.input_dim, data.num_classes)
    start = time.perf_counter()
    history = fit(model, data, epochs=epochs, batch_size=batch_size, seed=seed, callbacks=callbacks)
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


@dataclass
class Result:
    """What a claim experiment measured: plain numbers, plus the runs and arrays behind them (for plots)."""

    numbers: dict[str, float]
    runs: dict[str, Run] = field(default_factory=dict)
    arrays: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> float:
        return self.numbers[key]


# --------------------------------------------------------------------------------------------------------
# Measurements on trained models and layers
# --------------------------------------------------------------------------------------------------------


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


def weight_stats(weights: np.ndarray, threshold: float = 1e-3) -> dict[str, float]:
    """Fraction of weights with ``|w| < threshold``, mean ``|w|``, L1 and L2 norms of a weight array."""
    w = np.abs(np.asarray(weights, dtype=np.float64)).ravel()
    if w.size == 0:
        raise ValueError("weight_stats needs at least one weight")
    return {
        "near_zero": float((w < threshold).mean()),
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


# --------------------------------------------------------------------------------------------------------
# One function per claim of the chapter
# --------------------------------------------------------------------------------------------------------


def overfitting_experiment(seed: int = 0, epochs: int = BENCHMARK_EPOCHS) -> Result:
    """Claim a: a large MLP overfits the noisy benchmark (train accuracy far above validation accuracy,
    validation loss rising after its minimum); a 2-unit network underfits (low training accuracy)."""
    large = train(LARGE, seed, epochs, name="large (2x256)")
    tiny = train(TINY, seed, epochs, name="tiny (1x2)")
    val_loss = np.asarray(large.history["val_loss"])
    return Result(
        numbers={
            "large_train_acc": large.train_accuracy,
            "large_val_acc": large.val_accuracy,
            "large_gap": large.gap,
            "large_best_epoch": float(large.best_epoch),
            "large_val_loss_min": float(val_loss.min()),
            "large_val_loss_last": float(val_loss[-1]),
            "large_val_loss_rise": float(val_loss[-1] - val_loss.min()),
            "tiny_train_acc": tiny.train_accuracy,
            "tiny_val_acc": tiny.val_accuracy,
            "tiny_gap": tiny.gap,
        },
        runs={"tiny": tiny, "large": large},
    )


REGULARIZER_SPECS = {
    "none": LARGE,
    "L1": LARGE.with_(l1=1e-3),
    "L2": LARGE.with_(l2=1e-3),
    "Elastic Net": LARGE.with_(l1=5e-4, l2=5e-4),
}


def regularizer_experiment(seed: int = 0, epochs: int = BENCHMARK_EPOCHS, threshold: float = 1e-3) -> Result:
    """Claim b: train the large MLP with no penalty, L1, L2 and Elastic Net on its hidden kernels and measure
    the fraction of hidden kernel weights below ``threshold`` and the weight norms."""
    numbers: dict[str, float] = {}
    runs: dict[str, Run] = {}
    for label, spec in REGULARIZER_SPECS.items():
        run = train(spec, seed, epochs, name=label)
        stats = weight_stats(hidden_kernels(run.model), threshold)
        key = label.lower().replace(" ", "_")
        for stat, value in stats.items():
            numbers[f"{key}_{stat}"] = value
        numbers[f"{key}_val_acc"] = run.val_accuracy
        runs[label] = run
    return Result(numbers, runs)


DROPOUT = LARGE.with_(dropout=0.5)


def dropout_experiment(seed: int = 0, epochs: int = BENCHMARK_EPOCHS) -> Result:
    """Claim c: Dropout(0.5) after each hidden layer of the large MLP narrows the train/validation gap and
    raises validation accuracy; the layer drops units (scaling survivors) only in training."""
    base = train(LARGE, seed, epochs, name="no dropout")
    drop = train(DROPOUT, seed, epochs, name="Dropout(0.5)")
    behaviour = dropout_behaviour(0.5, seed=seed)
    numbers = {
        "base_val_acc": base.val_accuracy,
        "base_gap": base.gap,
        "dropout_val_acc": drop.val_accuracy,
        "dropout_gap": drop.gap,
        "val_acc_gain": drop.val_accuracy - base.val_accuracy,
        "gap_reduction": base.gap - drop.gap,
    }
    numbers.update({f"layer_{k}": v for k, v in behaviour.items()})
    return Result(numbers, {"no dropout": base, "Dropout(0.5)": drop})


DEEP = MLPSpec(hidden=(64,) * 6, optimizer="sgd", learning_rate=0.05)


def batchnorm_activation_experiment(seed: int = 0, n: int = 512) -> Result:
    """Claim d (what BN does): in a 6-layer relu network, the inputs of each BatchNormalization layer have
    per-unit means and spreads all over the place; its outputs in training mode have per-unit mean ~0 and
    standard deviation ~1 (gamma=1, beta=0 at initialization)."""
    import keras

    split = convergence_split(seed)
    keras.utils.set_random_seed(seed)
    model = build_mlp(DEEP.with_(batchnorm=True), split.input_dim, split.num_classes, compile=False)
    pairs = layer_inputs_outputs(model, keras.layers.BatchNormalization, split.x_train[:n], training=True)
    before_means = np.array([p[0].mean(axis=0) for p in pairs])
    before_stds = np.array([p[0].std(axis=0) for p in pairs])
    after_means = np.array([p[1].mean(axis=0) for p in pairs])
    after_stds = np.array([p[1].std(axis=0) for p in pairs])
    alive = before_stds > 1e-6  # units that never fire (relu at 0) have nothing to normalize
    return Result(
        numbers={
            "before_mean_abs_max": float(np.abs(before_means).max()),
            "before_mean_abs_avg": float(np.abs(before_means).mean()),
            "before_std_min": float(before_stds[alive].min()),
            "before_std_max": float(before_stds[alive].max()),
            "after_mean_abs_max": float(np.abs(after_means[alive]).max()),
            "after_std_dev_from_1_max": float(np.abs(after_stds[alive] - 1.0).max()),
            "dead_fraction": float(1.0 - alive.mean()),
        },
        arrays={"before": [p[0] for p in pairs], "after": [p[1] for p in pairs]},
    )


def batchnorm_convergence_experiment(
    seed: int = 0,
    activation: str = "relu",
    max_epochs: int = CONVERGENCE_EPOCHS,
    threshold: float = CONVERGENCE_THRESHOLD,
    stop_at_threshold: bool = True,
) -> Result:
    """Claim d (what BN buys): epochs a 6-layer MLP trained with SGD(0.05) on 1,000 clean digits needs to
    reach ``threshold`` validation accuracy, with and without BatchNormalization. A run that never gets there
    counts as ``max_epochs + 1`` in ``*_epochs``."""
    split = convergence_split(seed)
    numbers: dict[str, float] = {}
    runs: dict[str, Run] = {}
    for label, use_bn in (("plain", False), ("batchnorm", True)):
        spec = DEEP.with_(activation=activation, batchnorm=use_bn)
        callbacks = [StopAtAccuracy(threshold)] if stop_at_threshold else None
        run = train(spec, seed, max_epochs, split=split, callbacks=callbacks, name=f"{activation}, {label}")
        reached = epochs_to_reach(run.history, threshold)
        numbers[f"{label}_epochs"] = float(reached if reached is not None else max_epochs + 1)
        numbers[f"{label}_reached"] = float(reached is not None)
        numbers[f"{label}_best_val_acc"] = float(max(run.history["val_accuracy"]))
        numbers[f"{label}_seconds"] = run.seconds
        runs[label] = run
    numbers["speedup"] = numbers["plain_epochs"] / numbers["batchnorm_epochs"]
    return Result(numbers, runs)


COMBINATION_SPECS = {
    "baseline": LARGE,
    "L2(0.01)": LARGE.with_(l2=0.01),
    "Dropout(0.5)": DROPOUT,
    "BatchNorm": LARGE.with_(batchnorm=True),
    "chapter": CHAPTER,
}
CHAPTER_SWEEP = (0.01, 0.001, 0.0001)


def chapter_sweep_spec(factor: float) -> MLPSpec:
    """The chapter's model with both Elastic Net factors set to ``factor``."""
    return CHAPTER.with_(l1=factor, l2=factor)


def combination_experiment(seed: int = 0, epochs: int = BENCHMARK_EPOCHS) -> Result:
    """Claim e: single tricks (L2, Dropout, BatchNorm) against the chapter's combined model, and a small sweep
    of the chapter's Elastic Net factor (0.01 in the text) to show it is a starting point to tune."""
    numbers: dict[str, float] = {}
    runs: dict[str, Run] = {}
    for label, spec in COMBINATION_SPECS.items():
        run = train(spec, seed, epochs, name=label)
        runs[label] = run
    for factor in CHAPTER_SWEEP:
        label = f"chapter, L1L2({factor:g})"
        runs[label] = run = train(chapter_sweep_spec(factor), seed, epochs, name=label)
    for label, run in runs.items():
        numbers[f"{label} val_acc"] = run.val_accuracy
        numbers[f"{label} gap"] = run.gap
    singles = [runs[k].val_accuracy for k in ("L2(0.01)", "Dropout(0.5)", "BatchNorm")]
    sweep = {f: runs[f"chapter, L1L2({f:g})"].val_accuracy for f in CHAPTER_SWEEP}
    best_factor = max(sweep, key=sweep.get)
    numbers.update(
        {
            "best_single_val_acc": max(singles),
            "chapter_val_acc": runs["chapter"].val_accuracy,
            "tuned_val_acc": sweep[best_factor],
            "tuned_factor": best_factor,
            "tuned_minus_chapter": sweep[best_factor] - runs["chapter"].val_accuracy,
            "tuned_minus_best_single": sweep[best_factor] - max(singles),
            "chapter_minus_baseline": runs["chapter"].val_accuracy - runs["baseline"].val_accuracy,
        }
    )
    return Result(numbers, runs)


def early_stopping_experiment(seed: int = 0, epochs: int = BENCHMARK_EPOCHS, patience: int = 5) -> Result:
    """Claim f: EarlyStopping(val_loss, restore_best_weights=True) stops the large MLP early and leaves it with
    the weights of its best epoch (re-evaluated validation loss equals the best epoch's)."""
    import keras

    stopper = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)
    run = train(LARGE, seed, epochs, callbacks=[stopper], name="early stopping")
    full = train(LARGE, seed, epochs, name="no early stopping")
    split = benchmark_split(seed)
    val = make_dataset(
        split.x_val, split.y_val, VAL_BATCH_SIZE, shuffle=False, one_hot_labels=split.num_classes
    )
    restored_loss, restored_acc = run.model.evaluate(val, verbose=0)
    best = run.best_epoch
    return Result(
        numbers={
            "epochs_trained": float(run.epochs),
            "best_epoch": float(best),
            "best_val_loss": run.history["val_loss"][best - 1],
            "best_val_acc": run.history["val_accuracy"][best - 1],
            "last_val_loss": run.history["val_loss"][-1],
            "restored_val_loss": float(restored_loss),
            "restored_val_acc": float(restored_acc),
            "restored_minus_best_loss": float(restored_loss) - run.history["val_loss"][best - 1],
            "full_val_acc": full.val_accuracy,
            "full_val_loss": full.last("val_loss"),
        },
        runs={"early stopping": run, "no early stopping": full},
    )


def sweep(specs: dict[str, MLPSpec], seed: int = 0, epochs: int = BENCHMARK_EPOCHS) -> dict[str, Run]:
    """Train several named specs on the benchmark with the same seed (for hyperparameter comparisons)."""
    return {name: train(spec, seed, epochs, name=name) for name, spec in specs.items()}


def over_seeds(experiment: Any, seeds: Sequence[int] = CLAIM_SEEDS, **kwargs: Any) -> list[Result]:
    """Run one claim experiment once per seed."""
    return [experiment(seed=s, **kwargs) for s in seeds]
