"""Small helper package of the Keras regularization and normalization course.

Modules, one job each (import the one you need; nothing heavy happens here):

- ``helpers.setup``: one-call notebook set-up (quiet TensorFlow, seeds, plot style).
- ``helpers.datasets``: offline datasets and seeded ``tf.data`` pipelines.
- ``helpers.experiments``: the training runs shared by the lessons and the claims tests.
- ``helpers.claims``: the chapter's claims (experiment, number, bound), measured once; docs/claims.json.
- ``helpers.plotting``: figures (learning curves, weight histograms, boundaries, activations).
- ``helpers.checks``: model, layer, regularizer and compile inspection for the graded tests.
- ``helpers.grading``: one checker module per exercise, one ``check_<function>`` per graded function.
"""

import os as _os

# TensorFlow reads these when it is first imported; setting them here keeps its log banner out of
# notebooks that import ``helpers`` before TensorFlow. Values already set by the user win.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
_os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

__version__ = "1.0.0"
