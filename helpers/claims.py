"""Every claim of the chapter: what is measured, the bound it must clear, and the published measurement.

Each expectation names an experiment of ``helpers.experiments`` (the function a lesson cell calls), the number
it reads from the result, and a bound that every seed must clear. Bounds were set from measurements with
headroom: an effect has to be larger than the seed-to-seed spread to pass, and would fail if it vanished
(e.g. a regularization factor of 0, Dropout(0), no BatchNormalization, ``restore_best_weights=False``).

One :class:`Measurer` trains each (experiment, arguments, seed) once and reads every expectation's number from
it. ``tests/test_claims.py`` asserts the bounds and writes ``build/claims.json`` (the latest measurement);
``tools/claims_table.py`` writes ``docs/claims.json`` (the published measurement, :data:`PUBLISHED`) and the
README's claims table rendered from it. Both files have one format::

    {"seeds": [0, 1, 2],
     "claims": {"a1": {"claim": "...", "measurement": "...", "values": [v0, v1, v2], "mean": m, "sd": s,
                       "bound": "every seed > 0.1", "holds": true}, ...}}

Importing this module is light: ``helpers.experiments`` (and TensorFlow) are imported only to measure.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from helpers.experiments import Result

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "docs" / "claims.json"  # the measurement the README's table shows (committed)
LATEST = ROOT / "build" / "claims.json"  # the latest measurement of `make claims` (not committed)
START = "<!-- claims-table:start -->"
END = "<!-- claims-table:end -->"
FIELDS = ("claim", "measurement", "values", "mean", "sd", "bound", "holds")


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

    def run(self, seed: int) -> Result:
        """Run the experiment (not cached) with ``seed``."""
        from helpers import experiments as ex

        return getattr(ex, self.experiment)(seed=seed, **self.kwargs)

    def run_key(self, seed: int) -> tuple:
        """What identifies one training: experiment, arguments and seed (expectations sharing it share the run)."""
        return (self.experiment, tuple(sorted(self.kwargs.items())), seed)

    def describe_bound(self) -> str:
        """The assertion in words, e.g. ``every seed > 0.1``."""
        parts = []
        if self.above is not None:
            parts.append(f"> {self.above:g}")
        if self.below is not None:
            parts.append(f"< {self.below:g}")
        return "every seed " + " and ".join(parts)

    def failure(self, values: Sequence[float]) -> str | None:
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
    E("a5", "A too complex model overfits", "overfitting_experiment", "large_train_acc",
      "2x256 MLP: training accuracy (last epoch)", above=0.95),
    E("a6", "A too complex model overfits", "overfitting_experiment", "large_val_acc",
      "2x256 MLP: validation accuracy (last epoch)", below=0.85),
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
    E("b7", "An activity penalty silences hidden units", "activity_experiment", "zero_fraction_gain",
      "2x256 MLP, activity L1(1e-3): share of hidden relu outputs exactly 0 (val digits) minus without",
      above=0.08),
    E("b8", "An activity penalty silences hidden units", "activity_experiment", "activity_zero_fraction",
      "2x256 MLP, activity L1(1e-3): share of hidden relu outputs exactly 0 per val digit", above=0.38),
    E("b9", "An activity penalty silences hidden units", "activity_experiment", "mean_activation_ratio",
      "2x256 MLP: mean hidden activation with activity L1(1e-3) / without", below=0.7),
    E("b10", "A bias penalty shrinks the biases, and little else", "bias_regularizer_experiment",
      "bias_norm_ratio", "2x256 MLP, bias L2(0.01): L2 norm of hidden biases / unpenalized", below=0.7),
    E("b11", "A bias penalty shrinks the biases, and little else", "bias_regularizer_experiment",
      "bias_val_acc_change", "2x256 MLP: val acc with bias L2(0.01) - without", above=-0.02, below=0.02),
    E("b12", "A bias penalty shrinks the biases, and little else", "bias_regularizer_experiment",
      "kernel_norm_ratio", "2x256 MLP, bias L2(0.01): L2 norm of hidden kernels / unpenalized",
      above=0.98, below=1.02),
    E("b13", "A bias penalty shrinks the biases, and little else", "bias_regularizer_experiment",
      "kernel_val_acc_change", "2x256 MLP: val acc with kernel L2(0.01) - without (the same factor)",
      above=0.04),
    E("b14", "Exact zeros take a proximal step", "proximal_l1_experiment", "proximal_exact_zero",
      "L1(1e-3) softmax regression, proximal steps (ISTA): fraction of weights exactly 0.0", above=0.4),
    E("b15", "Exact zeros take a proximal step", "proximal_l1_experiment", "gradient_exact_zero",
      "L1(1e-3) softmax regression, (sub)gradient steps: fraction of weights exactly 0.0", below=1e-3),
    E("b16", "Exact zeros take a proximal step", "proximal_l1_experiment", "gradient_near_zero",
      "L1(1e-3) softmax regression, (sub)gradient steps: fraction of weights with |w| < 1e-3", above=0.4),
    E("b17", "Exact zeros take a proximal step", "proximal_l1_experiment", "proximal_minus_gradient_val_acc",
      "L1(1e-3) softmax regression: val acc, proximal - gradient steps", above=-0.01, below=0.01),
    E("b18", "Exact zeros take a proximal step", "regularizer_experiment", "l1_exact_zero",
      "2x256 MLP, L1(1e-3), Adam: fraction of hidden kernel weights exactly 0.0", below=1e-3),
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
    E("d7", "BatchNorm needs fewer epochs", "batchnorm_convergence_experiment", "plain_epochs",
      "6x64 relu, SGD(0.05): epochs to 90% val acc without BN", above=10),
    E("d8", "BatchNorm needs fewer epochs", "batchnorm_convergence_experiment", "batchnorm_epochs",
      "6x64 relu, SGD(0.05): epochs to 90% val acc with BN", below=10),
    E("d9", "BatchNorm needs fewer epochs", "batchnorm_convergence_experiment", "plain_epochs",
      "6x64 sigmoid, SGD(0.05): epochs to 90% val acc without BN (31 = never in 30)", above=30,
      kwargs={"activation": "sigmoid"}),
    E("d10", "BatchNorm needs fewer epochs", "batchnorm_convergence_experiment", "batchnorm_epochs",
      "6x64 sigmoid, SGD(0.05): epochs to 90% val acc with BN", below=20, kwargs={"activation": "sigmoid"}),
    E("d11", "BatchNorm before or after the activation: no large difference", "batchnorm_placement_experiment",
      "before_epochs", "6x64 relu, SGD(0.05): epochs to 90% val acc, BN before relu", below=10),
    E("d12", "BatchNorm before or after the activation: no large difference", "batchnorm_placement_experiment",
      "after_minus_before_epochs", "6x64 relu: epochs to 90% val acc, BN after relu - BN before relu",
      above=-2, below=5),
    E("d13", "BatchNorm before or after the activation: no large difference", "batchnorm_placement_experiment",
      "before_epochs", "6x64 sigmoid, SGD(0.05): epochs to 90% val acc, BN before sigmoid", below=20,
      kwargs={"activation": "sigmoid"}),
    E("d14", "BatchNorm before or after the activation: no large difference", "batchnorm_placement_experiment",
      "after_minus_before_epochs", "6x64 sigmoid: epochs to 90% val acc, BN after - BN before the activation",
      above=-2, below=5, kwargs={"activation": "sigmoid"}),
    E("d15", "BatchNorm before or after the activation: no large difference",
      "batchnorm_placement_benchmark_experiment", "before_minus_after_val_acc",
      "2x256 MLP on the benchmark: val acc, BN before relu - BN after relu", above=-0.04, below=0.04),
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
    E("e6", "Combining techniques fixes overfitting", "combination_experiment", "baseline val_acc",
      "unregularized 2x256 MLP: val acc (last epoch)", below=0.85),
    E("e7", "Combining techniques fixes overfitting", "combination_experiment", "L2(0.01) val_acc",
      "2x256 MLP with L2(0.01) kernels: val acc", above=0.85),
    E("e8", "Combining techniques fixes overfitting", "combination_experiment", "Dropout(0.5) val_acc",
      "2x256 MLP with Dropout(0.5): val acc", above=0.85),
    E("e9", "Combining techniques fixes overfitting", "combination_experiment", "Dropout(0.5) + L2(0.01) val_acc",
      "2x256 MLP with Dropout(0.5) + L2(0.01): val acc", above=0.85),
    E("e10", "The chapter's combined model beats the overfitting baseline", "combination_experiment",
      "chapter's model val_acc", "the chapter's model: val acc", above=0.82),
    E("e11", "The exercise's thresholds (val acc >= 0.80, gap <= 0.05)", "combination_experiment",
      "baseline gap", "unregularized 2x256 MLP: train acc - val acc (misses the gap threshold)", above=0.05),
    E("e12", "The exercise's thresholds (val acc >= 0.80, gap <= 0.05)", "combination_experiment",
      "chapter's model gap", "the chapter's model: train acc - val acc", below=0.05),
    E("e13", "The exercise's thresholds (val acc >= 0.80, gap <= 0.05)", "combination_experiment",
      "L2(0.01) gap", "2x256 MLP with L2(0.01) kernels: train acc - val acc", below=0.05),
    E("e14", "The exercise's thresholds (val acc >= 0.80, gap <= 0.05)", "combination_experiment",
      "Dropout(0.5) gap", "2x256 MLP with Dropout(0.5): train acc - val acc", below=0.05),
    E("e15", "Tuning curves: too strong a penalty underfits", "penalty_sweep_experiment",
      "val_acc_best_minus_largest", "chapter's model, L1L2 factor 1e-4..0.1: best val acc - val acc at 0.1",
      above=0.03),
    E("e16", "Tuning curves: too strong a penalty underfits", "penalty_sweep_experiment",
      "train_acc_smallest_minus_largest",
      "chapter's model: accuracy on the (noisy) training digits, L1L2 factor 1e-4 - factor 0.1", above=0.05),
    E("e17", "Tuning curves: the chapter's model needs its Dropout", "dropout_sweep_experiment",
      "val_acc_best_minus_smallest", "chapter's model, Dropout rate 0..0.75: best val acc - val acc at rate 0",
      above=0.05),
    E("e18", "Tuning curves: the chapter's model needs its Dropout", "dropout_sweep_experiment", "gap@0",
      "chapter's model without Dropout: accuracy on the (noisy) training digits - val acc", above=0.08),
    E("e19", "Tuning curves: the chapter's model needs its Dropout", "dropout_sweep_experiment",
      "train_acc_smallest_minus_largest",
      "chapter's model: accuracy on the (noisy) training digits, rate 0 - rate 0.75", above=0.08),
    # f. Monitoring and early stopping
    E("f1", "Early stopping restores the best epoch", "early_stopping_experiment", "restored_minus_best_loss",
      "val loss of the restored model - best epoch's val loss", above=-1e-4, below=1e-4),
    E("f2", "Early stopping restores the best epoch", "early_stopping_experiment", "epochs_trained",
      "epochs trained with EarlyStopping(patience=5) (of 60)", below=60),
    E("f3", "Early stopping restores the best epoch", "early_stopping_experiment", "restored_minus_full_acc",
      "val acc of the restored model - model trained all 60 epochs", above=0.04),
    E("f4", "Early stopping restores the best epoch", "early_stopping_experiment", "restored_val_acc",
      "2x256 MLP: val acc of the model restored by EarlyStopping(patience=5)", above=0.85),
]  # fmt: skip
BY_ID: dict[str, Expectation] = {e.id: e for e in EXPECTATIONS}


def claim_seeds() -> tuple[int, ...]:
    """The seeds the claims are measured with (``helpers.experiments.CLAIM_SEEDS``)."""
    from helpers import experiments as ex

    return tuple(ex.CLAIM_SEEDS)


class Measurer:
    """Measures expectations over seeds, training each (experiment, arguments, seed) only once."""

    def __init__(self, seeds: Iterable[int] | None = None, log: Callable[[str], None] | None = None) -> None:
        """Measure over ``seeds`` (default: :func:`claim_seeds`); ``log`` receives one line per training."""
        self.seeds = tuple(seeds) if seeds is not None else claim_seeds()
        self.log = log
        self.values: dict[str, list[float]] = {}  # every expectation measured so far, by id
        self._results: dict[tuple, Result] = {}

    def value(self, expectation: Expectation, seed: int) -> float:
        """The expectation's number for one seed (trains only if no expectation ran this training yet)."""
        key = expectation.run_key(seed)
        if key not in self._results:
            start = time.perf_counter()
            self._results[key] = expectation.run(seed)
            if self.log is not None:
                self.log(f"  {expectation.experiment}{expectation.kwargs or ''} seed {seed}: "
                         f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        return float(self._results[key][expectation.key])

    def measure(self, expectation: Expectation) -> list[float]:
        """The expectation's numbers over every seed, also kept in :attr:`values`."""
        row = [self.value(expectation, seed) for seed in self.seeds]
        self.values[expectation.id] = row
        return row

    def measure_all(self, expectations: Iterable[Expectation] = EXPECTATIONS) -> dict[str, list[float]]:
        """Numbers of every expectation over every seed, by id."""
        return {e.id: self.measure(e) for e in expectations}

    def data(self) -> dict[str, Any]:
        """What was measured so far, in the claims-data format (EXPECTATIONS order)."""
        return to_data(self.values, self.seeds)

    def close(self) -> None:
        """Forget the trained results and the experiments' cache (frees their models)."""
        self._results.clear()
        from helpers import experiments as ex

        ex.clear_cache()


# ------------------------------------------------------------------------------------------------------
# The claims data file
# ------------------------------------------------------------------------------------------------------


def summarize(expectation: Expectation, values: Sequence[float]) -> dict[str, Any]:
    """One claim's entry: its texts, the values per seed, their mean and s.d., the bound and whether it held."""
    row = [float(v) for v in values]
    return {
        "claim": expectation.claim,
        "measurement": expectation.measurement,
        "values": row,
        "mean": statistics.fmean(row),
        "sd": statistics.stdev(row) if len(row) > 1 else 0.0,
        "bound": expectation.describe_bound(),
        "holds": expectation.failure(row) is None,
    }


def to_data(values: dict[str, list[float]], seeds: Iterable[int]) -> dict[str, Any]:
    """The claims-data document for ``values`` (by id), entries in EXPECTATIONS order."""
    claims = {e.id: summarize(e, values[e.id]) for e in EXPECTATIONS if e.id in values}
    return {"seeds": [int(s) for s in seeds], "claims": claims}


def dump(data: dict[str, Any], path: Path) -> Path:
    """Write ``data`` as indented JSON to ``path`` (parents created); returns ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load(path: Path | str = PUBLISHED) -> dict[str, Any]:
    """Read a claims-data file; ``ValueError`` naming the file if it lacks ``seeds``, ``claims`` or a field."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not {"seeds", "claims"} <= data.keys():
        raise ValueError(f"{path}: expected an object with 'seeds' and 'claims'")
    for cid, entry in data["claims"].items():
        missing = [f for f in FIELDS if f not in entry]
        if missing:
            raise ValueError(f"{path}: claim {cid} lacks {', '.join(missing)}")
    return data


def failed(data: dict[str, Any]) -> list[str]:
    """Ids of the claims that did not hold in ``data``."""
    return [cid for cid, entry in data["claims"].items() if not entry["holds"]]


# ------------------------------------------------------------------------------------------------------
# The README's claims table
# ------------------------------------------------------------------------------------------------------


def fmt(value: float, like: float | None = None) -> str:
    """A compact, readable number: integers as such, tiny values in scientific notation; ``like`` formats a
    spread with the precision of the mean it goes with."""
    if value == int(value) and abs(value) < 1e6:
        return str(int(value))
    if abs(value) < 1e-3:
        return f"{value:.1e}"
    if abs(value if like is None else like) >= 10:
        return f"{value:.1f}"
    return f"{value:.3f}"


def cell(text: str) -> str:
    """Text safe inside a markdown table cell (pipes escaped)."""
    return text.replace("|", "\\|")


def render(data: dict[str, Any]) -> str:
    """The README's markdown claims table for a claims-data document."""
    lines = [
        f"Measured over seeds {', '.join(map(str, data['seeds']))} (each seed draws its own split, label noise "
        "and initial weights); ± is the standard deviation over seeds. Benchmark: 300 training digits with 20% "
        "flipped labels, ~1,500 clean validation digits, 60 epochs, Adam.",
        "",
        "| | Claim | Measurement | Mean ± s.d. | Per seed | Test asserts | Holds |",
        "|---|---|---|---|---|---|---|",
    ]
    for cid, c in data["claims"].items():
        per_seed = ", ".join(fmt(v) for v in c["values"])
        lines.append(
            f"| {cid} | {cell(c['claim'])} | {cell(c['measurement'])} | {fmt(c['mean'])} ± "
            f"{fmt(c['sd'], like=c['mean'])} | {per_seed} | {c['bound']} | {'yes' if c['holds'] else '**no**'} |"
        )
    return "\n".join(lines)


def readme_table(text: str) -> str | None:
    """The table between the claims-table markers of ``text``, or ``None`` if the markers are missing."""
    if START not in text or END not in text or text.index(START) > text.index(END):
        return None
    return text.split(START, 1)[1].split(END, 1)[0].strip("\n")


def replace_table(text: str, table: str) -> str | None:
    """``text`` with the block between the claims-table markers replaced, or ``None`` if they are missing."""
    if readme_table(text) is None:
        return None
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table}\n{END}{tail}"
