"""Model, layer, regularizer and compile inspection for the course's graded tests.

Every check raises ``AssertionError`` with one actionable sentence and writes nothing to stderr, so a test
cell either passes silently or shows the learner the first thing to fix. Keras is imported lazily (and
quietly) the first time a check needs it, so ``import helpers.checks`` stays cheap.

One module per thing inspected: ``models``, ``layers`` (and activations), ``regularizers``, ``compiling``,
``callbacks``, and ``learner`` (calling the learner's code); every public name is importable from here.
"""

from helpers._common import quiet
from helpers.checks._text import format_value
from helpers.checks.callbacks import assert_early_stopping
from helpers.checks.compiling import assert_compiled, canonical_loss, canonical_metric, compile_spec
from helpers.checks.layers import assert_layer_sequence, canonical_activation, layer_spec, layer_specs
from helpers.checks.learner import call_learner
from helpers.checks.models import assert_input_dim, expect_model, input_dim_of
from helpers.checks.regularizers import assert_regularizer, describe_regularizer

__all__ = [
    "quiet",
    "expect_model",
    "layer_specs",
    "layer_spec",
    "describe_regularizer",
    "assert_regularizer",
    "input_dim_of",
    "assert_input_dim",
    "assert_layer_sequence",
    "compile_spec",
    "assert_compiled",
    "call_learner",
    "canonical_activation",
    "canonical_loss",
    "canonical_metric",
    "format_value",
    "assert_early_stopping",
]
