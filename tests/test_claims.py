"""Every claim of the chapter, measured over three seeds with the lessons' own experiments.

Each expectation names an experiment of ``helpers.experiments`` (the function a lesson cell calls), the number
it reads from the result, and a bound that every seed must clear. Bounds were set from measurements with
headroom: an effect has to be larger than the seed-to-seed spread to pass, and would fail if it vanished
(e.g. a regularization factor of 0, Dropout(0), no BatchNormalization, ``restore_best_weights=False``).
``tools/claims_table.py`` reads ``EXPECTATIONS`` to write the README's claims table.

One training per (experiment, seed) is cached for the module, so several expectations share it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from helpers import experiments as ex

SEEDS = ex.CLAIM_SEEDS


@dataclass(frozen=True)
class Expectation:
    """One measured number of one claim experiment and the bound every seed must clear."""

    id: str
    claim: str
    experiment: str
    key: str
    measurement: str
    above: float | None = None
    below: float | None = None
    kwargs: dict = field(default_factory=dict, hash=False)

    def run(self, seed: int) -> ex.Result:
        """Run the experiment (not cached) with ``seed``."""
        return getattr(ex, self.experiment)(seed=seed, **self.kwargs)

    def describe_bound(self) -> str:
        """The assertion in words, e.g. ``every seed > 0.1``."""
        parts = []
        if self.above is not None:
            parts.append(f"> {self.above:g}")
        if self.below is not None:
            parts.append(f"< {self.below:g}")
        return "every seed " + " and ".join(parts)

    def failure(self, values: list[float]) -> str | None:
        """``None`` when every value clears the bound, else a message naming the offending values."""
        bad = [
            v
            for v in values
            if (self.above is not None and not v > self.above)
            or (self.below is not None and not v < self.below)
        ]
        if not bad:
            return None
        shown = ", ".join(f"{v:.4g}" for v in values)
        return f"{self.claim}: {self.measurement} should be {self.describe_bound()}, measured [{shown}]"


E = Expectation
EXPECTATIONS: list[Expectation] = [
    # a. overfitting and underfitting
    E("a1", "A too complex model overfits", "overfitting_experiment", "large_gap",
      "2x256 MLP: train acc - val acc (last epoch)", above=0.10),
    E("a2", "A too complex model overfits", "overfitting_experiment", "large_val_loss_rise",
      "2x256 MLP: last val loss - lowest val loss", above=0.03),
    E("a3", "A too complex model overfits", "overfitting_experiment", "large_best_epoch",
      "2x256 MLP: epoch of lowest val loss (of 60)", below=40),
    E("a4", "A too simple model underfits", "overfitting_experiment", "tiny_train_acc",
      "1x2 tanh MLP: training accuracy (last epoch)", below=0.6),
    # b. L1, L2, Elastic Net
    E("b1", "L1 drives many weights to zero", "regularizer_experiment", "l1_near_zero",
      "L1(1e-3): fraction of hidden kernel weights with |w| < 1e-3", above=0.5),
    E("b2", "L1 drives many weights to zero", "regularizer_experiment", "none_near_zero",
      "no penalty: fraction of hidden kernel weights with |w| < 1e-3", below=0.05),
    E("b3", "L2 makes weights small, not zero", "regularizer_experiment", "l2_norm_ratio",
      "L2(1e-3): L2 norm of hidden kernels / unregularized norm", below=0.8),
    E("b4", "L2 makes weights small, not zero", "regularizer_experiment", "l1_minus_l2_near_zero",
      "fraction |w| < 1e-3: L1 minus L2", above=0.4),
    E("b5", "Elastic Net sits between L1 and L2", "regularizer_experiment", "elastic_net_minus_l2_near_zero",
      "fraction |w| < 1e-3: Elastic Net (5e-4 each) minus L2", above=0.2),
    E("b6", "Elastic Net sits between L1 and L2", "regularizer_experiment", "l1_minus_elastic_net_near_zero",
      "fraction |w| < 1e-3: L1 minus Elastic Net", above=0.05),
    # c. Dropout
    E("c1", "Dropout reduces overfitting", "dropout_experiment", "val_acc_gain",
      "2x256 MLP: val acc with Dropout(0.5) - without", above=0.04),
    E("c2", "Dropout reduces overfitting", "dropout_experiment", "gap_reduction",
      "2x256 MLP: train/val gap without - with Dropout(0.5)", above=0.10),
    E("c3", "Dropout drops units only in training", "dropout_experiment", "layer_dropped_fraction",
      "Dropout(0.5) layer, training=True: fraction of outputs zeroed", above=0.49, below=0.51),
    E("c4", "Dropout drops units only in training", "dropout_experiment", "layer_survivor_value",
      "Dropout(0.5) layer, training=True: value of a surviving 1", above=1.999, below=2.001),
    E("c5", "Dropout drops units only in training", "dropout_experiment", "layer_inference_max_change",
      "Dropout(0.5) layer, training=False: largest change of the input", below=1e-7),
    # d. Batch normalization
    E("d1", "BatchNorm normalizes activations", "batchnorm_activation_experiment", "before_mean_abs_avg",
      "6x64 relu net: mean |per-unit mean| entering BN", above=0.1),
    E("d2", "BatchNorm normalizes activations", "batchnorm_activation_experiment", "after_mean_abs_max",
      "largest |per-unit mean| leaving BN (training mode)", below=1e-3),
    E("d3", "BatchNorm normalizes activations", "batchnorm_activation_experiment", "after_std_dev_from_1_max",
      "largest |per-unit std - 1| leaving BN (training mode; units with input std >= 0.2)", below=0.03),
    E("d4", "BatchNorm needs fewer epochs", "batchnorm_convergence_experiment", "epochs_saved",
      "6x64 relu, SGD(0.05): epochs to 90% val acc, without - with BN", above=3),
    E("d5", "BatchNorm needs fewer epochs", "batchnorm_convergence_experiment", "epochs_saved",
      "6x64 sigmoid, SGD(0.05): epochs to 90% val acc, without - with BN (31 = never in 30)",
      above=8, kwargs={"activation": "sigmoid"}),
    E("d6", "BatchNorm is no regularizer on small noisy data", "batchnorm_benchmark_experiment",
      "val_acc_gain", "2x256 MLP: val acc with BN - without", above=-0.05, below=0.05),
    # e. Combining techniques and tuning
    E("e1", "Combining techniques fixes overfitting", "combination_experiment", "combined_minus_baseline",
      "2x256 MLP: val acc with Dropout(0.5) + L2(0.01) - unregularized", above=0.05),
    E("e2", "Combining is as good as the best single trick (not better here)", "combination_experiment",
      "combined_minus_best_single", "val acc of Dropout + L2 - best of Dropout alone, L2 alone", above=-0.03),
    E("e3", "The chapter's combined model beats the overfitting baseline", "combination_experiment",
      "chapter_minus_baseline",
      "val acc of the chapter's model - unregularized 2x256 MLP", above=0.02),
    E("e4", "The chapter's settings are a starting point", "chapter_tuning_experiment",
      "factor_0.001_minus_text", "chapter's model: val acc with L1L2(0.001) - with L1L2(0.01)", above=0.005),
    E("e5", "The chapter's settings are a starting point", "chapter_tuning_experiment", "no_tricks_minus_text",
      "val acc of the 64-unit net without tricks - chapter's model", above=0.01),
    # f. Monitoring and early stopping
    E("f1", "Early stopping restores the best epoch", "early_stopping_experiment", "restored_minus_best_loss",
      "val loss of the restored model - best epoch's val loss", above=-1e-4, below=1e-4),
    E("f2", "Early stopping restores the best epoch", "early_stopping_experiment", "epochs_trained",
      "epochs trained with EarlyStopping(patience=5) (of 60)", below=60),
    E("f3", "Early stopping restores the best epoch", "early_stopping_experiment", "restored_minus_full_acc",
      "val acc of the restored model - model trained all 60 epochs", above=0.04),
]  # fmt: skip


@pytest.fixture(scope="module")
def measure() -> Callable[[Expectation, int], float]:
    """Measure an expectation's number for one seed, training each (experiment, kwargs, seed) only once."""
    results: dict[tuple, ex.Result] = {}

    def get(expectation: Expectation, seed: int) -> float:
        key = (expectation.experiment, tuple(sorted(expectation.kwargs.items())), seed)
        if key not in results:
            results[key] = expectation.run(seed)
        return float(results[key][expectation.key])

    yield get
    ex.clear_cache()


def test_expectation_ids_are_unique_and_bounded():
    ids = [e.id for e in EXPECTATIONS]
    assert len(ids) == len(set(ids))
    assert all(e.above is not None or e.below is not None for e in EXPECTATIONS)
    assert all(callable(getattr(ex, e.experiment, None)) for e in EXPECTATIONS)


@pytest.mark.slow
@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=[f"{e.id}-{e.key}" for e in EXPECTATIONS])
def test_claim(expectation: Expectation, measure: Callable[[Expectation, int], float]) -> None:
    values = [measure(expectation, seed) for seed in SEEDS]
    problem = expectation.failure(values)
    assert problem is None, problem
