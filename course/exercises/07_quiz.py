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
# # Exercise 7: Quiz
#
# 14 multiple-choice questions on the whole chapter. For each question, set the variable
# in the answer cell (`q1`, `q2`, ...) to the letter of the **one** true statement, as a string:
# `q1 = "b"`. Upper or lower case and surrounding spaces do not matter. The test cell below each answer
# only checks that your answer is one of the letters; the answers themselves are checked when the
# quiz is graded, and they carry most of the points. In your feedback, a wrong answer comes with why the
# option you chose is wrong.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
from helpers.setup import setup_notebook

setup_notebook(seed=0)

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-1", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 1
#
# Which of the following statements about regularization and normalization techniques in neural networks is true, according to the text?
#
# - **a.** L2 regularization drives many weights to exactly zero, which makes the model sparse.
# - **b.** Dropout permanently removes a fixed set of neurons from the network to make it smaller.
# - **c.** Batch normalization normalizes the activations inside the network, which stabilizes training and can reduce the number of epochs needed.
# - **d.** In Keras a penalty can only be applied to a layer's weight matrix, never to its bias or outputs.

# %% nbgrader={"grade": false, "grade_id": "q1", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 1: one letter as a string, e.g. q1 = "a"
### BEGIN SOLUTION
q1 = "c"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q1", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q1: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q1"), "q1", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q1_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q1: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": "L2 shrinks the weights but rarely makes them exactly zero; driving many weights to zero (sparsity) is what L1 does.",
    "b": "Dropout removes no neuron for good: at each training step it switches off a fresh random set of units, and at prediction time every unit is used.",
    "d": "Besides kernel_regularizer (the weight matrix), a Keras layer takes bias_regularizer (its biases) and activity_regularizer (its outputs).",
}
assert grading.check_quiz_answer(globals().get("q1"), "q1", "abcd", "c", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-2", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 2
#
# What does an L1 (Lasso) penalty on a layer's weights tend to do?
#
# - **a.** It makes all the weights equal.
# - **b.** It drives many weights to zero or very close to it, giving a sparse model.
# - **c.** It makes the weights larger, which speeds up training.
# - **d.** It only changes the layer's outputs, never its weights.

# %% nbgrader={"grade": false, "grade_id": "q2", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 2: one letter as a string, e.g. q2 = "a"
### BEGIN SOLUTION
q2 = "b"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q2", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q2: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q2"), "q2", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q2_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q2: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": "Nothing in the penalty l1 * sum(|w|) rewards weights for being equal to each other: it depends on each weight's own size only.",
    "c": "A penalty makes large weights cost more, so it pushes weights down, never up; and larger weights do not make training faster.",
    "d": "Given as kernel_regularizer, the penalty is computed from the weights and its gradient changes them; penalizing a layer's outputs is the job of activity_regularizer.",
}
assert grading.check_quiz_answer(globals().get("q2"), "q2", "abcd", "b", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-3", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 3
#
# Compared with L1, what does an L2 (Ridge) penalty tend to do to the weights?
#
# - **a.** It sets most of them to exactly zero.
# - **b.** It only penalizes the biases.
# - **c.** It increases their magnitude.
# - **d.** It keeps them small, but rarely exactly zero.

# %% nbgrader={"grade": false, "grade_id": "q3", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 3: one letter as a string, e.g. q3 = "a"
### BEGIN SOLUTION
q3 = "d"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q3", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q3: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q3"), "q3", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q3_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q3: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": "Many weights at (or near) zero is L1's signature: lesson 2 measured far more weights near zero with L1 than with L2.",
    "b": "An L2 penalty given as kernel_regularizer acts on the weight matrix; biases are penalized only through bias_regularizer.",
    "c": "A penalty on the weights makes large weights cost more, so it pushes them toward zero, not away from it.",
}
assert grading.check_quiz_answer(globals().get("q3"), "q3", "abcd", "d", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-4", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 4
#
# A model contains `layers.Dropout(rate=0.5)`. What does that layer do when you call `model.predict(x)`?
#
# - **a.** Nothing: dropout is only active during training, so every unit is used.
# - **b.** It sets half of the units' outputs to zero at random, as during training.
# - **c.** It multiplies every output by 0.5.
# - **d.** It sets the same half of the units' outputs to zero at every call.

# %% nbgrader={"grade": false, "grade_id": "q4", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 4: one letter as a string, e.g. q4 = "a"
### BEGIN SOLUTION
q4 = "a"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q4", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q4: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q4"), "q4", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q4_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q4: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "b": "Random zeroing happens in training mode (inside fit, or with training=True), and predict does not run the model in training mode.",
    "c": "Scaling every output by (1 - rate) at prediction time is the original dropout paper's scheme, not the one Keras uses (lesson 3 shows what a Keras Dropout layer does in each mode).",
    "d": "Dropout never uses a fixed set of units: in training a fresh random set is zeroed at each step, and predict does not run the model in training mode.",
}
assert grading.check_quiz_answer(globals().get("q4"), "q4", "abcd", "a", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-5", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 5
#
# In `layers.Dropout(rate=0.2)`, what is 0.2?
#
# - **a.** The fraction of the units that are kept at each training step.
# - **b.** The learning rate used for the layer before it.
# - **c.** The probability that each unit's output is set to zero at a training step.
# - **d.** The factor of an L2 penalty on the layer before it.

# %% nbgrader={"grade": false, "grade_id": "q5", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 5: one letter as a string, e.g. q5 = "a"
### BEGIN SOLUTION
q5 = "c"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q5", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q5: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q5"), "q5", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q5_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q5: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": "Dropout(0.2) keeps most of the units at each training step, not a fifth of them: a small rate means light dropout.",
    "b": "Dropout has no say in the learning rate: it is set on the optimizer (e.g. keras.optimizers.Adam(learning_rate=...)), for the whole model.",
    "d": "Dropout adds no penalty to the loss; an L2 factor is given to a layer's kernel_regularizer, e.g. regularizers.L2(0.2).",
}
assert grading.check_quiz_answer(globals().get("q5"), "q5", "abcd", "c", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-6", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 6
#
# In `Dense(64, kernel_regularizer=regularizers.l2(0.01), activity_regularizer=regularizers.l1(0.001))`, what does the activity regularizer penalize?
#
# - **a.** The layer's weight matrix.
# - **b.** The layer's outputs (its activations).
# - **c.** The layer's bias vector.
# - **d.** The optimizer's learning rate.

# %% nbgrader={"grade": false, "grade_id": "q6", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 6: one letter as a string, e.g. q6 = "a"
### BEGIN SOLUTION
q6 = "b"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q6", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q6: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q6"), "q6", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q6_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q6: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": "The weight matrix is what kernel_regularizer penalizes, here l2(0.01); the activity regularizer is another argument with another target.",
    "c": "The bias vector is what bias_regularizer penalizes, and this layer does not set it.",
    "d": "No regularizer touches the learning rate, which belongs to the optimizer; a regularizer adds a penalty to the loss.",
}
assert grading.check_quiz_answer(globals().get("q6"), "q6", "abcd", "b", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-7", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 7
#
# Which Keras construct applies an Elastic Net penalty (L1 and L2 together) to a layer's weights?
#
# - **a.** `kernel_regularizer=regularizers.l2(0.01)` written twice.
# - **b.** `Dropout(0.5)` followed by `BatchNormalization()`.
# - **c.** `kernel_regularizer=regularizers.OrthogonalRegularizer()`.
# - **d.** `kernel_regularizer=regularizers.l1_l2(l1=0.01, l2=0.01)`.

# %% nbgrader={"grade": false, "grade_id": "q7", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 7: one letter as a string, e.g. q7 = "a"
### BEGIN SOLUTION
q7 = "d"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q7", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q7: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q7"), "q7", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q7_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q7: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": "Python refuses the same keyword argument twice, and two L2 penalties would still be an L2 penalty: Elastic Net needs an L1 part.",
    "b": "Dropout and BatchNormalization are layers, not penalties: neither adds an L1 or an L2 term to the loss.",
    "c": "OrthogonalRegularizer penalizes how far the kernel's rows (or columns) are from being orthogonal to each other, not the sum of |w| and of w**2.",
}
assert grading.check_quiz_answer(globals().get("q7"), "q7", "abcd", "d", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-8", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 8
#
# Which statement about a `BatchNormalization()` layer is true?
#
# - **a.** During training it normalizes each feature with the mean and variance of the current batch; at inference it uses moving averages of those statistics collected during training.
# - **b.** It makes a validation set unnecessary.
# - **c.** It normalizes the input data once, before training starts, and does nothing afterwards.
# - **d.** It is a weight penalty added to the loss, like L2.

# %% nbgrader={"grade": false, "grade_id": "q8", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 8: one letter as a string, e.g. q8 = "a"
### BEGIN SOLUTION
q8 = "a"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q8", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q8: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q8"), "q8", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q8_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q8: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "b": "Batch normalization changes how a network trains, not how you measure it: only validation data tells you whether the model generalizes or overfits (lesson 4's network with BatchNormalization still overfitted).",
    "c": "BatchNormalization is a layer that works at every forward pass, in training and at inference; scaling the input data once before training is ordinary preprocessing.",
    "d": "BatchNormalization adds no term to the loss: it transforms the activations that pass through it, and its gamma and beta are trained like any other weights.",
}
assert grading.check_quiz_answer(globals().get("q8"), "q8", "abcd", "a", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-9", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 9
#
# After 60 epochs a model has a training accuracy of 0.99 and a validation accuracy of 0.80, and its validation loss has been rising since epoch 15. What is the best reading and response?
#
# - **a.** It underfits: make the network larger and train longer.
# - **b.** It fits well: the gap between training and validation accuracy is expected.
# - **c.** It overfits: add regularization (a penalty, dropout) or stop training near epoch 15.
# - **d.** The validation data must be wrong, because training accuracy is high.

# %% nbgrader={"grade": false, "grade_id": "q9", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 9: one letter as a string, e.g. q9 = "a"
### BEGIN SOLUTION
q9 = "c"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q9", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q9: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q9"), "q9", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q9_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q9: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": "Underfitting shows as a low training accuracy; at 0.99 the network already fits its training data, and a larger one trained longer would widen the gap.",
    "b": "A validation loss that keeps rising for dozens of epochs while training accuracy is near perfect is not a normal gap: the network is learning things about its training data that do not hold on new data.",
    "d": "A high training accuracy is no evidence against the validation data: a network that memorizes its training examples, noisy labels included, scores high on them and lower on new data.",
}
assert grading.check_quiz_answer(globals().get("q9"), "q9", "abcd", "c", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-10", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 10
#
# A layer's kernel holds the two weights `1.0` and `-2.0`, and the layer has `kernel_regularizer=regularizers.L2(0.01)`. What penalty does Keras add to the loss for this kernel?
#
# - **a.** `0.01 * (abs(1.0) + abs(-2.0))`, that is 0.03.
# - **b.** `0.5 * 0.01 * (1.0**2 + (-2.0)**2)`, that is 0.025.
# - **c.** `0.01 * sqrt(1.0**2 + (-2.0)**2)`, that is 0.0224 (rounded).
# - **d.** `0.01 * (1.0**2 + (-2.0)**2)`, that is 0.05.

# %% nbgrader={"grade": false, "grade_id": "q10", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 10: one letter as a string, e.g. q10 = "a"
### BEGIN SOLUTION
q10 = "d"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q10", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q10: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q10"), "q10", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q10_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q10: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": "Summing the absolute values of the weights is the L1 penalty's formula; an L2 penalty is built from the squared weights.",
    "b": "The factor 1/2 is a textbook convention (it makes the gradient of the penalty l2 * w); Keras's regularizers.L2 has no 1/2 in front (lesson 2).",
    "c": "The square root turns the sum of squares into the length (Euclidean norm) of the weight vector; Keras's L2 penalty takes no square root.",
}
assert grading.check_quiz_answer(globals().get("q10"), "q10", "abcd", "d", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-11", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 11
#
# A `layers.Dropout(rate=0.5)` layer receives the vector `[1, 1, 1, 1]`, once while the model trains (inside `fit`) and once while it predicts (inside `predict`). Which pair of outputs can Keras produce?
#
# - **a.** Training: `[2, 0, 0, 2]`; prediction: `[1, 1, 1, 1]`.
# - **b.** Training: `[1, 0, 0, 1]`; prediction: `[0.5, 0.5, 0.5, 0.5]`.
# - **c.** Training: `[1, 0, 0, 1]`; prediction: `[1, 1, 1, 1]`.
# - **d.** Training: `[2, 0, 0, 2]`; prediction: `[2, 0, 0, 2]`.

# %% nbgrader={"grade": false, "grade_id": "q11", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 11: one letter as a string, e.g. q11 = "a"
### BEGIN SOLUTION
q11 = "a"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q11", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q11: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q11"), "q11", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q11_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q11: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "b": "Multiplying every output by (1 - rate) at prediction time is the original dropout paper's scheme; a Keras Dropout layer does no scaling at all in inference mode.",
    "c": "In training mode Keras does not leave the surviving outputs as they are: it divides them by (1 - rate), so that each output has the same average in training and at prediction time (inverted dropout).",
    "d": "Dropout zeroes units only in training mode; predict runs the model in inference mode, where no output is zeroed.",
}
assert grading.check_quiz_answer(globals().get("q11"), "q11", "abcd", "a", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-12", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 12
#
# You train for up to 60 epochs with `keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)`. The validation loss is lowest at epoch 12 and never improves afterwards, so training stops after epoch 17. Which weights does the model hold when `fit` returns?
#
# - **a.** The weights of epoch 17, the last epoch trained.
# - **b.** The weights it had before training started.
# - **c.** The weights of epoch 12, the epoch with the lowest validation loss.
# - **d.** The weights of the epoch with the highest training accuracy.

# %% nbgrader={"grade": false, "grade_id": "q12", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 12: one letter as a string, e.g. q12 = "a"
### BEGIN SOLUTION
q12 = "c"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q12", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q12: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q12"), "q12", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q12_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q12: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": "The last epoch's weights, patience epochs past the best one, are what you keep with restore_best_weights=False (the default); this callback sets it to True.",
    "b": "EarlyStopping never undoes training: restore_best_weights puts back weights the model reached during training, not the ones it started from.",
    "d": "The callback only looks at the quantity it monitors, here val_loss; training accuracy plays no part in which weights it keeps (and it is usually highest once the model overfits).",
}
assert grading.check_quiz_answer(globals().get("q12"), "q12", "abcd", "c", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-13", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 13
#
# The chapter's model is `Dense(64, activation="relu", kernel_regularizer=l1_l2(l1=0.01, l2=0.01))` → `BatchNormalization()` → `Dropout(0.5)` → `Dense(num_classes, activation="softmax")`. Which statement about where its `BatchNormalization` layer sits is true?
#
# - **a.** BatchNormalization only works as the first layer of a model, on the raw inputs; placed after a hidden `Dense` layer it has no effect.
# - **b.** It normalizes the hidden layer's outputs before `Dropout`, so in training it sees no dropped units, just as at inference, where dropout is off.
# - **c.** Placing it after the relu activation is a mistake: BatchNormalization only works between a `Dense` layer and its activation, as in the original paper.
# - **d.** Its position does not matter: moving it after the softmax output layer would give the same model, with the same outputs.

# %% nbgrader={"grade": false, "grade_id": "q13", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 13: one letter as a string, e.g. q13 = "a"
### BEGIN SOLUTION
q13 = "b"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q13", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q13: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q13"), "q13", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q13_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q13: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": "BatchNormalization normalizes whatever reaches it, wherever it sits: lesson 4 shows it centring and scaling the activations deep inside a network, far from the inputs.",
    "c": "Both orders are used and both work: after the activation (the chapter's order) and before it (the original batch-normalization paper's); lesson 4 compares the two.",
    "d": "After a softmax, BatchNormalization would re-centre and re-scale the class probabilities, so the model's outputs would no longer be probabilities that sum to 1: the position changes what the model computes.",
}
assert grading.check_quiz_answer(globals().get("q13"), "q13", "abcd", "b", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-14", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 14
#
# A trained model contains `BatchNormalization` and `Dropout` layers. To estimate how uncertain its predictions are with Monte-Carlo dropout, you average 30 calls of `model(x, training=True)`. What is wrong with that?
#
# - **a.** `training=True` also puts `BatchNormalization` in training mode: it normalizes with the batch's own statistics and updates its moving averages at every call. Only `Dropout` should be active.
# - **b.** Nothing: `training=True` only switches the `Dropout` layers to training mode, and every other layer behaves exactly as in `predict`.
# - **c.** Each call with `training=True` runs the optimizer, so the kernel weights take a gradient step at every call and the model drifts.
# - **d.** `training=True` switches dropout off; Monte-Carlo dropout needs `training=False`, the mode in which dropout zeroes units at random.

# %% nbgrader={"grade": false, "grade_id": "q14", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 14: one letter as a string, e.g. q14 = "a"
### BEGIN SOLUTION
q14 = "a"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q14", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q14: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q14"), "q14", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q14_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q14: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "b": "The argument training=True is passed down to every layer of the model that has a training mode, not only to the Dropout layers.",
    "c": "Calling a model never runs the optimizer: gradient steps happen in fit (or in a training step you write yourself), so model(x, training=True) leaves the kernel weights as they are.",
    "d": "It is the other way round: training=True switches Dropout on (random units zeroed at each call), and training=False, what predict uses, switches it off.",
}
assert grading.check_quiz_answer(globals().get("q14"), "q14", "abcd", "a", why=why)
### END HIDDEN TESTS
