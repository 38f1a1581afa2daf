"""The checks behind the graded test cells of the exercise notebooks: one ``check_<function>`` per graded
function, used by both the visible and the hidden test cell with different parameters.

One checker module per assignment (``overfitting``, ``regularizers``, ``dropout``, ``batch_normalization``,
``in_practice``, ``monitoring``, ``quiz``) over a small shared core (``_core``); every check is importable
from here (``from helpers.grading import check_l1_penalty``).

Every check calls the learner's function through :func:`helpers.checks.call_learner` (or inside
:func:`helpers.checks.quiet`), so a ``NotImplementedError`` becomes a readable ``AssertionError``, and runs
quietly as a whole, so nothing reaches stderr. A check returns ``True`` when everything passes and raises
``AssertionError`` naming the first thing to fix otherwise; test cells end with ``assert check_<function>(...)``.

NumPy exercises are compared with Keras itself on random inputs; random behaviour (dropout) is checked by
statistics, never by one random sequence.

Where the checks run
--------------------
In a learner's JupyterLab, test cells run in the kernel; while a class is graded, nbgrader hands each one to
the course's checker, a process in which no learner code runs, and the learner's functions are called across
(:mod:`helpers.grading.remote`). Either way a check sees only what :mod:`helpers.grading.wire` lets through:
the answer as data. A hidden test cell still starts with::

    import importlib

    grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

:func:`fresh` imports private copies of ``helpers``, ``helpers.checks``, ``helpers.datasets``,
``helpers.experiments``, this package and every checker module from disk, with ``sys.modules`` cleared of
``helpers.*`` during the import and restored afterwards, so a hidden test run in a kernel (in JupyterLab, or graded with
``c.GuardedExecute.check_outside = False``) is not fooled by in-memory edits of the course's modules either.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

from helpers.grading.batch_normalization import (
    check_batchnorm_forward,
    check_build_batchnorm_model,
    check_update_moving_average,
)
from helpers.grading.dropout import check_build_dropout_model, check_dropout_forward, check_mc_dropout_predict
from helpers.grading.in_practice import TUNED_MODEL, check_build_model, check_build_tuned_model
from helpers.grading.monitoring import check_make_early_stopping, check_summarize_runs
from helpers.grading.overfitting import check_best_epoch, check_diagnose_fit, check_generalization_gap
from helpers.grading.quiz import check_quiz_answer, check_quiz_format
from helpers.grading.regularizers import (
    check_build_penalized_layer,
    check_build_regularized_model,
    check_elastic_net_penalty,
    check_l1_penalty,
    check_l2_penalty,
    check_sparsity,
)

__all__ = [
    "fresh",
    "check_generalization_gap",
    "check_best_epoch",
    "check_diagnose_fit",
    "check_l1_penalty",
    "check_l2_penalty",
    "check_elastic_net_penalty",
    "check_build_regularized_model",
    "check_build_penalized_layer",
    "check_sparsity",
    "check_dropout_forward",
    "check_build_dropout_model",
    "check_mc_dropout_predict",
    "check_batchnorm_forward",
    "check_update_moving_average",
    "check_build_batchnorm_model",
    "check_build_model",
    "check_build_tuned_model",
    "check_make_early_stopping",
    "check_summarize_runs",
    "check_quiz_format",
    "check_quiz_answer",
    "TUNED_MODEL",
]

_PACKAGE = "helpers"


def fresh() -> ModuleType:
    """A private copy of this package and of the helpers it uses, imported from disk (see the module doc)."""

    def ours(name: str) -> bool:
        return name == _PACKAGE or name.startswith(_PACKAGE + ".")

    saved = {name: module for name, module in sys.modules.items() if ours(name)}
    for name in saved:
        del sys.modules[name]
    try:
        return importlib.import_module(_PACKAGE + ".grading")
    finally:
        for name in [n for n in sys.modules if ours(n)]:
            del sys.modules[name]
        sys.modules.update(saved)
