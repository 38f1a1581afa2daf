"""One experiment per claim of the chapter, each returning a :class:`~helpers.experiments.training.Result`."""

from __future__ import annotations

import numpy as np

from helpers.datasets import load_moons_split, make_dataset
from helpers.experiments.measures import (
    dropout_behaviour,
    epochs_to_reach,
    hidden_activations,
    hidden_biases,
    hidden_kernels,
    layer_inputs_outputs,
    weight_stats,
)
from helpers.experiments.models import CHAPTER, LARGE, TINY, MLPSpec, build_mlp
from helpers.experiments.training import (
    BENCHMARK_EPOCHS,
    CONVERGENCE_EPOCHS,
    CONVERGENCE_THRESHOLD,
    VAL_BATCH_SIZE,
    Result,
    Run,
    benchmark_split,
    convergence_split,
    stop_at_accuracy,
    train,
)

# Seeds the claims are measured with (tests and the README table).
CLAIM_SEEDS = (0, 1, 2)


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
    numbers["zero_fraction_gain"] = numbers["activity_zero_fraction"] - numbers["none_zero_fraction"]
    numbers["mean_activation_ratio"] = numbers["activity_mean_activation"] / numbers["none_mean_activation"]
    return Result(numbers, runs)


BIAS_FACTOR = 0.01


def bias_regularizer_experiment(
    seed: int = 0, epochs: int = BENCHMARK_EPOCHS, factor: float = BIAS_FACTOR
) -> Result:
    """``bias_regularizer=L2(factor)`` on the hidden layers of the large MLP (kernels unpenalized) against no
    penalty, next to the same factor on the kernels: the penalty does shrink the biases, but with one bias per
    unit (512) against 81,920 kernel weights it barely changes what the network learns. Keys
    ``<none|bias|kernel>_<val_acc|gap|bias_l2_norm|kernel_l2_norm>``, ``bias_norm_ratio``,
    ``kernel_norm_ratio`` (bias-penalized / unpenalized), ``bias_val_acc_change`` and
    ``kernel_val_acc_change`` (val acc minus the unpenalized one's)."""
    specs = {"none": LARGE, "bias": LARGE.with_(bias_l2=factor), "kernel": LARGE.with_(l2=factor)}
    labels = {"none": "no penalty", "bias": f"bias L2({factor:g})", "kernel": f"kernel L2({factor:g})"}
    numbers: dict[str, float] = {}
    runs: dict[str, Run] = {}
    for key, spec in specs.items():
        run = train(spec, seed, epochs, name=labels[key])
        numbers[f"{key}_val_acc"] = run.val_accuracy
        numbers[f"{key}_gap"] = run.gap
        numbers[f"{key}_bias_l2_norm"] = float(np.linalg.norm(hidden_biases(run.model)))
        numbers[f"{key}_kernel_l2_norm"] = float(np.linalg.norm(hidden_kernels(run.model)))
        runs[labels[key]] = run
    numbers["bias_norm_ratio"] = numbers["bias_bias_l2_norm"] / numbers["none_bias_l2_norm"]
    numbers["kernel_norm_ratio"] = numbers["bias_kernel_l2_norm"] / numbers["none_kernel_l2_norm"]
    numbers["bias_val_acc_change"] = numbers["bias_val_acc"] - numbers["none_val_acc"]
    numbers["kernel_val_acc_change"] = numbers["kernel_val_acc"] - numbers["none_val_acc"]
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


def batchnorm_placement_experiment(
    seed: int = 0,
    activation: str = "relu",
    max_epochs: int = CONVERGENCE_EPOCHS,
    threshold: float = CONVERGENCE_THRESHOLD,
) -> Result:
    """BatchNormalization after the activation (``Dense(activation) -> BN``, the chapter's order) against
    before it (``Dense(linear) -> BN -> Activation``, the original paper's): epochs the 6x64 SGD(0.05) network
    of the convergence experiment needs to reach ``threshold`` validation accuracy (``max_epochs + 1`` if
    never). Keys ``<after|before>_epochs``, ``<after|before>_reached`` and ``after_minus_before_epochs``
    (epochs saved by placing BN before the activation; negative when it is slower)."""
    split = convergence_split(seed)
    numbers: dict[str, float] = {}
    runs: dict[str, Run] = {}
    for label, first in (("after", False), ("before", True)):
        spec = DEEP.with_(activation=activation, batchnorm=True, batchnorm_before_activation=first)
        name = f"{activation}, BatchNorm {label} the activation"
        run = train(spec, seed, max_epochs, split=split, callbacks=[stop_at_accuracy(threshold)], name=name)
        reached = epochs_to_reach(run.history, threshold)
        numbers[f"{label}_epochs"] = float(reached if reached is not None else max_epochs + 1)
        numbers[f"{label}_reached"] = float(reached is not None)
        runs[label] = run
    numbers["after_minus_before_epochs"] = numbers["after_epochs"] - numbers["before_epochs"]
    return Result(numbers, runs)


def batchnorm_placement_benchmark_experiment(seed: int = 0, epochs: int = BENCHMARK_EPOCHS) -> Result:
    """The large MLP on the benchmark with BatchNormalization after each hidden layer's relu against before it:
    last-epoch validation accuracy and train/val gap. Keys ``<after|before>_<val_acc|gap>`` and
    ``before_minus_after_val_acc``."""
    after = train(LARGE.with_(batchnorm=True), seed, epochs, name="BatchNorm after relu")
    before = train(LARGE.with_(batchnorm=True, batchnorm_before_activation=True), seed, epochs,
                   name="BatchNorm before relu")  # fmt: skip
    return Result(
        numbers={
            "after_val_acc": after.val_accuracy,
            "before_val_acc": before.val_accuracy,
            "before_minus_after_val_acc": before.val_accuracy - after.val_accuracy,
            "after_gap": after.gap,
            "before_gap": before.gap,
        },
        runs={"BatchNorm after relu": after, "BatchNorm before relu": before},
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
