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
# 9 multiple-choice questions on the whole chapter. For each question, set the variable
# in the answer cell (`q1`, `q2`, ...) to the letter of the **one** true statement, as a string:
# `q1 = "b"`. Upper or lower case and surrounding spaces do not matter. The test cell below each answer
# only checks that your answer is one of the letters; the answers themselves are checked when the
# quiz is graded, and they carry most of the points.

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
"""Hidden test of q1: the answer."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_quiz_answer(globals().get("q1"), "q1", "abcd", "c")
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
"""Hidden test of q2: the answer."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_quiz_answer(globals().get("q2"), "q2", "abcd", "b")
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
"""Hidden test of q3: the answer."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_quiz_answer(globals().get("q3"), "q3", "abcd", "d")
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
"""Hidden test of q4: the answer."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_quiz_answer(globals().get("q4"), "q4", "abcd", "a")
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
"""Hidden test of q5: the answer."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_quiz_answer(globals().get("q5"), "q5", "abcd", "c")
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
"""Hidden test of q6: the answer."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_quiz_answer(globals().get("q6"), "q6", "abcd", "b")
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
"""Hidden test of q7: the answer."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_quiz_answer(globals().get("q7"), "q7", "abcd", "d")
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
"""Hidden test of q8: the answer."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_quiz_answer(globals().get("q8"), "q8", "abcd", "a")
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
"""Hidden test of q9: the answer."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_quiz_answer(globals().get("q9"), "q9", "abcd", "c")
### END HIDDEN TESTS
