"""Training runs shared by the lesson notebooks, the claims tests and the graded benchmark.

Every run is seeded and silent (``verbose=0``) and returns Keras objects or plain numbers, so a lesson cell
and a test call the same code. TensorFlow and Keras are imported inside the functions.

The building block is :class:`MLPSpec` (a hashable description of a multilayer perceptron) and
:func:`train`, which builds, compiles and fits one spec with one seed. Each claim of the chapter has one
function (``overfitting_experiment``, ``regularizer_experiment``, ...) that returns a :class:`Result`:
plain numbers in ``result.numbers`` (also reachable as ``result["name"]``) and the trained runs in
``result.runs`` for the plots.

One module per job, every public name importable from here: ``models`` (specs and the builder),
``training`` (splits, ``fit``, ``train``, runs and results), ``measures`` (numbers read off models and
layers), ``chapter`` (one experiment per claim), ``proximal`` (L1 by gradient versus proximal steps, in NumPy),
``sweeps`` (hyperparameter sweeps for curves) and ``names`` (run names as tables and figures show them).
"""

from helpers.experiments.chapter import (
    ACTIVITY,
    BIAS_FACTOR,
    CHAPTER_FACTORS,
    CLAIM_SEEDS,
    COMBINATION_SPECS,
    DEEP,
    DROPOUT,
    MOONS,
    MOONS_SPECS,
    PLAIN_64,
    REGULARIZER_SPECS,
    SINGLE_TRICKS,
    activity_experiment,
    batchnorm_activation_experiment,
    batchnorm_benchmark_experiment,
    batchnorm_convergence_experiment,
    batchnorm_placement_benchmark_experiment,
    batchnorm_placement_experiment,
    bias_regularizer_experiment,
    chapter_spec,
    chapter_tuning_experiment,
    combination_experiment,
    dropout_experiment,
    early_stopping_experiment,
    moons_experiment,
    overfitting_experiment,
    regularizer_experiment,
)
from helpers.experiments.measures import (
    dense_kernels,
    dropout_behaviour,
    epochs_to_reach,
    hidden_activations,
    hidden_biases,
    hidden_kernels,
    layer_inputs_outputs,
    predict_labels,
    weight_stats,
)
from helpers.experiments.models import (
    CHAPTER,
    LARGE,
    TINY,
    MLPSpec,
    build_mlp,
    make_optimizer,
    make_regularizer,
)
from helpers.experiments.proximal import (
    PROXIMAL,
    l1_softmax_regression,
    proximal_l1_experiment,
    soft_threshold,
)
from helpers.experiments.sweeps import (
    SWEEP_FACTORS,
    SWEEP_RATES,
    dropout_sweep_experiment,
    penalty_sweep_experiment,
    stack_sweeps,
    sweep_experiment,
)
from helpers.experiments.training import (
    BENCHMARK,
    BENCHMARK_EPOCHS,
    CONVERGENCE,
    CONVERGENCE_EPOCHS,
    CONVERGENCE_THRESHOLD,
    VAL_BATCH_SIZE,
    Result,
    Run,
    benchmark_split,
    clear_cache,
    convergence_split,
    fit,
    runs_table,
    stop_at_accuracy,
    sweep,
    train,
)

__all__ = [
    # models
    "MLPSpec",
    "LARGE",
    "TINY",
    "CHAPTER",
    "make_regularizer",
    "make_optimizer",
    "build_mlp",
    # training
    "BENCHMARK",
    "BENCHMARK_EPOCHS",
    "VAL_BATCH_SIZE",
    "CONVERGENCE",
    "CONVERGENCE_EPOCHS",
    "CONVERGENCE_THRESHOLD",
    "benchmark_split",
    "convergence_split",
    "fit",
    "Run",
    "stop_at_accuracy",
    "train",
    "clear_cache",
    "sweep",
    "runs_table",
    "Result",
    # measures
    "dense_kernels",
    "hidden_kernels",
    "hidden_biases",
    "predict_labels",
    "weight_stats",
    "dropout_behaviour",
    "layer_inputs_outputs",
    "epochs_to_reach",
    "hidden_activations",
    # chapter
    "CLAIM_SEEDS",
    "overfitting_experiment",
    "MOONS",
    "MOONS_SPECS",
    "moons_experiment",
    "REGULARIZER_SPECS",
    "regularizer_experiment",
    "ACTIVITY",
    "activity_experiment",
    "BIAS_FACTOR",
    "bias_regularizer_experiment",
    "DROPOUT",
    "dropout_experiment",
    "DEEP",
    "batchnorm_activation_experiment",
    "batchnorm_convergence_experiment",
    "batchnorm_benchmark_experiment",
    "batchnorm_placement_experiment",
    "batchnorm_placement_benchmark_experiment",
    "COMBINATION_SPECS",
    "SINGLE_TRICKS",
    "combination_experiment",
    "CHAPTER_FACTORS",
    "PLAIN_64",
    "chapter_spec",
    "chapter_tuning_experiment",
    "early_stopping_experiment",
    # proximal
    "PROXIMAL",
    "soft_threshold",
    "l1_softmax_regression",
    "proximal_l1_experiment",
    # sweeps
    "SWEEP_FACTORS",
    "SWEEP_RATES",
    "sweep_experiment",
    "penalty_sweep_experiment",
    "dropout_sweep_experiment",
    "stack_sweeps",
]
