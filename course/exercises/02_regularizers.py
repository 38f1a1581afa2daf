# ---
# jupyter:
#   jupytext:
#     notebook_metadata_filter: kernelspec,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (course)
#     language: python
#     name: python3
# ---

# %% [markdown] nbgrader={"grade": false, "grade_id": "title", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Exercise 2: L1, L2 and Elastic Net regularization
#
# Graded exercises for section 2 of the chapter. Write each function in its answer cell (replace
# `raise NotImplementedError()`), run it, then run the test cell below it. Hidden tests check the same
# functions again on other inputs when your notebook is graded. Run the whole notebook from the top
# before you submit.

# %% [markdown] nbgrader={"grade": false, "grade_id": "recap", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Recap
#
# A weight penalty is added to the loss, so training trades fitting the data against keeping the
# weights small:
#
# | penalty | Keras | adds to the loss | effect on the weights |
# |---|---|---|---|
# | L1 (Lasso) | `regularizers.L1(l1)` or `regularizers.l1(l1)` | `l1 * sum(abs(w))` | many end near zero (trained by gradient steps, not exactly 0.0): sparse |
# | L2 (Ridge, weight decay) | `regularizers.L2(l2)` or `regularizers.l2(l2)` | `l2 * sum(w ** 2)` | small, rarely zero |
# | Elastic Net | `regularizers.L1L2(l1=..., l2=...)` or `regularizers.l1_l2(...)` | both terms | sparse and small |
#
# Note that Keras's L2 penalty has **no factor 1/2** in front. `regularizers.l1_l2()` called without
# arguments uses zero factors: it adds nothing.
#
# A Keras layer takes three regularizer arguments:
#
# * `kernel_regularizer`: penalizes the weight matrix (the usual choice),
#   e.g. `layers.Dense(units=64, kernel_regularizer=regularizers.l2(0.01))`;
# * `bias_regularizer`: penalizes the bias vector;
# * `activity_regularizer`: penalizes the layer's **outputs**, pushing activations towards zero.
#
# Keras collects the penalties in `model.losses` and adds them to the training loss. On the course's
# noisy digits benchmark the lessons measured (three seeds) a validation accuracy of 0.80<!-- claim e6 --> for a large
# unregularized network and 0.89<!-- claim e7 --> with `L2(0.01)`; with `L1(1e-3)` 80 %<!-- claim b1 --> of the hidden kernel
# weights end up below 1e-3 in absolute value, against 0.8 %<!-- claim b2 --> without a penalty.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
from helpers.setup import setup_notebook

setup_notebook(seed=0)

import keras
import numpy as np
from keras import layers, regularizers

from helpers.experiments import benchmark_split, fit


# %% [markdown] nbgrader={"grade": false, "grade_id": "ex-penalties", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2.1 - 2.3 The penalties in NumPy (9 points)
#
# Write the three penalties with NumPy only. Each takes an array of weights of any shape and returns a
# float equal (to a relative 1e-5) to what Keras computes: the tests compare your values with
# `keras.regularizers.L1(factor)(w)`, `L2(factor)(w)` and `L1L2(l1=l1, l2=l2)(w)` on random arrays.
#
# * `l1_penalty(weights, factor)`: `factor` times the sum of the absolute values;
# * `l2_penalty(weights, factor)`: `factor` times the sum of the squares;
# * `elastic_net_penalty(weights, l1, l2)`: the sum of both, with their own factors.


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-l1_penalty", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# `np.abs` and `np.sum` work on arrays of any shape; multiply by the factor and convert the result with `float(...)`.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "l1_penalty", "locked": false, "schema_version": 3, "solution": true, "task": false}
def l1_penalty(weights, factor):
    """L1 penalty factor * sum(|w|) of a NumPy array, as a float."""
    ### BEGIN SOLUTION
    return float(factor * np.sum(np.abs(weights)))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_l1_penalty", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of l1_penalty: a random 6x4 array, factor 0.01, compared with keras.regularizers.L1."""
from helpers.grading import check_l1_penalty

assert check_l1_penalty(l1_penalty)

# %% nbgrader={"grade": true, "grade_id": "test_l1_penalty_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of l1_penalty: other shapes (1-D to 3-D) and factors (zero included)."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

shapes = [(7,), (3, 5, 2), (1, 1), (40, 30)]
assert grading.check_l1_penalty(l1_penalty, seed=31, shapes=shapes, factors=(0.3, 1e-4, 0.0))
### END HIDDEN TESTS


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-l2_penalty", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# Square each weight (`np.square` or `** 2`), sum, multiply by the factor. Keras puts no 1/2 in front.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "l2_penalty", "locked": false, "schema_version": 3, "solution": true, "task": false}
def l2_penalty(weights, factor):
    """L2 penalty factor * sum(w ** 2) of a NumPy array, as a float."""
    ### BEGIN SOLUTION
    return float(factor * np.sum(np.square(weights)))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_l2_penalty", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of l2_penalty: a random 6x4 array, factor 0.01, compared with keras.regularizers.L2."""
from helpers.grading import check_l2_penalty

assert check_l2_penalty(l2_penalty)

# %% nbgrader={"grade": true, "grade_id": "test_l2_penalty_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of l2_penalty: other shapes (1-D to 3-D) and factors (zero included)."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

shapes = [(9,), (2, 3, 4), (1, 1), (30, 40)]
assert grading.check_l2_penalty(l2_penalty, seed=32, shapes=shapes, factors=(0.5, 2e-4, 0.0))
### END HIDDEN TESTS


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-elastic_net_penalty", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# Elastic Net is the L1 term with its own factor plus the L2 term with its own factor: you wrote both above.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "elastic_net_penalty", "locked": false, "schema_version": 3, "solution": true, "task": false}
def elastic_net_penalty(weights, l1, l2):
    """Elastic Net penalty l1 * sum(|w|) + l2 * sum(w ** 2) of a NumPy array, as a float."""
    ### BEGIN SOLUTION
    return float(l1 * np.sum(np.abs(weights)) + l2 * np.sum(np.square(weights)))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_elastic_net_penalty", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of elastic_net_penalty: a random 6x4 array, l1=0.01 and l2=0.02, compared with L1L2."""
from helpers.grading import check_elastic_net_penalty

assert check_elastic_net_penalty(elastic_net_penalty)

# %% nbgrader={"grade": true, "grade_id": "test_elastic_net_penalty_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of elastic_net_penalty: other shapes and factor pairs (one of them zero)."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

shapes = [(5,), (4, 2, 3), (25, 10)]
factors = [(0.003, 0.07), (0.2, 0.0), (0.0, 0.05)]
assert grading.check_elastic_net_penalty(elastic_net_penalty, seed=33, shapes=shapes, factors=factors)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ex-model", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2.4 A regularized model (3 points)
#
# Write `build_regularized_model(input_dim, num_classes, kind="l2", factor=0.01)` that returns a
# `keras.Sequential` model (not compiled):
#
# 1. an input of `input_dim` features (`keras.Input(shape=(input_dim,))`);
# 2. `Dense(64, activation="relu")` with a **kernel** regularizer chosen by `kind`:
#    `"l1"` gives `L1(factor)`, `"l2"` gives `L2(factor)`, `"elastic_net"` gives
#    `L1L2(l1=factor, l2=factor)`;
# 3. `Dense(num_classes, activation="softmax")` without any regularizer.
#
# Any other `kind` raises `ValueError`. Use the arguments: the hidden tests build models of other
# sizes.


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-build_regularized_model", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# Choose the regularizer object first (`regularizers.L1`, `L2` or `L1L2(l1=..., l2=...)`) from `kind`, then pass it as `kernel_regularizer=` to the hidden `Dense` layer only.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# For an unknown `kind`, raise `ValueError` with a message that lists the accepted values. Start the model with `keras.Input(shape=(input_dim,))`.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "build_regularized_model", "locked": false, "schema_version": 3, "solution": true, "task": false}
def build_regularized_model(input_dim, num_classes, kind="l2", factor=0.01):
    """Dense(64, relu) with an L1, L2 or Elastic Net kernel penalty, then a softmax output layer."""
    ### BEGIN SOLUTION
    if kind == "l1":
        penalty = regularizers.L1(factor)
    elif kind == "l2":
        penalty = regularizers.L2(factor)
    elif kind == "elastic_net":
        penalty = regularizers.L1L2(l1=factor, l2=factor)
    else:
        raise ValueError(f"kind must be 'l1', 'l2' or 'elastic_net', got {kind!r}")
    return keras.Sequential(
        [
            keras.Input(shape=(input_dim,)),
            layers.Dense(64, activation="relu", kernel_regularizer=penalty),
            layers.Dense(num_classes, activation="softmax"),
        ]
    )
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_build_regularized_model", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of build_regularized_model: 64 inputs, 10 classes, the three kinds, an unknown kind."""
from helpers.grading import check_build_regularized_model

assert check_build_regularized_model(build_regularized_model)

# %% nbgrader={"grade": true, "grade_id": "test_build_regularized_model_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of build_regularized_model: other sizes and factor, other unknown kinds."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_build_regularized_model(
    build_regularized_model,
    input_dim=20,
    num_classes=3,
    factor=0.003,
    invalid_kinds=("dropout", "l1l2", "L2 "),
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ex-layer", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2.5 The three regularizer arguments (3 points)
#
# Write `build_penalized_layer(units)` that returns a **layer** (not a model):
# `Dense(units, activation="relu")` with `kernel_regularizer=L2(0.01)`, `bias_regularizer=L2(0.01)`
# and `activity_regularizer=L1(0.001)`. Create a new layer at each call.


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-build_penalized_layer", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# A `Dense` layer takes three separate arguments: `kernel_regularizer`, `bias_regularizer` and `activity_regularizer`. Each gets its own regularizer object.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "build_penalized_layer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def build_penalized_layer(units):
    """Dense(units, relu) with L2(0.01) on kernel and bias and L1(0.001) on its activity."""
    ### BEGIN SOLUTION
    return layers.Dense(
        units,
        activation="relu",
        kernel_regularizer=regularizers.L2(0.01),
        bias_regularizer=regularizers.L2(0.01),
        activity_regularizer=regularizers.L1(0.001),
    )
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_build_penalized_layer", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of build_penalized_layer: a 32-unit layer, its activation and its three regularizers."""
from helpers.grading import check_build_penalized_layer

assert check_build_penalized_layer(build_penalized_layer)

# %% nbgrader={"grade": true, "grade_id": "test_build_penalized_layer_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of build_penalized_layer: other numbers of units."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_build_penalized_layer(build_penalized_layer, units=(7, 128))
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ex-sparsity", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2.6 Measuring sparsity (3 points)
#
# Write `sparsity(model, threshold=1e-3)` that returns the fraction (a float between 0 and 1) of the
# **kernel** weights of **all** `Dense` layers of `model` whose absolute value is **below** `threshold`.
#
# * Pool the kernels: count tiny weights over all Dense kernels together, then divide by the total
#   number of kernel weights (do not average per-layer fractions).
# * Ignore biases and the weights of other layers (e.g. BatchNormalization).
# * `layer.kernel` holds a Dense layer's weight matrix; `np.asarray(layer.kernel)` gives its values.


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-sparsity", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# Every `layers.Dense` layer of `model.layers` has a `kernel` (convert it with `np.asarray`). Pool the absolute values of all kernels before you count: the fraction is over all weights together, not an average of per-layer fractions.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# The mean of a boolean array is the fraction of `True` values.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "sparsity", "locked": false, "schema_version": 3, "solution": true, "task": false}
def sparsity(model, threshold=1e-3):
    """Fraction of the Dense kernel weights of `model` whose absolute value is below `threshold`."""
    ### BEGIN SOLUTION
    kernels = [np.asarray(layer.kernel) for layer in model.layers if isinstance(layer, layers.Dense)]
    values = np.concatenate([np.abs(k).ravel() for k in kernels])
    return float(np.mean(values < threshold))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_sparsity", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of sparsity: a Sequential model with two Dense layers and a BatchNormalization layer."""
from helpers.grading import check_sparsity

assert check_sparsity(sparsity)

# %% nbgrader={"grade": true, "grade_id": "test_sparsity_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of sparsity: a functional model with three Dense layers, another threshold."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_sparsity(
    sparsity, seed=36, sizes=(20, 16, 8, 3), fractions=(0.25, 0.5, 0.75), threshold=0.05, functional=True
)
assert grading.check_sparsity(sparsity, seed=37, sizes=(6, 30, 5), fractions=(0.1, 0.9))
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "try-it", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Try it: L1 makes weights exactly small
#
# Train your regularized model with an L1 penalty and without one (factor 0) on the benchmark for 30
# epochs each, and compare the sparsity of their kernels. Try other factors and kinds.

# %% id="try-it-code" tags=["nbval-ignore-output"]
split = benchmark_split(seed=0)
for factor in (0.0, 1e-3):
    keras.utils.set_random_seed(0)
    model = build_regularized_model(split.input_dim, split.num_classes, kind="l1", factor=factor)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    history = fit(model, split, epochs=30, seed=0)
    print(
        f"L1({factor:g}): sparsity {sparsity(model):.1%}, "
        f"validation accuracy {history.history['val_accuracy'][-1]:.3f}"
    )
