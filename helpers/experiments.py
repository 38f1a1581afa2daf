"""Training runs shared by the lesson notebooks, the claims tests and the graded benchmark.

Every run is seeded and silent (``verbose=0``) and returns Keras objects or plain numbers, so a lesson cell
and a test call the same code. TensorFlow and Keras are imported inside the functions.

The building block is :class:`MLPSpec` (a hashable description of a multilayer perceptron) and
:func:`train`, which builds, compiles and fits one spec with one seed. Each claim of the chapter has one
function (``overfitting_experiment``, ``regularizer_experiment``, ...) that returns a :class:`Result`:
plain numbers in ``result.numbers`` (also reachable as ``result["name"]``) and the trained runs in
``result.runs`` for the plots.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from helpers.datasets import Split, load_digits_split, load_moons_split, make_dataset

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

    def kernel_penalty(self) -> str:
        """The hidden kernels' penalty in Keras terms: ``none``, ``L1(a)``, ``L2(b)`` or ``L1L2(a, b)``."""
        if self.l1 and self.l2:
            return f"L1L2({self.l1:g}, {self.l2:g})"
        if self.l1:
            return f"L1({self.l1:g})"
        if self.l2:
            return f"L2({self.l2:g})"
        return "none"

    def describe(self) -> str:
        """A short human-readable summary, e.g. ``2x256 relu, L2(0.01), Dropout(0.5)``."""
        if not self.hidden:
            sizes = "no hidden layer"
        elif len(set(self.hidden)) == 1:
            sizes = f"{len(self.hidden)}x{self.hidden[0]}"
        else:
            sizes = "-".join(str(u) for u in self.hidden)
        parts = [f"{sizes} {self.activation}"]
        if self.l1 or self.l2:
            parts.append(self.kernel_penalty())
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
# Two tanh units (tanh: no unit can die) with a larger learning rate, so slowness is no excuse: too simple.
TINY = MLPSpec(hidden=(2,), activation="tanh", learning_rate=0.01)
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


def runs_table(runs: dict[str, Run] | list[Run]) -> Any:
    """A pandas DataFrame with one row per run: last-epoch training and validation accuracy, their gap,
    the epoch of the lowest validation loss and the number of epochs trained."""
    import pandas as pd

    items = runs.items() if isinstance(runs, dict) else ((r.name, r) for r in runs)
    rows = {
        name: {
            "train acc": round(run.train_accuracy, 3),
            "val acc": round(run.val_accuracy, 3),
            "gap": round(run.gap, 3),
            "lowest val loss at epoch": run.best_epoch,
            "epochs": run.epochs,
        }
        for name, run in items
    }
    return pd.DataFrame.from_dict(rows, orient="index")


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


def predict_labels(model: keras.Model, x: np.ndarray) -> np.ndarray:
    """Predicted class of each row of ``x`` (a direct inference-mode call: no ``predict`` retracing warnings
    when many small models are compared)."""
    return np.asarray(model(np.asarray(x, dtype=np.float32), training=False)).argmax(axis=1)


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
    """Claim a: a large MLP (2x256) overfits the noisy benchmark (training accuracy far above validation
    accuracy, validation loss rising after its minimum); a 2-unit network underfits (low training accuracy)."""
    large = train(LARGE, seed, epochs, name="too complex (2x256)")
    tiny = train(TINY, seed, epochs, name="too simple (1x2)")
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
        runs={"too simple": tiny, "too complex": large},
    )


MOONS = {"n_train": 100, "n_val": 500, "noise": 0.3}
MOONS_SPECS = {
    "too simple (no hidden layer)": MLPSpec(hidden=()),
    "too complex (2x256)": LARGE,
    "2x256 with L2(0.01)": LARGE.with_(l2=0.01),
}


def moons_experiment(seed: int = 0, epochs: int = 12, passes_per_epoch: int = 25) -> Result:
    """Decision boundaries on 2-D data: 100 noisy half-moon points, full-batch Adam for ``epochs *
    passes_per_epoch`` steps. A network without hidden layer draws a straight line (underfits), a 2x256
    network bends around noisy points (overfits), the same network with L2(0.01) draws a smooth curve."""
    split = load_moons_split(seed=seed, **MOONS)
    runs = {
        label: train(
            spec, seed, epochs, split=split, repeat=passes_per_epoch, batch_size=MOONS["n_train"], name=label
        )
        for label, spec in MOONS_SPECS.items()
    }
    numbers = {f"{label} train_acc": run.train_accuracy for label, run in runs.items()}
    numbers.update({f"{label} val_acc": run.val_accuracy for label, run in runs.items()})
    return Result(numbers, runs, arrays={"x_train": split.x_train, "y_train": split.y_train})


REGULARIZER_SPECS = {
    "none": LARGE,
    "L1": LARGE.with_(l1=1e-3),
    "L2": LARGE.with_(l2=1e-3),
    "Elastic Net": LARGE.with_(l1=5e-4, l2=5e-4),
}


def regularizer_experiment(seed: int = 0, epochs: int = BENCHMARK_EPOCHS, threshold: float = 1e-3) -> Result:
    """Claim b: train the large MLP with no penalty, L1(1e-3), L2(1e-3) and Elastic Net (5e-4 each) on its
    hidden kernels; measure the fraction of hidden kernel weights below ``threshold`` and the weight norms.
    Keys: ``<none|l1|l2|elastic_net>_<near_zero|mean_abs|l1_norm|l2_norm|val_acc>``."""
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
    numbers["l2_norm_ratio"] = numbers["l2_l2_norm"] / numbers["none_l2_norm"]
    numbers["l1_minus_l2_near_zero"] = numbers["l1_near_zero"] - numbers["l2_near_zero"]
    numbers["l1_minus_elastic_net_near_zero"] = numbers["l1_near_zero"] - numbers["elastic_net_near_zero"]
    numbers["elastic_net_minus_l2_near_zero"] = numbers["elastic_net_near_zero"] - numbers["l2_near_zero"]
    return Result(numbers, runs)


ACTIVITY = LARGE.with_(activity_l1=1e-3)


def hidden_activations(model: keras.Model, x: np.ndarray) -> list[np.ndarray]:
    """Outputs of every hidden Dense layer of a Sequential ``model`` on ``x`` (inference mode)."""
    import keras

    return [out for _, out in layer_inputs_outputs(model, keras.layers.Dense, x, training=False)[:-1]]


def activity_experiment(seed: int = 0, epochs: int = BENCHMARK_EPOCHS) -> Result:
    """An activity regularizer penalizes a layer's *outputs*: the large MLP with ``activity_regularizer=
    L1(1e-3)`` on its hidden layers against none; fraction of hidden relu outputs that are exactly 0 on the
    validation digits, mean hidden activation and validation accuracy."""
    split = benchmark_split(seed)
    numbers: dict[str, float] = {}
    runs: dict[str, Run] = {}
    for label, spec in (("none", LARGE), ("activity L1(1e-3)", ACTIVITY)):
        run = train(spec, seed, epochs, name=label)
        acts = np.concatenate([a.ravel() for a in hidden_activations(run.model, split.x_val)])
        key = "none" if spec is LARGE else "activity"
        numbers[f"{key}_zero_fraction"] = float((acts == 0).mean())
        numbers[f"{key}_mean_activation"] = float(acts.mean())
        numbers[f"{key}_val_acc"] = run.val_accuracy
        runs[label] = run
    return Result(numbers, runs)


DROPOUT = LARGE.with_(dropout=0.5)


def dropout_experiment(seed: int = 0, epochs: int = BENCHMARK_EPOCHS) -> Result:
    """Claim c: Dropout(0.5) after each hidden layer of the large MLP narrows the train/validation gap and
    raises validation accuracy; the layer itself drops units (scaling survivors) only in training."""
    base = train(LARGE, seed, epochs, name="no dropout")
    drop = train(DROPOUT, seed, epochs, name="Dropout(0.5)")
    numbers = {
        "base_val_acc": base.val_accuracy,
        "base_gap": base.gap,
        "dropout_val_acc": drop.val_accuracy,
        "dropout_gap": drop.gap,
        "val_acc_gain": drop.val_accuracy - base.val_accuracy,
        "gap_reduction": base.gap - drop.gap,
    }
    numbers.update({f"layer_{k}": v for k, v in dropout_behaviour(0.5, seed=seed).items()})
    return Result(numbers, {"no dropout": base, "Dropout(0.5)": drop})


DEEP = MLPSpec(hidden=(64,) * 6, optimizer="sgd", learning_rate=0.05)


def batchnorm_activation_experiment(seed: int = 0, n: int = 512) -> Result:
    """Claim d (what BN does): in a freshly initialized 6-layer relu network with BatchNormalization, pass
    ``n`` training digits layer by layer in training mode. The inputs of each BN layer have per-unit means
    and spreads all over the place; its outputs have per-unit mean 0 and standard deviation ~1 (gamma=1,
    beta=0 at initialization; units whose input std is below 0.2 are shrunk by epsilon and left out)."""
    import keras

    split = convergence_split(seed)
    keras.utils.set_random_seed(seed)
    model = build_mlp(DEEP.with_(batchnorm=True), split.input_dim, split.num_classes, compile=False)
    pairs = layer_inputs_outputs(model, keras.layers.BatchNormalization, split.x_train[:n], training=True)
    before_means = np.array([p[0].mean(axis=0) for p in pairs])
    before_stds = np.array([p[0].std(axis=0) for p in pairs])
    after_means = np.array([p[1].mean(axis=0) for p in pairs])
    after_stds = np.array([p[1].std(axis=0) for p in pairs])
    # epsilon=1e-3 shrinks a unit with input std s to s/sqrt(s^2+1e-3): by less than 1.3% once s >= 0.2.
    varied = before_stds >= 0.2
    return Result(
        numbers={
            "before_mean_abs_avg": float(np.abs(before_means).mean()),
            "before_mean_abs_max": float(np.abs(before_means).max()),
            "before_std_min": float(before_stds.min()),
            "before_std_max": float(before_stds.max()),
            "after_mean_abs_max": float(np.abs(after_means).max()),
            "after_std_avg": float(after_stds.mean()),
            "after_std_dev_from_1_max": float(np.abs(after_stds[varied] - 1.0).max()),
            "varied_fraction": float(varied.mean()),
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
    """Claim d (what BN buys): epochs a 6x64 MLP trained with SGD(0.05) on 1,000 clean digits needs to reach
    ``threshold`` validation accuracy, with and without BatchNormalization after each hidden layer. A run that
    never gets there counts as ``max_epochs + 1`` in ``<plain|batchnorm>_epochs``. By default a run stops
    as soon as it reaches the threshold (the question is *when*, not how far it goes after)."""
    split = convergence_split(seed)
    numbers: dict[str, float] = {}
    runs: dict[str, Run] = {}
    for label, use_bn in (("plain", False), ("batchnorm", True)):
        spec = DEEP.with_(activation=activation, batchnorm=use_bn)
        callbacks = [stop_at_accuracy(threshold)] if stop_at_threshold else None
        name = f"{activation}, {'BatchNorm' if use_bn else 'no BatchNorm'}"
        run = train(spec, seed, max_epochs, split=split, callbacks=callbacks, name=name)
        reached = epochs_to_reach(run.history, threshold)
        numbers[f"{label}_epochs"] = float(reached if reached is not None else max_epochs + 1)
        numbers[f"{label}_reached"] = float(reached is not None)
        numbers[f"{label}_best_val_acc"] = float(max(run.history["val_accuracy"]))
        numbers[f"{label}_seconds"] = run.seconds
        runs[label] = run
    numbers["epochs_saved"] = numbers["plain_epochs"] - numbers["batchnorm_epochs"]
    numbers["speedup"] = numbers["plain_epochs"] / numbers["batchnorm_epochs"]
    return Result(numbers, runs)


def batchnorm_benchmark_experiment(seed: int = 0, epochs: int = BENCHMARK_EPOCHS) -> Result:
    """Claim d (what BN does not buy): on the small noisy benchmark, BatchNormalization after each hidden
    layer of the large MLP leaves the final validation accuracy about where it was (it is no regularizer)."""
    base = train(LARGE, seed, epochs, name="no BatchNorm")
    bn = train(LARGE.with_(batchnorm=True), seed, epochs, name="BatchNorm")
    return Result(
        numbers={
            "base_val_acc": base.val_accuracy,
            "batchnorm_val_acc": bn.val_accuracy,
            "val_acc_gain": bn.val_accuracy - base.val_accuracy,
            "base_gap": base.gap,
            "batchnorm_gap": bn.gap,
        },
        runs={"no BatchNorm": base, "BatchNorm": bn},
    )


COMBINATION_SPECS = {
    "baseline": LARGE,
    "L2(0.01)": LARGE.with_(l2=0.01),
    "Dropout(0.5)": DROPOUT,
    "Dropout(0.5) + L2(0.01)": LARGE.with_(dropout=0.5, l2=0.01),
    "chapter's model": CHAPTER,
}
SINGLE_TRICKS = ("L2(0.01)", "Dropout(0.5)")


def combination_experiment(seed: int = 0, epochs: int = BENCHMARK_EPOCHS) -> Result:
    """Claim e (combining): on the large MLP, L2(0.01) alone, Dropout(0.5) alone and both together, against
    the unregularized baseline; plus the chapter's model (64 units, L1L2(0.01, 0.01), BatchNorm,
    Dropout(0.5)). Keys ``<label> val_acc`` / ``<label> gap`` and a few differences."""
    runs = {label: train(spec, seed, epochs, name=label) for label, spec in COMBINATION_SPECS.items()}
    numbers: dict[str, float] = {}
    for label, run in runs.items():
        numbers[f"{label} val_acc"] = run.val_accuracy
        numbers[f"{label} gap"] = run.gap
    best_single = max(runs[k].val_accuracy for k in SINGLE_TRICKS)
    combined = runs["Dropout(0.5) + L2(0.01)"].val_accuracy
    baseline = runs["baseline"].val_accuracy
    numbers.update(
        {
            "best_single_val_acc": best_single,
            "combined_val_acc": combined,
            "combined_minus_best_single": combined - best_single,
            "combined_minus_baseline": combined - baseline,
            "chapter_minus_baseline": runs["chapter's model"].val_accuracy - baseline,
        }
    )
    return Result(numbers, runs)


CHAPTER_FACTORS = (0.01, 0.001, 0.0001)
PLAIN_64 = MLPSpec(hidden=(64,))


def chapter_spec(factor: float = 0.01) -> MLPSpec:
    """The chapter's model with both Elastic Net factors set to ``factor`` (0.01 in the text)."""
    return CHAPTER.with_(l1=factor, l2=factor)


def chapter_tuning_experiment(seed: int = 0, epochs: int = BENCHMARK_EPOCHS) -> Result:
    """Claim e (tuning): the chapter's model with its Elastic Net factor swept over 0.01 (the text), 0.001 and
    0.0001, next to the same 64-unit network without any of the tricks."""
    runs = {
        f"L1L2({f:g})": train(chapter_spec(f), seed, epochs, name=f"L1L2({f:g})") for f in CHAPTER_FACTORS
    }
    runs["no tricks"] = train(PLAIN_64, seed, epochs, name="64 units, no tricks")
    numbers = {f"{label} val_acc": run.val_accuracy for label, run in runs.items()}
    numbers.update({f"{label} gap": run.gap for label, run in runs.items()})
    text = runs["L1L2(0.01)"].val_accuracy
    sweep_acc = {f: runs[f"L1L2({f:g})"].val_accuracy for f in CHAPTER_FACTORS}
    best = max(sweep_acc, key=sweep_acc.__getitem__)
    numbers.update(
        {
            "text_val_acc": text,
            "best_factor": best,
            "best_val_acc": sweep_acc[best],
            "factor_0.001_minus_text": sweep_acc[0.001] - text,
            "no_tricks_minus_text": runs["no tricks"].val_accuracy - text,
        }
    )
    return Result(numbers, runs)


def early_stopping_experiment(seed: int = 0, epochs: int = BENCHMARK_EPOCHS, patience: int = 5) -> Result:
    """Claim f: EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True) stops the large MLP
    early and leaves it with the weights of its best epoch (its re-evaluated validation loss equals the best
    epoch's); compared with the same network trained for all epochs."""
    import keras

    stopper = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)
    run = train(LARGE, seed, epochs, callbacks=[stopper], name="early stopping")
    full = train(LARGE, seed, epochs, name="all epochs")
    split = benchmark_split(seed)
    val = make_dataset(
        split.x_val, split.y_val, VAL_BATCH_SIZE, shuffle=False, one_hot_labels=split.num_classes
    )
    restored_loss, restored_acc = run.model.evaluate(val, verbose=0)
    best = run.best_epoch
    best_loss = run.history["val_loss"][best - 1]
    return Result(
        numbers={
            "epochs_trained": float(run.epochs),
            "best_epoch": float(best),
            "best_val_loss": best_loss,
            "best_val_acc": run.history["val_accuracy"][best - 1],
            "last_val_loss": run.history["val_loss"][-1],
            "restored_val_loss": float(restored_loss),
            "restored_val_acc": float(restored_acc),
            "restored_minus_best_loss": float(restored_loss) - best_loss,
            "restored_minus_last_loss": float(restored_loss) - run.history["val_loss"][-1],
            "full_val_acc": full.val_accuracy,
            "full_val_loss": full.last("val_loss"),
            "restored_minus_full_acc": float(restored_acc) - full.val_accuracy,
        },
        runs={"early stopping": run, "all epochs": full},
    )


def sweep(specs: dict[str, MLPSpec], seed: int = 0, epochs: int = BENCHMARK_EPOCHS) -> dict[str, Run]:
    """Train several named specs on the benchmark with the same seed (for hyperparameter comparisons)."""
    return {name: train(spec, seed, epochs, name=name) for name, spec in specs.items()}


def over_seeds(experiment: Any, seeds: Sequence[int] = CLAIM_SEEDS, **kwargs: Any) -> list[Result]:
    """Run one claim experiment once per seed."""
    return [experiment(seed=s, **kwargs) for s in seeds]
