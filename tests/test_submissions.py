"""A class of imagined submissions graded by the source notebooks' own test cells.

Each case is a small learner answer (source text run in a namespace like the notebook's set-up cell) and
the expected outcome of the visible and of the hidden test cell of its graded function: pass, or fail with
a message matching a pattern. The test cells are read from ``source/NN_name/NN_name.ipynb`` and run as they
are, except that the hidden cells reuse one private copy of the grading code (what their first line builds)
instead of rebuilding it for every case.

Correct answers in any equivalent form must pass both cells; a typical mistake must fail exactly the cells
that test it, with one readable sentence that names the first thing to fix.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from helpers import grading
from helpers.grading import remote
from tools import build

ROOT = Path(__file__).resolve().parents[1]
# The exercise of every graded name, read from the authoring files.
NOTEBOOKS = {name: a for a in build.assignments() for name in build.answer_names(a)}
PRELUDE = """
import keras
import numpy as np
import pandas as pd
import tensorflow as tf
from keras import layers, regularizers
"""
HIDDEN_LINE = re.compile(r"^grading = importlib\.reload\(.*\)\.fresh\(\)\s*$", re.M)


@functools.cache
def hidden_grading():
    """The private copy of the grading code that a hidden test cell builds."""
    return grading.fresh()


@functools.cache
def cells_of(function: str) -> tuple[str, str]:
    """The source of the visible and the hidden test cell of ``function``."""
    nb = nbformat.read(ROOT / "source" / NOTEBOOKS[function] / f"{NOTEBOOKS[function]}.ipynb", as_version=4)
    by_id = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell.source for cell in nb.cells}
    visible, hidden = by_id[f"test_{function}"], by_id[f"test_{function}_hidden"]
    assert HIDDEN_LINE.search(hidden), f"the hidden test of {function} does not build a fresh grading copy"
    return visible, HIDDEN_LINE.sub("", hidden)


@functools.cache
def prelude() -> dict:
    """The names the notebooks' set-up cells give the learner."""
    namespace: dict = {}
    exec(PRELUDE, namespace)
    return namespace


def run_cell(source: str, namespace: dict) -> str | None:
    """Run one test cell; return None when it passes, the AssertionError message when it fails."""
    try:
        exec(compile(source, "<test cell>", "exec"), namespace)
    except AssertionError as exc:
        return str(exc)
    return None


@dataclass(frozen=True)
class Case:
    """One imagined answer: the graded function, a label, the source, the expected visible/hidden outcome."""

    function: str
    label: str
    source: str
    visible: str | None = None
    hidden: str | None = None

    @property
    def id(self) -> str:
        """A pytest id."""
        return f"{self.function}-{self.label}"


def ok(function: str, label: str, source: str) -> Case:
    """A correct answer: both test cells pass."""
    return Case(function, label, source)


def bad(function: str, label: str, source: str, pattern: str) -> Case:
    """A wrong answer the visible test already catches (and the hidden test too)."""
    return Case(function, label, source, pattern, pattern)


def hidden_bad(function: str, label: str, source: str, pattern: str) -> Case:
    """A wrong answer only the hidden test's other inputs reveal."""
    return Case(function, label, source, None, pattern)


def sequential(body: str, input_dim: str = "input_dim") -> str:
    """Source of a Sequential model with ``keras.Input`` and the given layer lines."""
    return f"keras.Sequential([keras.Input(shape=({input_dim},)), {body}])"


# ---------------------------------------------------------------------------------------------------------
# 01_overfitting
# ---------------------------------------------------------------------------------------------------------

GAP = "generalization_gap"
CASES = [
    ok(
        GAP,
        "noisy-debugging",
        """
import logging, sys, warnings
def generalization_gap(history, metric="accuracy"):
    print("debug:", type(history).__name__)
    print("debug on stderr", file=sys.stderr)
    warnings.warn("learner warning")
    logging.warning("learner log line")
    h = getattr(history, "history", history)
    return h[metric][-1] - h["val_" + metric][-1]
""",
    ),
    ok(
        GAP,
        "dict-get",
        """
def generalization_gap(history, metric="accuracy"):
    h = history.history if hasattr(history, "history") else history
    return h[metric][-1] - h["val_" + metric][-1]
""",
    ),
    ok(
        GAP,
        "isinstance-numpy",
        """
def generalization_gap(history, metric="accuracy"):
    if isinstance(history, keras.callbacks.History):
        history = history.history
    train = np.array(history[metric])
    val = np.array(history[f"val_{metric}"])
    return float(train[-1] - val[-1])
""",
    ),
    ok(
        GAP,
        "len-index-float32",
        """
def generalization_gap(history, metric="accuracy"):
    logs = getattr(history, "history", history)
    n = len(logs[metric])
    return np.float32(logs[metric][n - 1]) - np.float32(logs["val_" + metric][n - 1])
""",
    ),
    bad(
        GAP,
        "validation-minus-training",
        """
def generalization_gap(history, metric="accuracy"):
    h = getattr(history, "history", history)
    return h["val_" + metric][-1] - h[metric][-1]
""",
        "not validation minus training",
    ),
    bad(
        GAP,
        "first-epoch",
        """
def generalization_gap(history, metric="accuracy"):
    h = getattr(history, "history", history)
    return h[metric][0] - h["val_" + metric][0]
""",
        "first epoch",
    ),
    bad(
        GAP,
        "dict-only",
        """
def generalization_gap(history, metric="accuracy"):
    return history[metric][-1] - history["val_" + metric][-1]
""",
        "getattr\\(history, 'history', history\\)",
    ),
    hidden_bad(
        GAP,
        "hard-coded-accuracy",
        """
def generalization_gap(history, metric="accuracy"):
    h = getattr(history, "history", history)
    return h["accuracy"][-1] - h["val_accuracy"][-1]
""",
        "use the metric argument",
    ),
    hidden_bad(
        GAP,
        "abs",
        """
def generalization_gap(history, metric="accuracy"):
    h = getattr(history, "history", history)
    return abs(h[metric][-1] - h["val_" + metric][-1])
""",
        "no abs",
    ),
    bad(
        GAP,
        "not-written",
        """
def generalization_gap(history, metric="accuracy"):
    raise NotImplementedError()
""",
        "not written yet",
    ),
    bad(
        GAP,
        "forgot-return",
        """
def generalization_gap(history, metric="accuracy"):
    h = getattr(history, "history", history)
    gap = h[metric][-1] - h["val_" + metric][-1]
""",
        "returned None",
    ),
    bad(
        GAP,
        "sys-exit",
        """
import sys
def generalization_gap(history, metric="accuracy"):
    sys.exit(1)
""",
        "sys.exit",
    ),
]

BEST = "best_epoch"
CASES += [
    ok(
        BEST,
        "argmin-argmax",
        """
def best_epoch(history, monitor="val_loss"):
    values = np.asarray(getattr(history, "history", history)[monitor])
    index = np.argmin(values) if "loss" in monitor else np.argmax(values)
    return int(index) + 1
""",
    ),
    ok(
        BEST,
        "numpy-int",
        """
def best_epoch(history, monitor="val_loss"):
    values = getattr(history, "history", history)[monitor]
    return (np.argmin(values) if "loss" in monitor else np.argmax(values)) + 1
""",
    ),
    ok(
        BEST,
        "loop",
        """
def best_epoch(history, monitor="val_loss"):
    if isinstance(history, keras.callbacks.History):
        history = history.history
    values = history[monitor]
    lower = "loss" in monitor
    best = 0
    for i, v in enumerate(values):
        if (lower and v < values[best]) or (not lower and v > values[best]):
            best = i
    return best + 1
""",
    ),
    ok(
        BEST,
        "list-index-sign",
        """
def best_epoch(history, monitor="val_loss"):
    values = list(getattr(history, "history", history)[monitor])
    target = min(values) if "loss" in monitor else max(values)
    return values.index(target) + 1
""",
    ),
    bad(
        BEST,
        "zero-based",
        """
def best_epoch(history, monitor="val_loss"):
    values = getattr(history, "history", history)[monitor]
    return int(np.argmin(values) if "loss" in monitor else np.argmax(values))
""",
        "counted from 1",
    ),
    bad(
        BEST,
        "last-tie",
        """
def best_epoch(history, monitor="val_loss"):
    values = getattr(history, "history", history)[monitor]
    lower = "loss" in monitor
    best = 0
    for i, v in enumerate(values):
        if (lower and v <= values[best]) or (not lower and v >= values[best]):
            best = i
    return best + 1
""",
        "return the first one",
    ),
    bad(
        BEST,
        "always-lowest",
        """
def best_epoch(history, monitor="val_loss"):
    return int(np.argmin(getattr(history, "history", history)[monitor])) + 1
""",
        "the best value is the highest",
    ),
    bad(
        BEST,
        "highest-val-loss",
        """
def best_epoch(history, monitor="val_loss"):
    values = getattr(history, "history", history)[monitor]
    return int(np.argmax(values) if "loss" in monitor else np.argmin(values)) + 1
""",
        "the best value is the lowest",
    ),
    bad(
        BEST,
        "float",
        """
def best_epoch(history, monitor="val_loss"):
    values = getattr(history, "history", history)[monitor]
    return float(np.argmin(values) if "loss" in monitor else np.argmax(values)) + 1
""",
        "return an int",
    ),
    hidden_bad(
        BEST,
        "acc-rule",
        """
def best_epoch(history, monitor="val_loss"):
    values = getattr(history, "history", history)[monitor]
    return int(np.argmax(values) if "acc" in monitor else np.argmin(values)) + 1
""",
        "val_auc.*highest",
    ),
]

DIAG = "diagnose_fit"
CASES += [
    ok(
        DIAG,
        "if-elif",
        """
def diagnose_fit(history, gap_threshold=0.1, underfit_threshold=0.8):
    h = getattr(history, "history", history)
    train, val = h["accuracy"][-1], h["val_accuracy"][-1]
    if train < underfit_threshold:
        return "underfitting"
    if train - val > gap_threshold:
        return "overfitting"
    return "good fit"
""",
    ),
    ok(
        DIAG,
        "reuses-gap-numpy",
        """
def diagnose_fit(history, gap_threshold=0.1, underfit_threshold=0.8):
    logs = history.history if isinstance(history, keras.callbacks.History) else history
    train = np.asarray(logs["accuracy"])[-1]
    gap = train - np.asarray(logs["val_accuracy"])[-1]
    result = "good fit"
    if gap > gap_threshold:
        result = "overfitting"
    if train < underfit_threshold:
        result = "underfitting"
    return result
""",
    ),
    bad(
        DIAG,
        "order-swapped",
        """
def diagnose_fit(history, gap_threshold=0.1, underfit_threshold=0.8):
    h = getattr(history, "history", history)
    train, val = h["accuracy"][-1], h["val_accuracy"][-1]
    if train - val > gap_threshold:
        return "overfitting"
    if train < underfit_threshold:
        return "underfitting"
    return "good fit"
""",
        "below underfit_threshold",
    ),
    bad(
        DIAG,
        "capitalized",
        """
def diagnose_fit(history, gap_threshold=0.1, underfit_threshold=0.8):
    h = getattr(history, "history", history)
    train, val = h["accuracy"][-1], h["val_accuracy"][-1]
    if train < underfit_threshold:
        return "Underfitting"
    if train - val > gap_threshold:
        return "Overfitting"
    return "Good fit"
""",
        "return exactly",
    ),
    bad(
        DIAG,
        "abs-gap",
        """
def diagnose_fit(history, gap_threshold=0.1, underfit_threshold=0.8):
    h = getattr(history, "history", history)
    train, val = h["accuracy"][-1], h["val_accuracy"][-1]
    if train < underfit_threshold:
        return "underfitting"
    if abs(train - val) > gap_threshold:
        return "overfitting"
    return "good fit"
""",
        "expected 'good fit'",
    ),
    hidden_bad(
        DIAG,
        "less-or-equal",
        """
def diagnose_fit(history, gap_threshold=0.1, underfit_threshold=0.8):
    h = getattr(history, "history", history)
    train, val = h["accuracy"][-1], h["val_accuracy"][-1]
    if train <= underfit_threshold:
        return "underfitting"
    if train - val >= gap_threshold:
        return "overfitting"
    return "good fit"
""",
        "equal to underfit_threshold",
    ),
    hidden_bad(
        DIAG,
        "hard-coded-thresholds",
        """
def diagnose_fit(history, gap_threshold=0.1, underfit_threshold=0.8):
    h = getattr(history, "history", history)
    train, val = h["accuracy"][-1], h["val_accuracy"][-1]
    if train < 0.8:
        return "underfitting"
    if train - val > 0.1:
        return "overfitting"
    return "good fit"
""",
        "expected",
    ),
]

# ---------------------------------------------------------------------------------------------------------
# 02_regularizers
# ---------------------------------------------------------------------------------------------------------

L1, L2, EN = "l1_penalty", "l2_penalty", "elastic_net_penalty"
CASES += [
    ok(L1, "sum-abs", "def l1_penalty(weights, factor):\n    return factor * np.sum(np.abs(weights))\n"),
    ok(
        L1,
        "float32",
        "def l1_penalty(weights, factor):\n    return np.float32(factor) * np.abs(weights).sum()\n",
    ),
    ok(
        L1,
        "norm-ord1",
        "def l1_penalty(weights, factor):\n    return factor * np.linalg.norm(np.ravel(weights), 1)\n",
    ),
    ok(
        L1,
        "loop",
        """
def l1_penalty(weights, factor):
    total = 0.0
    for w in np.asarray(weights).flat:
        total += abs(w)
    return float(factor * total)
""",
    ),
    bad(
        L1,
        "no-abs",
        "def l1_penalty(weights, factor):\n    return factor * np.sum(weights)\n",
        "absolute value",
    ),
    bad(
        L1,
        "mean",
        "def l1_penalty(weights, factor):\n    return factor * np.mean(np.abs(weights))\n",
        "do not average",
    ),
    bad(
        L1,
        "keras",
        """
def l1_penalty(weights, factor):
    return regularizers.L1(factor)(weights)
""",
        "compute it with NumPy only",
    ),
    ok(
        L2, "sum-square", "def l2_penalty(weights, factor):\n    return factor * np.sum(np.square(weights))\n"
    ),
    ok(
        L2,
        "norm-squared",
        "def l2_penalty(weights, factor):\n    return factor * np.linalg.norm(weights) ** 2\n",
    ),
    ok(
        L2,
        "float64-dot",
        """
def l2_penalty(weights, factor):
    w = np.asarray(weights, dtype=np.float64).ravel()
    return float(factor * w @ w)
""",
    ),
    bad(
        L2,
        "half",
        "def l2_penalty(weights, factor):\n    return 0.5 * factor * np.sum(weights ** 2)\n",
        "no 1/2",
    ),
    bad(
        L2,
        "norm",
        "def l2_penalty(weights, factor):\n    return factor * np.linalg.norm(weights)\n",
        "square root",
    ),
    bad(L2, "array", "def l2_penalty(weights, factor):\n    return factor * weights ** 2\n", "single number"),
    ok(
        EN,
        "sum-of-both",
        """
def elastic_net_penalty(weights, l1, l2):
    return l1 * np.sum(np.abs(weights)) + l2 * np.sum(weights ** 2)
""",
    ),
    ok(
        EN,
        "reuse-float32",
        """
def elastic_net_penalty(weights, l1, l2):
    w = np.asarray(weights, dtype=np.float32)
    return np.float32(l1) * np.abs(w).sum() + np.float32(l2) * np.square(w).sum()
""",
    ),
    bad(
        EN,
        "swapped",
        """
def elastic_net_penalty(weights, l1, l2):
    return l2 * np.sum(np.abs(weights)) + l1 * np.sum(weights ** 2)
""",
        "swapped",
    ),
    bad(
        EN,
        "only-l1",
        "def elastic_net_penalty(weights, l1, l2):\n    return l1 * np.abs(weights).sum()\n",
        "add the L2 term",
    ),
]

REG = "build_regularized_model"
_REG_BODY = """
    {pre}
    if kind == "l1":
        penalty = {l1}
    elif kind == "l2":
        penalty = {l2}
    elif kind == "elastic_net":
        penalty = {en}
    else:
        raise ValueError("unknown kind")
    return {model}
"""


def reg_model(
    l1: str = "regularizers.L1(factor)",
    l2: str = "regularizers.L2(factor)",
    en: str = "regularizers.L1L2(l1=factor, l2=factor)",
    model: str = sequential(
        "layers.Dense(64, activation='relu', kernel_regularizer=penalty), "
        "layers.Dense(num_classes, activation='softmax')"
    ),
    pre: str = "",
) -> str:
    """Source of a build_regularized_model answer with the given pieces."""
    body = _REG_BODY.format(l1=l1, l2=l2, en=en, model=model, pre=pre)
    return 'def build_regularized_model(input_dim, num_classes, kind="l2", factor=0.01):' + body


CASES += [
    ok(REG, "reference-form", reg_model()),
    ok(
        REG,
        "match-statement",
        """
def build_regularized_model(input_dim, num_classes, kind="l2", factor=0.01):
    match kind:
        case "l1":
            reg = regularizers.l1(factor)
        case "l2":
            reg = regularizers.l2(l2=factor)
        case "elastic_net":
            reg = regularizers.l1_l2(l1=factor, l2=factor)
        case _:
            raise ValueError(f"unknown kind {kind!r}")
    hidden = keras.Sequential([layers.Dense(64, activation="relu", kernel_regularizer=reg)])
    return keras.Sequential([keras.Input(shape=(input_dim,)), hidden, layers.Dense(num_classes, "softmax")])
""",
    ),
    bad(
        REG,
        "l1-l2-positional",
        reg_model(en="regularizers.l1_l2(factor)"),
        "is L1\\(0\\.0\\d+\\); expected L1L2 with",
    ),
    hidden_bad(
        REG,
        "normalizes-kind",
        reg_model(pre="kind = kind.strip().lower()"),
        "kind='L2 '\\) returned normally; it should raise ValueError",
    ),
    ok(
        REG,
        "lowercase-functions",
        reg_model(
            "regularizers.l1(factor)", "regularizers.l2(factor)", "regularizers.l1_l2(l1=factor, l2=factor)"
        ),
    ),
    ok(
        REG,
        "l1l2-everywhere",
        reg_model(
            "regularizers.L1L2(l1=factor)",
            "regularizers.L1L2(l2=factor)",
            "keras.regularizers.l1_l2(factor, factor)",
        ),
    ),
    ok(
        REG,
        "tf-keras-input-shape",
        reg_model(
            model="tf.keras.Sequential([tf.keras.layers.Dense(64, "
            "activation='relu', input_shape=(input_dim,), kernel_regularizer="
            "penalty), tf.keras.layers.Dense(num_classes, "
            "activation='softmax')])"
        ),
    ),
    ok(
        REG,
        "input-dim-kwarg",
        reg_model(
            model="keras.Sequential([layers.Dense(64, activation='relu', "
            "input_dim=input_dim, kernel_regularizer=penalty), "
            "layers.Dense(num_classes, activation='softmax')])"
        ),
    ),
    ok(
        REG,
        "functional-activation-layer",
        reg_model(
            pre="""
    inputs = keras.Input(shape=(input_dim,))""",
            model="""keras.Model(inputs, layers.Activation('softmax')(
        layers.Dense(num_classes)(layers.Activation(keras.activations.relu)(
            layers.Dense(64, kernel_regularizer=penalty)(inputs)))))""",
        ),
    ),
    ok(
        REG,
        "add-tf-nn-relu",
        reg_model(
            model="""_build(input_dim, num_classes, penalty)
def _build(input_dim, num_classes, penalty):
    model = keras.Sequential(name="regularized")
    model.add(keras.Input(shape=(input_dim,)))
    model.add(layers.Dense(units=64, activation=tf.nn.relu, kernel_regularizer=penalty, name="hidden"))
    model.add(layers.Dense(units=num_classes, activation=keras.activations.softmax, name="output"))
    return model"""
        ),
    ),
    ok(
        REG,
        "dict-lookup-then-check",
        """
def build_regularized_model(input_dim, num_classes, kind="l2", factor=0.01):
    choices = {"l1": lambda: regularizers.L1(factor), "l2": lambda: regularizers.L2(factor),
               "elastic_net": lambda: regularizers.L1L2(factor, factor)}
    if kind not in choices:
        raise ValueError(kind)
    return keras.Sequential([layers.Input((input_dim,)),
                             layers.Dense(64, "relu", kernel_regularizer=choices[kind]()),
                             layers.Dense(num_classes, "softmax")])
""",
    ),
    bad(REG, "zero-l1-l2", reg_model(en="regularizers.l1_l2()"), "zero penalty"),
    bad(
        REG,
        "regularizer-on-output",
        reg_model(
            model=sequential(
                "layers.Dense(64, activation='relu'), "
                "layers.Dense(num_classes, activation='softmax', kernel_regularizer=penalty)"
            )
        ),
        "layer 1 \\(Dense\\) is not set; expected L2",
    ),
    bad(
        REG,
        "bias-regularizer",
        reg_model(
            model=sequential(
                "layers.Dense(64, activation='relu', bias_regularizer=penalty), "
                "layers.Dense(num_classes, activation='softmax')"
            )
        ),
        "kernel_regularizer of layer 1",
    ),
    bad(
        REG,
        "activity-too",
        reg_model(
            model=sequential(
                "layers.Dense(64, activation='relu', kernel_regularizer=penalty, activity_regularizer=penalty), "
                "layers.Dense(num_classes, activation='softmax')"
            )
        ),
        "activity_regularizer of layer 1.*remove it",
    ),
    bad(
        REG,
        "l1-l2-swapped",
        reg_model(l1="regularizers.L2(factor)", l2="regularizers.L1(factor)"),
        "is L1\\(0.01\\); expected L2\\(0.01\\)",
    ),
    hidden_bad(
        REG,
        "factor-ignored",
        reg_model("regularizers.L1(0.01)", "regularizers.L2(0.01)", "regularizers.L1L2(0.01, 0.01)"),
        "expected L2\\(0.003\\)",
    ),
    hidden_bad(REG, "string-l2", reg_model(l2="'l2'"), "expected L2\\(0.003\\)"),
    hidden_bad(
        REG,
        "hard-coded-sizes",
        reg_model(
            model=sequential(
                "layers.Dense(64, activation='relu', kernel_regularizer=penalty), "
                "layers.Dense(10, activation='softmax')",
                "64",
            )
        ),
        "20 features|expected 20",
    ),
    bad(
        REG,
        "no-value-error",
        """
def build_regularized_model(input_dim, num_classes, kind="l2", factor=0.01):
    if kind == "l1":
        penalty = regularizers.L1(factor)
    elif kind == "elastic_net":
        penalty = regularizers.L1L2(l1=factor, l2=factor)
    else:
        penalty = regularizers.L2(factor)
    return keras.Sequential([keras.Input(shape=(input_dim,)),
                             layers.Dense(64, activation="relu", kernel_regularizer=penalty),
                             layers.Dense(num_classes, activation="softmax")])
""",
        "should raise ValueError",
    ),
    bad(
        REG,
        "dropout-after-output",
        reg_model(
            model=sequential(
                "layers.Dense(64, activation='relu', kernel_regularizer=penalty), "
                "layers.Dense(num_classes, activation='softmax'), layers.Dropout(0.5)"
            )
        ),
        "after the output layer",
    ),
    bad(
        REG,
        "relu-output",
        reg_model(
            model=sequential(
                "layers.Dense(64, activation='relu', kernel_regularizer=penalty), "
                "layers.Dense(num_classes, activation='relu')"
            )
        ),
        "activation='softmax'",
    ),
    bad(
        REG,
        "returns-layers",
        reg_model(
            model="[layers.Dense(64, activation='relu', kernel_regularizer="
            "penalty), layers.Dense(num_classes, activation='softmax')]"
        ),
        "list of layers",
    ),
]

PEN = "build_penalized_layer"
CASES += [
    ok(
        PEN,
        "reference-form",
        """
def build_penalized_layer(units):
    return layers.Dense(units, activation="relu", kernel_regularizer=regularizers.L2(0.01),
                        bias_regularizer=regularizers.L2(0.01), activity_regularizer=regularizers.L1(0.001))
""",
    ),
    ok(
        PEN,
        "lowercase-and-l1l2",
        """
def build_penalized_layer(units):
    return keras.layers.Dense(units=units, activation=keras.activations.relu,
                              kernel_regularizer=keras.regularizers.l2(0.01),
                              bias_regularizer=regularizers.L1L2(l2=0.01),
                              activity_regularizer=regularizers.l1_l2(l1=0.001))
""",
    ),
    ok(
        PEN,
        "string-l2",
        """
def build_penalized_layer(units):
    return layers.Dense(units, "relu", kernel_regularizer="l2", bias_regularizer="l2",
                        activity_regularizer=regularizers.l1(1e-3))
""",
    ),
    bad(
        PEN,
        "activity-l2",
        """
def build_penalized_layer(units):
    return layers.Dense(units, activation="relu", kernel_regularizer=regularizers.L2(0.01),
                        bias_regularizer=regularizers.L2(0.01), activity_regularizer=regularizers.L2(0.001))
""",
        "activity_regularizer is L2\\(0.001\\); expected L1\\(0.001\\)",
    ),
    bad(
        PEN,
        "no-bias",
        """
def build_penalized_layer(units):
    return layers.Dense(units, activation="relu", kernel_regularizer=regularizers.L2(0.01),
                        activity_regularizer=regularizers.L1(0.001))
""",
        "bias_regularizer is not set",
    ),
    bad(
        PEN,
        "model",
        """
def build_penalized_layer(units):
    return keras.Sequential([layers.Dense(units, activation="relu", kernel_regularizer=regularizers.L2(0.01),
                        bias_regularizer=regularizers.L2(0.01), activity_regularizer=regularizers.L1(0.001))])
""",
        "returned a model",
    ),
    bad(
        PEN,
        "same-object",
        """
_LAYER = {}
def build_penalized_layer(units):
    if units not in _LAYER:
        _LAYER[units] = layers.Dense(units, activation="relu", kernel_regularizer=regularizers.L2(0.01),
                        bias_regularizer=regularizers.L2(0.01), activity_regularizer=regularizers.L1(0.001))
    return _LAYER[units]
""",
        "same layer object",
    ),
    hidden_bad(
        PEN,
        "units-ignored",
        """
def build_penalized_layer(units):
    return layers.Dense(32, activation="relu", kernel_regularizer=regularizers.L2(0.01),
                        bias_regularizer=regularizers.L2(0.01), activity_regularizer=regularizers.L1(0.001))
""",
        "use the units argument",
    ),
]

SPARSE = "sparsity"
CASES += [
    ok(
        SPARSE,
        "isinstance-concat",
        """
def sparsity(model, threshold=1e-3):
    kernels = [np.asarray(l.kernel) for l in model.layers if isinstance(l, layers.Dense)]
    return float(np.mean(np.abs(np.concatenate([k.ravel() for k in kernels])) < threshold))
""",
    ),
    ok(
        SPARSE,
        "get-weights-counts",
        """
def sparsity(model, threshold=1e-3):
    tiny = total = 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            w = layer.get_weights()[0]
            tiny += np.sum(np.abs(w) < threshold)
            total += w.size
    return tiny / total
""",
    ),
    ok(
        SPARSE,
        "variable-names",
        """
def sparsity(model, threshold=1e-3):
    kernels = [v.numpy() for v in model.weights if v.name == "kernel"]
    return sum(int((abs(k) < threshold).sum()) for k in kernels) / sum(k.size for k in kernels)
""",
    ),
    bad(
        SPARSE,
        "counts-biases",
        """
def sparsity(model, threshold=1e-3):
    ws = [w for l in model.layers if isinstance(l, layers.Dense) for w in l.get_weights()]
    return sum((np.abs(w) < threshold).sum() for w in ws) / sum(w.size for w in ws)
""",
        "not the biases",
    ),
    bad(
        SPARSE,
        "every-weight",
        """
def sparsity(model, threshold=1e-3):
    ws = model.get_weights()
    return sum((np.abs(w) < threshold).sum() for w in ws) / sum(w.size for w in ws)
""",
        "Dense layers only",
    ),
    bad(
        SPARSE,
        "per-layer-mean",
        """
def sparsity(model, threshold=1e-3):
    return float(np.mean([np.mean(np.abs(l.kernel) < threshold) for l in model.layers
                          if isinstance(l, layers.Dense)]))
""",
        "do not average per layer",
    ),
    bad(
        SPARSE,
        "above",
        """
def sparsity(model, threshold=1e-3):
    k = np.concatenate([np.ravel(l.kernel) for l in model.layers if isinstance(l, layers.Dense)])
    return float(np.mean(np.abs(k) > threshold))
""",
        "BELOW",
    ),
    hidden_bad(
        SPARSE,
        "threshold-ignored",
        """
def sparsity(model, threshold=1e-3):
    k = np.concatenate([np.ravel(l.kernel) for l in model.layers if isinstance(l, layers.Dense)])
    return float(np.mean(np.abs(k) < 1e-3))
""",
        "expected",
    ),
    bad(
        SPARSE,
        "first-layer-only",
        """
def sparsity(model, threshold=1e-3):
    k = np.asarray(model.layers[0].kernel)
    return float(np.mean(np.abs(k) < threshold))
""",
        "not only the first|'InputLayer' object has no attribute 'kernel'",
    ),
]

# ---------------------------------------------------------------------------------------------------------
# 03_dropout
# ---------------------------------------------------------------------------------------------------------

DROP = "dropout_forward"
_CHECK_RATE = """
    if not 0 <= rate < 1:
        raise ValueError("rate must be in [0, 1)")
    if rng is None:
        rng = np.random.default_rng()
"""


def drop(body: str, check: str = _CHECK_RATE) -> str:
    """Source of a dropout_forward answer."""
    return "def dropout_forward(x, rate, rng=None):" + check + textwrap.indent(textwrap.dedent(body), "    ")


CASES += [
    ok(
        DROP,
        "random-less-than-rate",
        drop("""
        mask = rng.random(np.shape(x)) >= rate
        return x * mask / (1 - rate)
    """),
    ),
    ok(
        DROP,
        "binomial-keep",
        drop("""
        keep = rng.binomial(1, 1 - rate, size=x.shape)
        return keep * x / (1.0 - rate)
    """),
    ),
    ok(
        DROP,
        "uniform-where-float32",
        drop("""
        dropped = rng.uniform(size=x.shape) < rate
        return np.where(dropped, 0, x / (1 - rate)).astype(np.float32)
    """),
    ),
    ok(
        DROP,
        "rate-zero-shortcut",
        drop("""
        if rate == 0:
            return x.copy()
        return (rng.random(x.shape) > rate) * x * (1 / (1 - rate))
    """),
    ),
    ok(
        DROP,
        "exact-count-permutation",
        drop("""
        flat = np.array(x, dtype=float).ravel()
        n_drop = int(round(rate * flat.size))
        flat[rng.permutation(flat.size)[:n_drop]] = 0.0
        return flat.reshape(np.shape(x)) / (1 - rate)
    """),
    ),
    bad(
        DROP,
        "empirical-scale",
        drop("""
        keep = rng.random(x.shape) >= rate
        return x * keep / keep.mean() if rate > 0 else x.copy()
    """),
        "kept elements are multiplied by",
    ),
    bad(
        DROP,
        "keep-probability",
        drop("""
        mask = rng.random(x.shape) < rate
        return x * mask / (1 - rate)
    """),
        "probability of DROPPING",
    ),
    bad(
        DROP,
        "no-scaling",
        drop("""
        return x * (rng.random(x.shape) >= rate)
    """),
        "1 / \\(1 - rate\\)",
    ),
    bad(
        DROP,
        "multiplies",
        drop("""
        return x * (rng.random(x.shape) >= rate) * (1 - rate)
    """),
        "do not multiply",
    ),
    bad(
        DROP,
        "global-random",
        drop("""
        return x * (np.random.random(x.shape) >= rate) / (1 - rate)
    """),
        "rng argument",
    ),
    bad(
        DROP,
        "in-place",
        drop("""
        x[rng.random(x.shape) < rate] = 0
        x /= 1 - rate
        return x
    """),
        "in place",
    ),
    bad(
        DROP,
        "no-value-error",
        drop(
            """
        return x * (rng.random(x.shape) >= rate) / (1 - rate)
    """,
            check="\n    rng = rng or np.random.default_rng()\n",
        ),
        "should raise ValueError",
    ),
    bad(
        DROP,
        "rng-none-crash",
        drop(
            """
        return x * (rng.random(x.shape) >= rate) / (1 - rate)
    """,
            check="\n    if not 0 <= rate < 1:\n        raise ValueError(rate)\n",
        ),
        "np.random.default_rng",
    ),
    bad(
        DROP,
        "rate-one-allowed-only",
        drop(
            """
        return x * (rng.random(x.shape) >= rate) / (1 - rate)
    """,
            check="\n    if rate > 1 or rate < 0:\n        raise ValueError(rate)\n"
            "    rng = np.random.default_rng() if rng is None else rng\n",
        ),
        "ValueError",
    ),
]

DMODEL = "build_dropout_model"


def dropout_model(body: str) -> str:
    """Source of a build_dropout_model answer returning ``body``."""
    return f"def build_dropout_model(input_dim, num_classes, rate=0.5):\n    return {body}\n"


_DM_LAYERS = (
    "layers.Dense(64, activation='relu'), layers.Dropout(rate), layers.Dense(64, activation='relu'), "
    "layers.Dropout(rate), layers.Dense(num_classes, activation='softmax')"
)
CASES += [
    ok(DMODEL, "reference-form", dropout_model(sequential(_DM_LAYERS))),
    ok(
        DMODEL,
        "rate-keyword-seed",
        dropout_model(
            sequential(
                "layers.Dense(64, activation='relu'), layers.Dropout(rate=rate, seed=1), "
                "layers.Dense(64, activation='relu'), layers.Dropout(rate=rate, seed=2), "
                "layers.Dense(num_classes, activation='softmax')"
            )
        ),
    ),
    ok(
        DMODEL,
        "add-relu-layers",
        """
def build_dropout_model(input_dim, num_classes, rate=0.5):
    model = keras.models.Sequential()
    model.add(keras.layers.InputLayer(shape=(input_dim,)))
    for _ in range(2):
        model.add(keras.layers.Dense(64))
        model.add(keras.layers.ReLU())
        model.add(keras.layers.Dropout(rate))
    model.add(keras.layers.Dense(num_classes))
    model.add(keras.layers.Softmax())
    return model
""",
    ),
    ok(
        DMODEL,
        "functional",
        """
def build_dropout_model(input_dim, num_classes, rate=0.5):
    inputs = keras.Input(shape=(input_dim,), name="features")
    x = layers.Dense(64, activation="relu")(inputs)
    x = layers.Dropout(rate)(x)
    x = layers.Dense(64, activation="relu")(x)
    x = layers.Dropout(rate)(x)
    return keras.Model(inputs=inputs, outputs=layers.Dense(num_classes, activation="softmax")(x))
""",
    ),
    bad(
        DMODEL,
        "rate-fixed",
        dropout_model(sequential(_DM_LAYERS.replace("Dropout(rate)", "Dropout(0.5)"))),
        "has rate=0.5; expected rate=0\\.[23]",
    ),
    bad(
        DMODEL,
        "keep-probability",
        dropout_model(sequential(_DM_LAYERS.replace("Dropout(rate)", "Dropout(1 - rate)"))),
        "DROPPED, not kept",
    ),
    bad(
        DMODEL,
        "dropout-after-output",
        dropout_model(
            sequential(
                "layers.Dense(64, activation='relu'), layers.Dense(64, activation='relu'), layers.Dropout(rate), "
                "layers.Dense(num_classes, activation='softmax'), layers.Dropout(rate)"
            )
        ),
        "layer 2 should be Dropout",
    ),
    bad(
        DMODEL,
        "dropout-on-input",
        dropout_model(sequential("layers.Dropout(rate), " + _DM_LAYERS)),
        "layer 1 should be Dense.*one layer too many",
    ),
    bad(
        DMODEL,
        "one-dropout",
        dropout_model(
            sequential(
                "layers.Dense(64, activation='relu'), layers.Dropout(rate), layers.Dense(64, activation='relu'), "
                "layers.Dense(num_classes, activation='softmax')"
            )
        ),
        "layer 4 should be Dropout.*missing",
    ),
    bad(DMODEL, "no-input", dropout_model(f"keras.Sequential([{_DM_LAYERS}])"), "no input shape"),
    hidden_bad(
        DMODEL,
        "hard-coded-classes",
        dropout_model(sequential(_DM_LAYERS.replace("num_classes", "10"))),
        "one unit per class",
    ),
]

MC = "mc_dropout_predict"
CASES += [
    ok(
        MC,
        "layer-by-layer",
        """
def mc_dropout_predict(model, x, n_samples=30):
    passes = []
    for _ in range(n_samples):
        h = x
        for layer in model.layers:
            h = layer(h, training=isinstance(layer, keras.layers.Dropout))
        passes.append(np.asarray(h))
    passes = np.stack(passes)
    return passes.mean(axis=0), passes.std(axis=0)
""",
    ),
    ok(
        MC,
        "layer-by-layer-preallocated",
        """
def mc_dropout_predict(model, x, n_samples=30):
    out = None
    for i in range(n_samples):
        y = x
        for layer in model.layers:
            y = layer(y, training=type(layer).__name__ == "Dropout")
        y = y.numpy()
        if out is None:
            out = np.zeros((n_samples,) + y.shape)
        out[i] = y
    return np.mean(out, 0), np.std(out, 0)
""",
    ),
    ok(
        MC,
        "vectorized-repeat",
        """
def mc_dropout_predict(model, x, n_samples=30):
    h = np.repeat(np.asarray(x)[None], n_samples, axis=0).reshape(-1, np.shape(x)[1])
    for layer in model.layers:
        h = layer(h, training=isinstance(layer, layers.Dropout))
    passes = np.asarray(h).reshape(n_samples, len(x), -1)
    return [passes.mean(0), passes.std(0, ddof=1)]
""",
    ),
    ok(
        MC,
        "tf-function",
        """
def mc_dropout_predict(model, x, n_samples=30):
    @tf.function
    def one_pass(inputs):
        for layer in model.layers:
            inputs = layer(inputs, training=isinstance(layer, layers.Dropout))
        return inputs

    passes = np.array([one_pass(tf.constant(x)).numpy() for _ in range(n_samples)])
    return passes.mean(axis=0), passes.std(axis=0)
""",
    ),
    ok(
        MC,
        "tensors-returned",
        """
def mc_dropout_predict(model, x, n_samples=30):
    def one_pass(h):
        for layer in model.layers:
            h = layer(h, training=isinstance(layer, layers.Dropout))
        return h

    passes = tf.stack([one_pass(x) for _ in range(n_samples)])
    return tf.reduce_mean(passes, axis=0), tf.math.reduce_std(passes, axis=0)
""",
    ),
    ok(
        MC,
        "frozen-batchnorm",
        """
def mc_dropout_predict(model, x, n_samples=30):
    # A BatchNormalization layer with trainable=False runs in inference mode, even under training=True.
    frozen = [layer for layer in model.layers if isinstance(layer, layers.BatchNormalization)]
    for layer in frozen:
        layer.trainable = False
    passes = np.stack([np.asarray(model(x, training=True)) for _ in range(n_samples)])
    for layer in frozen:
        layer.trainable = True
    return passes.mean(axis=0), passes.std(axis=0)
""",
    ),
    bad(
        MC,
        "model-training-true",
        """
def mc_dropout_predict(model, x, n_samples=30):
    passes = np.stack([np.asarray(model(x, training=True)) for _ in range(n_samples)])
    return passes.mean(axis=0), passes.std(axis=0)
""",
        "BatchNormalization layer's moving mean changed .*training=True only for Dropout",
    ),
    bad(
        MC,
        "every-layer-training",
        """
def mc_dropout_predict(model, x, n_samples=30):
    passes = []
    for _ in range(n_samples):
        h = x
        for layer in model.layers:
            h = layer(h, training=True)
        passes.append(np.asarray(h))
    return np.mean(passes, axis=0), np.std(passes, axis=0)
""",
        "BatchNormalization layer's moving mean changed",
    ),
    bad(
        MC,
        "statistics-put-back",
        """
def mc_dropout_predict(model, x, n_samples=30):
    saved = model.get_weights()
    passes = np.stack([np.asarray(model(x, training=True)) for _ in range(n_samples)])
    model.set_weights(saved)
    return passes.mean(axis=0), passes.std(axis=0)
""",
        "that is what BatchNormalization gives in training mode",
    ),
    bad(
        MC,
        "training-false",
        """
def mc_dropout_predict(model, x, n_samples=30):
    passes = np.stack([np.asarray(model(x, training=False)) for _ in range(n_samples)])
    return passes.mean(axis=0), passes.std(axis=0)
""",
        "std = 0 everywhere: the passes are all equal, so dropout was not active",
    ),
    bad(
        MC,
        "predict",
        """
def mc_dropout_predict(model, x, n_samples=30):
    passes = np.stack([model.predict(x, verbose=0) for _ in range(n_samples)])
    return passes.mean(axis=0), passes.std(axis=0)
""",
        "std = 0 everywhere",
    ),
    bad(
        MC,
        "n-samples-ignored",
        """
def mc_dropout_predict(model, x, n_samples=30):
    passes = []
    for _ in range(30):
        h = x
        for layer in model.layers:
            h = layer(h, training=isinstance(layer, layers.Dropout))
        passes.append(np.asarray(h))
    return np.mean(passes, axis=0), np.std(passes, axis=0)
""",
        "average of 30 passes; n_samples=(10|7) asks for",
    ),
    hidden_bad(
        MC,
        "keyword-only-n-samples",
        """
def mc_dropout_predict(model, x, *, n_samples=30):
    passes = []
    for _ in range(n_samples):
        h = x
        for layer in model.layers:
            h = layer(h, training=isinstance(layer, layers.Dropout))
        passes.append(np.asarray(h))
    return np.mean(passes, axis=0), np.std(passes, axis=0)
""",
        r"mc_dropout_predict\(model, x, 50\) .* raised TypeError",
    ),
    bad(
        MC,
        "variance",
        """
def mc_dropout_predict(model, x, n_samples=30):
    passes = []
    for _ in range(n_samples):
        h = x
        for layer in model.layers:
            h = layer(h, training=isinstance(layer, layers.Dropout))
        passes.append(np.asarray(h))
    return np.mean(passes, axis=0), np.var(passes, axis=0)
""",
        "variance",
    ),
    bad(
        MC,
        "wrong-axis",
        """
def mc_dropout_predict(model, x, n_samples=30):
    passes = np.stack([np.asarray(model(x, training=False)) for _ in range(n_samples)])
    return passes.mean(axis=1), passes.std(axis=1)
""",
        "returned an array of shape|over axis 0",
    ),
    bad(
        MC,
        "dict",
        """
def mc_dropout_predict(model, x, n_samples=30):
    passes = np.stack([np.asarray(model(x, training=False)) for _ in range(n_samples)])
    return {"mean": passes.mean(axis=0), "std": passes.std(axis=0)}
""",
        "expected a tuple \\(mean, std\\)",
    ),
]

# ---------------------------------------------------------------------------------------------------------
# 04_batch_normalization
# ---------------------------------------------------------------------------------------------------------

BNF = "batchnorm_forward"
CASES += [
    ok(
        BNF,
        "np-var",
        """
def batchnorm_forward(x, gamma, beta, epsilon=1e-3):
    return gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + epsilon) + beta
""",
    ),
    ok(
        BNF,
        "manual-keepdims-float32",
        """
def batchnorm_forward(x, gamma, beta, epsilon=1e-3):
    x = np.asarray(x)
    mu = np.sum(x, axis=0, keepdims=True) / x.shape[0]
    var = np.sum((x - mu) ** 2, axis=0, keepdims=True) / x.shape[0]
    x_hat = (x - mu) / np.sqrt(var + epsilon)
    return (gamma * x_hat + beta).astype(np.float32)
""",
    ),
    ok(
        BNF,
        "rsqrt-loop",
        """
def batchnorm_forward(x, gamma, beta, epsilon=1e-3):
    out = np.empty_like(x, dtype=float)
    for j in range(x.shape[1]):
        col = x[:, j]
        out[:, j] = (col - col.mean()) * (1 / np.sqrt(col.var() + epsilon)) * gamma[j] + beta[j]
    return out
""",
    ),
    bad(
        BNF,
        "unbiased",
        """
def batchnorm_forward(x, gamma, beta, epsilon=1e-3):
    return gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0, ddof=1) + epsilon) + beta
""",
        "biased variance",
    ),
    bad(
        BNF,
        "eps-outside",
        """
def batchnorm_forward(x, gamma, beta, epsilon=1e-3):
    return gamma * (x - x.mean(axis=0)) / (x.std(axis=0) + epsilon) + beta
""",
        "inside the sqrt",
    ),
    bad(
        BNF,
        "axis-1",
        """
def batchnorm_forward(x, gamma, beta, epsilon=1e-3):
    mu, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
    return gamma * (x - mu) / np.sqrt(var + epsilon) + beta
""",
        "axis=0",
    ),
    hidden_bad(
        BNF,
        "epsilon-ignored",
        """
def batchnorm_forward(x, gamma, beta, epsilon=1e-3):
    return gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + 1e-3) + beta
""",
        "use the epsilon argument",
    ),
    bad(
        BNF,
        "default-epsilon-changed",
        """
def batchnorm_forward(x, gamma, beta, epsilon=1e-5):
    return gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + epsilon) + beta
""",
        "default epsilon=1e-3",
    ),
]

MOV = "update_moving_average"
CASES += [
    ok(
        MOV,
        "momentum-first",
        """
def update_moving_average(moving, batch_value, momentum=0.99):
    return momentum * moving + (1 - momentum) * batch_value
""",
    ),
    ok(
        MOV,
        "difference-form",
        """
def update_moving_average(moving, batch_value, momentum=0.99):
    return moving - (1 - momentum) * (moving - batch_value)
""",
    ),
    ok(
        MOV,
        "float32",
        """
def update_moving_average(moving, batch_value, momentum=0.99):
    m = np.asarray(moving, np.float32)
    return m * np.float32(momentum) + np.asarray(batch_value, np.float32) * np.float32(1 - momentum)
""",
    ),
    bad(
        MOV,
        "swapped",
        """
def update_moving_average(moving, batch_value, momentum=0.99):
    return (1 - momentum) * moving + momentum * batch_value
""",
        "old value keeps the weight momentum",
    ),
    bad(
        MOV,
        "momentum-ignored",
        """
def update_moving_average(moving, batch_value, momentum=0.99):
    return 0.99 * moving + 0.01 * batch_value
""",
        "use the momentum argument",
    ),
    bad(
        MOV,
        "in-place-none",
        """
def update_moving_average(moving, batch_value, momentum=0.99):
    moving *= momentum
    moving += (1 - momentum) * batch_value
""",
        "returned None",
    ),
    bad(
        MOV,
        "default-momentum-changed",
        """
def update_moving_average(moving, batch_value, momentum=0.9):
    return momentum * moving + (1 - momentum) * batch_value
""",
        "default momentum=0.99",
    ),
]

BNM = "build_batchnorm_model"
_BN_LAYERS = (
    "layers.Dense(64, activation='relu'), layers.BatchNormalization(), layers.Dense(64, "
    "activation='relu'), layers.BatchNormalization(), layers.Dense(num_classes, activation='softmax')"
)


def bn_model(body: str) -> str:
    """Source of a build_batchnorm_model answer returning ``body``."""
    return f"def build_batchnorm_model(input_dim, num_classes):\n    return {body}\n"


CASES += [
    ok(BNM, "reference-form", bn_model(sequential(_BN_LAYERS))),
    ok(
        BNM,
        "input-shape-warning",
        bn_model(
            "keras.Sequential([layers.Dense(64, activation='relu', "
            "input_shape=(input_dim,)), " + _BN_LAYERS.split("'relu'), ", 1)[1] + "])"
        ),
    ),
    ok(
        BNM,
        "tf-keras-names",
        bn_model(
            "tf.keras.Sequential([tf.keras.Input(shape=[input_dim]), tf.keras.layers.Dense(64, activation=tf.nn.relu, "
            "name='d1'), tf.keras.layers.BatchNormalization(name='bn1'), tf.keras.layers.Dense(64, 'relu'), "
            "tf.keras.layers.BatchNormalization(momentum=0.99, epsilon=1e-3), tf.keras.layers.Dense(num_classes, "
            "activation=tf.nn.softmax)])"
        ),
    ),
    bad(
        BNM,
        "bn-before-relu",
        bn_model(
            sequential(
                "layers.Dense(64), layers.BatchNormalization(), layers.Activation('relu'), layers.Dense(64), "
                "layers.BatchNormalization(), layers.Activation('relu'), layers.Dense(num_classes, activation='softmax')"
            )
        ),
        "layer 1 \\(Dense\\) has activation='linear'; expected activation='relu'",
    ),
    bad(
        BNM,
        "bn-after-output",
        bn_model(
            sequential(
                "layers.Dense(64, activation='relu'), layers.BatchNormalization(), layers.Dense(64, activation='relu'), "
                "layers.Dense(num_classes, activation='softmax'), layers.BatchNormalization()"
            )
        ),
        "layer 4 should be",
    ),
    bad(
        BNM,
        "layer-norm",
        bn_model(sequential(_BN_LAYERS.replace("BatchNormalization", "LayerNormalization"))),
        "layer 2 should be BatchNormalization\\(\\), found LayerNormalization",
    ),
    hidden_bad(BNM, "hard-coded-input", bn_model(sequential(_BN_LAYERS, "64")), "expected 17"),
]

# ---------------------------------------------------------------------------------------------------------
# 05_in_practice
# ---------------------------------------------------------------------------------------------------------

BM = "build_model"
_CHAPTER = (
    "layers.Dense(64, activation='relu', kernel_regularizer=regularizers.l1_l2(l1=0.01, l2=0.01)), "
    "layers.BatchNormalization(), layers.Dropout(0.5), layers.Dense(num_classes, activation='softmax')"
)


def chapter(
    compile_args: str = "optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy']",
    layers_text: str = _CHAPTER,
    input_dim: str = "input_dim",
    tail: str = "return model",
) -> str:
    """Source of a build_model answer."""
    return (
        "def build_model(input_dim, num_classes):\n"
        f"    model = {sequential(layers_text, input_dim)}\n"
        f"    model.compile({compile_args})\n"
        f"    {tail}\n"
    )


CASES += [
    ok(BM, "reference-form", chapter()),
    ok(
        BM,
        "activation-layers",
        chapter(
            layers_text=(
                "layers.Dense(64, kernel_regularizer=keras.regularizers.L1L2(l1=0.01, l2=0.01)), layers.Activation('relu'),"
                " layers.BatchNormalization(), layers.Dropout(rate=0.5), layers.Dense(num_classes),"
                " layers.Activation('softmax')"
            )
        ),
    ),
    bad(
        BM,
        "no-regularizer",
        chapter(
            layers_text=_CHAPTER.replace(", kernel_regularizer=regularizers.l1_l2(l1=0.01, l2=0.01)", "")
        ),
        "kernel_regularizer of layer 1.*not set",
    ),
    ok(
        BM,
        "objects",
        chapter(
            "optimizer=keras.optimizers.Adam(), loss=keras.losses.CategoricalCrossentropy(), metrics=['acc']"
        ),
    ),
    ok(
        BM,
        "capitalized-strings",
        chapter(
            "optimizer='Adam', loss=keras.losses.categorical_crossentropy, metrics=['categorical_accuracy']"
        ),
    ),
    ok(
        BM,
        "positional-two",
        chapter(
            "keras.optimizers.Adam(learning_rate=1e-3), 'categorical_crossentropy', "
            "metrics=[keras.metrics.CategoricalAccuracy()]"
        ),
    ),
    ok(
        BM,
        "l1l2-class-dropout-rate",
        chapter(
            layers_text=_CHAPTER.replace(
                "regularizers.l1_l2(l1=0.01, l2=0.01)", "regularizers.L1L2(0.01, 0.01)"
            ).replace("Dropout(0.5)", "Dropout(rate=0.5)")
        ),
    ),
    ok(
        BM,
        "input-shape-chapter",
        """
def build_model(input_dim, num_classes):
    model = keras.Sequential()
    model.add(layers.Dense(64, activation='relu', input_shape=(input_dim,),
                           kernel_regularizer=regularizers.l1_l2(l1=0.01, l2=0.01)))
    model.add(layers.BatchNormalization())
    model.add(layers.Dropout(0.5))
    model.add(layers.Dense(num_classes, activation='softmax'))
    model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
    return model
""",
    ),
    ok(
        BM,
        "extra-metric",
        chapter(
            "optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy', keras.metrics.AUC()]"
        ),
    ),
    bad(
        BM,
        "uncompiled",
        chapter(tail="return model").replace("    model.compile(", "    # model.compile("),
        "must compile the model",
    ),
    bad(BM, "not-returned", chapter(tail="pass"), "returned None"),
    bad(
        BM,
        "positional-metrics",
        chapter("'adam', 'categorical_crossentropy', ['accuracy']"),
        "third positional argument",
    ),
    bad(
        BM,
        "sgd",
        chapter("optimizer='sgd', loss='categorical_crossentropy', metrics=['accuracy']"),
        "optimizer='sgd'; expected optimizer='adam'",
    ),
    bad(
        BM,
        "sparse-loss",
        chapter("optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy']"),
        "expected loss='categorical_crossentropy'",
    ),
    bad(BM, "no-metrics", chapter("optimizer='adam', loss='categorical_crossentropy'"), "'accuracy' metric"),
    bad(
        BM,
        "exact-accuracy",
        chapter("optimizer='adam', loss='categorical_crossentropy', metrics=[keras.metrics.Accuracy()]"),
        "exact matches",
    ),
    bad(
        BM,
        "from-logits",
        chapter(
            "optimizer='adam', loss=keras.losses.CategoricalCrossentropy(from_logits=True),"
            " metrics=['accuracy']"
        ),
        "from_logits",
    ),
    bad(
        BM,
        "l2-only",
        chapter(layers_text=_CHAPTER.replace("l1_l2(l1=0.01, l2=0.01)", "l2(0.01)")),
        "L2\\(0.01\\); expected L1L2 with l1=0.01 and l2=0.01",
    ),
    bad(
        BM,
        "zero-l1-l2",
        chapter(layers_text=_CHAPTER.replace("l1_l2(l1=0.01, l2=0.01)", "l1_l2()")),
        "zero penalty",
    ),
    bad(
        BM,
        "dropout-before-bn",
        chapter(
            layers_text=_CHAPTER.replace(
                "layers.BatchNormalization(), layers.Dropout(0.5)",
                "layers.Dropout(0.5), layers.BatchNormalization()",
            )
        ),
        "layers 2 and 3 are in the wrong order",
    ),
    bad(
        BM,
        "rate-0.2",
        chapter(layers_text=_CHAPTER.replace("Dropout(0.5)", "Dropout(0.2)")),
        "rate=0.2; expected rate=0.5",
    ),
    hidden_bad(
        BM,
        "hard-coded",
        chapter(input_dim="64", layers_text=_CHAPTER.replace("num_classes", "10")),
        "expected 30",
    ),
]

TUNED = "build_tuned_model"
_TUNED_COMPILE = "optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy']"


def tuned(layers_text: str, compile_args: str = _TUNED_COMPILE) -> str:
    """Source of a build_tuned_model answer (only mistakes caught before training are graded here)."""
    return (
        "def build_tuned_model(input_dim, num_classes):\n"
        f"    model = {sequential(layers_text)}\n"
        f"    model.compile({compile_args})\n"
        "    return model\n"
    )


CASES += [
    bad(
        TUNED,
        "too-big",
        tuned(
            "layers.Dense(2048, activation='relu'), layers.Dense(2048, activation='relu'), "
            "layers.Dense(num_classes, activation='softmax')"
        ),
        "parameters",
    ),
    bad(
        TUNED,
        "wrong-outputs",
        tuned("layers.Dense(64, activation='relu'), layers.Dense(1, activation='sigmoid')"),
        "outputs 1 values",
    ),
    bad(
        TUNED,
        "sparse-loss",
        tuned(
            "layers.Dense(64, activation='relu'), layers.Dense(num_classes, activation='softmax')",
            "optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy']",
        ),
        "expected loss='categorical_crossentropy'",
    ),
    bad(
        TUNED,
        "not-written",
        "def build_tuned_model(input_dim, num_classes):\n    raise NotImplementedError()\n",
        "not written yet",
    ),
]

# ---------------------------------------------------------------------------------------------------------
# 06_monitoring
# ---------------------------------------------------------------------------------------------------------

ES = "make_early_stopping"
CASES += [
    ok(
        ES,
        "keywords",
        """
def make_early_stopping(patience=5):
    return keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)
""",
    ),
    ok(
        ES,
        "positional-monitor-mode-min",
        """
def make_early_stopping(patience=5):
    return keras.callbacks.EarlyStopping("val_loss", 0, patience, mode="min", restore_best_weights=True)
""",
    ),
    ok(
        ES,
        "default-monitor-tf-keras",
        """
from tensorflow.keras.callbacks import EarlyStopping
def make_early_stopping(patience=5):
    callback = EarlyStopping(patience=patience, restore_best_weights=True, verbose=0)
    return callback
""",
    ),
    bad(
        ES,
        "no-restore",
        """
def make_early_stopping(patience=5):
    return keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience)
""",
        "restore_best_weights=True",
    ),
    bad(
        ES,
        "val-accuracy",
        """
def make_early_stopping(patience=5):
    return keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=patience, restore_best_weights=True)
""",
        "monitors 'val_accuracy'",
    ),
    bad(
        ES,
        "patience-fixed",
        """
def make_early_stopping(patience=5):
    return keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
""",
        "use the patience argument",
    ),
    bad(
        ES,
        "mode-max",
        """
def make_early_stopping(patience=5):
    return keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, mode="max",
                                         restore_best_weights=True)
""",
        "mode='max'",
    ),
    bad(
        ES,
        "class",
        """
def make_early_stopping(patience=5):
    return keras.callbacks.EarlyStopping
""",
        "the class EarlyStopping",
    ),
    bad(
        ES,
        "list",
        """
def make_early_stopping(patience=5):
    return [keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)]
""",
        "returned a list; expected keras.callbacks.EarlyStopping",
    ),
]

SUM = "summarize_runs"
CASES += [
    ok(
        SUM,
        "from-dict-orient-index",
        """
def summarize_runs(histories):
    rows = {}
    for name, h in histories.items():
        h = getattr(h, "history", h)
        rows[name] = {"train_accuracy": h["accuracy"][-1], "val_accuracy": h["val_accuracy"][-1],
                      "gap": h["accuracy"][-1] - h["val_accuracy"][-1],
                      "best_epoch": int(np.argmin(h["val_loss"])) + 1}
    return pd.DataFrame.from_dict(rows, orient="index").sort_values("val_accuracy", ascending=False)
""",
    ),
    ok(
        SUM,
        "list-of-rows-set-index-extra-columns",
        """
def summarize_runs(histories):
    rows = []
    for name, history in histories.items():
        logs = history.history if isinstance(history, keras.callbacks.History) else history
        acc, val = np.array(logs["accuracy"]), np.array(logs["val_accuracy"])
        rows.append({"name": name, "epochs": len(acc), "best_epoch": np.argmin(logs["val_loss"]) + 1,
                     "gap": acc[-1] - val[-1], "val_accuracy": val[-1], "train_accuracy": acc[-1]})
    table = pd.DataFrame(rows).set_index("name")
    return table.sort_values(by="val_accuracy", ascending=False)
""",
    ),
    ok(
        SUM,
        "transposed-object-dtype",
        """
def summarize_runs(histories):
    data = {}
    for name, h in histories.items():
        h = getattr(h, "history", h)
        vl = list(h["val_loss"])
        data[name] = [h["accuracy"][-1], h["val_accuracy"][-1], h["accuracy"][-1] - h["val_accuracy"][-1],
                      vl.index(min(vl)) + 1]
    table = pd.DataFrame(data, index=["train_accuracy", "val_accuracy", "gap", "best_epoch"]).T
    order = sorted(table.index, key=lambda n: table.loc[n, "val_accuracy"], reverse=True)
    return table.reindex(order)[["best_epoch", "gap", "val_accuracy", "train_accuracy"]]
""",
    ),
    bad(
        SUM,
        "ascending",
        """
def summarize_runs(histories):
    rows = {}
    for name, h in histories.items():
        h = getattr(h, "history", h)
        rows[name] = {"train_accuracy": h["accuracy"][-1], "val_accuracy": h["val_accuracy"][-1],
                      "gap": h["accuracy"][-1] - h["val_accuracy"][-1],
                      "best_epoch": int(np.argmin(h["val_loss"])) + 1}
    return pd.DataFrame.from_dict(rows, orient="index").sort_values("val_accuracy")
""",
        "ascending=False",
    ),
    bad(
        SUM,
        "zero-based-best",
        """
def summarize_runs(histories):
    rows = {}
    for name, h in histories.items():
        h = getattr(h, "history", h)
        rows[name] = {"train_accuracy": h["accuracy"][-1], "val_accuracy": h["val_accuracy"][-1],
                      "gap": h["accuracy"][-1] - h["val_accuracy"][-1],
                      "best_epoch": int(np.argmin(h["val_loss"]))}
    return pd.DataFrame.from_dict(rows, orient="index").sort_values("val_accuracy", ascending=False)
""",
        "counted from 1",
    ),
    bad(
        SUM,
        "name-column",
        """
def summarize_runs(histories):
    rows = []
    for name, h in histories.items():
        h = getattr(h, "history", h)
        rows.append({"name": name, "train_accuracy": h["accuracy"][-1], "val_accuracy": h["val_accuracy"][-1],
                     "gap": h["accuracy"][-1] - h["val_accuracy"][-1],
                     "best_epoch": int(np.argmin(h["val_loss"])) + 1})
    return pd.DataFrame(rows).sort_values("val_accuracy", ascending=False)
""",
        "set_index",
    ),
    bad(
        SUM,
        "missing-gap",
        """
def summarize_runs(histories):
    rows = {}
    for name, h in histories.items():
        h = getattr(h, "history", h)
        rows[name] = {"train_accuracy": h["accuracy"][-1], "val_accuracy": h["val_accuracy"][-1],
                      "best_epoch": int(np.argmin(h["val_loss"])) + 1}
    return pd.DataFrame.from_dict(rows, orient="index").sort_values("val_accuracy", ascending=False)
""",
        "lacks \\['gap'\\]",
    ),
    bad(
        SUM,
        "dicts-only",
        """
def summarize_runs(histories):
    rows = {}
    for name, h in histories.items():
        rows[name] = {"train_accuracy": h["accuracy"][-1], "val_accuracy": h["val_accuracy"][-1],
                      "gap": h["accuracy"][-1] - h["val_accuracy"][-1],
                      "best_epoch": int(np.argmin(h["val_loss"])) + 1}
    return pd.DataFrame.from_dict(rows, orient="index").sort_values("val_accuracy", ascending=False)
""",
        "getattr\\(history, 'history', history\\)",
    ),
]

# ---------------------------------------------------------------------------------------------------------
# 07_quiz (the right answers and the explanations are read from the hidden test cells, never written here)
# ---------------------------------------------------------------------------------------------------------

QUIZ = [name for name in NOTEBOOKS if NOTEBOOKS[name] == "07_quiz"]


def quiz_key(name: str) -> tuple[str, dict[str, dict[str, str]]]:
    """A quiz question's right letter and why each other option is wrong, read from its hidden test cell."""
    import ast

    tree = ast.parse(cells_of(name)[1])
    why = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["why"]
    )
    return ast.literal_eval(tree.body[-1].test.args[3]), why


def quiz_cases() -> list[Case]:
    """Quiz answers in several spellings; every wrong option of every question, with its own explanation."""
    right = quiz_key("q1")[0]
    cases = [
        ok("q1", "spaces", f"q1 = ' {right} '"),
        ok("q1", "upper", f"q1 = {right.upper()!r}"),
        bad("q1", "option-text", "q1 = 'a. Dropout'", "one letter"),
        bad("q1", "number", "q1 = 1", "one letter as a string"),
        bad("q1", "not-answered", "q1 = None", "one letter as a string"),
        bad("q2", "letter-e", "q2 = 'e'", "one of 'a', 'b', 'c', 'd'"),
    ]
    for name in QUIZ:
        right, why = quiz_key(name)
        cases.append(ok(name, "right", f"{name} = {right!r}"))
        for letter, texts in sorted(why.items()):
            # Each explanation is {"en": ..., "fr": ...}; the table grades in English.
            text = texts["en"] if isinstance(texts, dict) else texts
            said = f"^{name} = '{letter}' is not the right answer: {re.escape(text)}$"
            cases.append(hidden_bad(name, f"wrong-{letter}", f"{name} = {letter.upper()!r}", said))
    return cases


CASES += quiz_cases()


def test_quiz_has_cases_for_every_wrong_option() -> None:
    """Each question's hidden test explains exactly its wrong options, and a wrong answer's message is that
    explanation alone: it never names the right letter."""
    assert len(QUIZ) >= 10
    for name in QUIZ:
        right, why = quiz_key(name)
        assert set(why) == set("abcd") - {right}, name
        for case in (c for c in CASES if c.function == name and c.label.startswith("wrong-")):
            visible, hidden = grade(case)
            assert visible is None and hidden is not None, case.id
            assert f"'{right}'" not in hidden and f" {right}." not in hidden, (
                f"{case.id} names {right!r}: {hidden}"
            )


# ---------------------------------------------------------------------------------------------------------
# Running the table
# ---------------------------------------------------------------------------------------------------------


def grade(case: Case, where: str = "kernel") -> tuple[str | None, str | None]:
    """Run the learner's answer, then the visible and the hidden test cell; return their messages.

    ``where="kernel"``: the cells run beside the answer, as in a learner's JupyterLab. ``where="checker"``: as
    when a class is graded, the cells run in a namespace of their own and reach the answer only through the
    checker's requests, each answered as JSON text (helpers.grading.remote)."""
    namespace = dict(prelude())
    exec(compile(textwrap.dedent(case.source), f"<answer {case.id}>", "exec"), namespace)
    visible, hidden = cells_of(case.function)
    if where == "kernel":
        return run_cell(visible, dict(namespace)), run_cell(
            hidden, {**namespace, "grading": hidden_grading()}
        )

    def ask(request: dict) -> dict:
        return json.loads(json.dumps(remote.answer(json.loads(json.dumps(request)), namespace)))

    verdicts = [
        remote.run_cell(visible, ask, names=prelude()),
        remote.run_cell(hidden, ask, names={**prelude(), "grading": hidden_grading()}),
    ]
    return tuple(None if v["ok"] else message_of(v) for v in verdicts)  # type: ignore[return-value]


def message_of(verdict: dict) -> str:
    """The message a failed verdict shows (the AssertionError's text; other errors with their type)."""
    if verdict["ename"] == "AssertionError":
        return verdict["evalue"]
    return f"{verdict['ename']}: {verdict['evalue']}"


def assert_message(message: str, pattern: str, cell: str, case: Case) -> None:
    """A failure message is one readable line naming the fix, and matches the expected pattern."""
    assert re.search(pattern, message), f"{case.id}: {cell} message {message!r} does not match {pattern!r}"
    assert "\n" not in message and "Traceback" not in message, f"{case.id}: {cell} message spans lines"
    assert len(message) < 600, f"{case.id}: {cell} message is too long ({len(message)} characters)"
    assert "def " not in message and "### BEGIN" not in message, f"{case.id}: {cell} message shows code"


@pytest.mark.parametrize("where", ["kernel", "checker"])
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_submission(case: Case, where: str) -> None:
    """Each imagined answer gets exactly the expected outcome in the visible and the hidden test cell, whether
    the cells run beside it (a learner's kernel) or in the grader's checker."""
    visible, hidden = grade(case, where)
    for cell, found, want in (("visible", visible, case.visible), ("hidden", hidden, case.hidden)):
        if want is None:
            assert found is None, f"{case.id}: a correct answer fails the {cell} test: {found}"
        else:
            assert found is not None, f"{case.id}: the {cell} test passes a wrong answer"
            assert_message(found, want, cell, case)


def test_every_graded_function_has_cases() -> None:
    """The table covers every graded function with at least one correct and one wrong answer."""
    for function in NOTEBOOKS:
        kinds = {c.visible is None and c.hidden is None for c in CASES if c.function == function}
        if function == "build_tuned_model":
            assert kinds == {False}
        elif function != "q2":
            assert kinds == {True, False}, function


def test_correct_answers_write_nothing_to_stderr(tmp_path: Path) -> None:
    """A fresh process: answers that make Keras warn still leave the test cells' stderr empty."""
    cells: list[tuple[str, str]] = [("setup", PRELUDE), ("control", "import warnings\nwarnings.warn('x')")]
    for case in [
        c for c in CASES if c.label in ("input-shape-warning", "input-shape-chapter", "noisy-debugging")
    ]:
        cells += [("answer", textwrap.dedent(case.source)), ("test", cells_of(case.function)[0])]
        cells += [("test", raw_hidden_cell(case.function))]
    marker = "----CELL----"
    script = tmp_path / "cells.py"
    script.write_text(
        "import sys\n"
        + "\n".join(
            f"sys.stderr.flush()\nprint({marker!r}, file=sys.stderr, flush=True)\n{c}" for _, c in cells
        )
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    chunks = done.stderr.split(marker)[1:]
    assert len(chunks) == len(cells)
    for (kind, source), chunk in zip(cells, chunks, strict=True):
        if kind == "control":
            assert "UserWarning" in chunk, "the stderr capture does not see a warning"
        elif kind == "test":
            assert chunk.strip() == "", f"a test cell wrote to stderr: {chunk[:500]!r}\n{source}"


def raw_hidden_cell(function: str) -> str:
    """The hidden test cell exactly as the notebook holds it."""
    nb = nbformat.read(ROOT / "source" / NOTEBOOKS[function] / f"{NOTEBOOKS[function]}.ipynb", as_version=4)
    return next(
        c.source
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == f"test_{function}_hidden"
    )
