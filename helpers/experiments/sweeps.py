"""Hyperparameter sweeps for curves: training and validation accuracy of the chapter's model against its
Elastic Net factor and against its dropout rate, one change at a time, one seed per call."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from helpers.experiments.chapter import chapter_spec
from helpers.experiments.measures import predict_labels
from helpers.experiments.models import CHAPTER, MLPSpec
from helpers.experiments.training import BENCHMARK_EPOCHS, Result, Run, benchmark_split, train

SWEEP_FACTORS = (1e-4, 1e-3, 1e-2, 1e-1)
SWEEP_RATES = (0.0, 0.25, 0.5, 0.75)


def sweep_experiment(specs: Mapping[float, MLPSpec], seed: int = 0, epochs: int = BENCHMARK_EPOCHS,
                     label: str = "value") -> Result:  # fmt: skip
    """Train one spec per hyperparameter value on the benchmark and read, after the last epoch, the accuracy on
    the training digits *with their noisy labels* (inference mode: no dropout, BatchNorm's moving statistics;
    a high score means wrong labels were memorized) and on the validation digits. Keys ``train_acc@<v>``,
    ``val_acc@<v>``, ``gap@<v>``, ``best_value`` (highest validation accuracy); arrays ``values``,
    ``train_acc``, ``val_acc`` (one entry per value, in order)."""
    if not specs:
        raise ValueError("nothing to sweep: no values given")
    split = benchmark_split(seed)
    numbers: dict[str, float] = {}
    runs: dict[str, Run] = {}
    train_acc, val_acc = [], []
    for value, spec in specs.items():
        name = f"{label} {value:g}"
        run = train(spec, seed, epochs, name=name)
        fitted = float((predict_labels(run.model, split.x_train) == split.y_train).mean())
        train_acc.append(fitted)
        val_acc.append(run.val_accuracy)
        numbers[f"train_acc@{value:g}"] = fitted
        numbers[f"val_acc@{value:g}"] = run.val_accuracy
        numbers[f"gap@{value:g}"] = fitted - run.val_accuracy
        runs[name] = run
    values = [float(v) for v in specs]
    numbers["best_value"] = values[int(np.argmax(val_acc))]
    arrays = {"values": np.array(values), "train_acc": np.array(train_acc), "val_acc": np.array(val_acc)}
    return Result(numbers, runs, arrays)


def penalty_sweep_experiment(seed: int = 0, factors: Sequence[float] = SWEEP_FACTORS,
                             epochs: int = BENCHMARK_EPOCHS) -> Result:  # fmt: skip
    """The chapter's model (64 units, BatchNorm, Dropout(0.5)) with its Elastic Net factor ``L1L2(f, f)`` swept
    over ``factors`` (see :func:`sweep_experiment` for the keys; also ``val_acc_best_minus_smallest``,
    ``val_acc_best_minus_largest`` and ``train_acc_smallest_minus_largest``)."""
    result = sweep_experiment({float(f): chapter_spec(f) for f in factors}, seed, epochs, label="L1L2 factor")
    _add_end_differences(result)
    return result


def dropout_sweep_experiment(seed: int = 0, rates: Sequence[float] = SWEEP_RATES, factor: float = 0.01,
                             epochs: int = BENCHMARK_EPOCHS) -> Result:  # fmt: skip
    """The chapter's model with its Dropout rate swept over ``rates`` (its Elastic Net factor fixed at
    ``factor``; rate 0 means no Dropout layer). Keys as :func:`penalty_sweep_experiment`."""
    specs = {float(r): CHAPTER.with_(l1=factor, l2=factor, dropout=float(r)) for r in rates}
    result = sweep_experiment(specs, seed, epochs, label="Dropout rate")
    _add_end_differences(result)
    return result


def _add_end_differences(result: Result) -> None:
    """How far the smallest and the largest setting fall below the best one (validation), and how far training
    accuracy falls from the smallest setting to the largest."""
    val, fitted = result.arrays["val_acc"], result.arrays["train_acc"]
    result.numbers["val_acc_best_minus_smallest"] = float(val.max() - val[0])
    result.numbers["val_acc_best_minus_largest"] = float(val.max() - val[-1])
    result.numbers["train_acc_smallest_minus_largest"] = float(fitted[0] - fitted[-1])


def stack_sweeps(results: Iterable[Result]) -> dict[str, np.ndarray]:
    """Sweeps of several seeds as arrays for a plot: ``values`` (shared), ``train_acc`` and ``val_acc`` of
    shape (seeds, values). ``ValueError`` if the sweeps did not use the same values."""
    results = list(results)
    if not results:
        raise ValueError("no sweep results given")
    values = results[0].arrays["values"]
    if any(not np.array_equal(r.arrays["values"], values) for r in results):
        raise ValueError("the sweeps were run over different values")
    return {
        "values": np.asarray(values),
        "train_acc": np.array([r.arrays["train_acc"] for r in results]),
        "val_acc": np.array([r.arrays["val_acc"] for r in results]),
    }
