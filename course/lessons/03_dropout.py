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

# %% id="dropout-00"
from helpers.setup import setup_notebook

setup_notebook(seed=0)  # quiet TensorFlow, fixed seeds, plot style: run this cell first

# %% [markdown] id="dropout-01"
# # Lesson 3 · Dropout
#
# Dropout attacks overfitting from another side than penalties. At every training step, each unit feeding a
# `Dropout` layer is switched off (its output set to 0) with probability `rate`, and a fresh random choice is
# made at the next step. Why this helps:
#
# * A unit cannot count on any particular other unit being present, so it has to be useful on its own;
#   elaborate co-adaptations, the kind needed to memorize individual noisy examples, keep being broken.
# * Each step trains a different "thinned" network; all of them share the same weights. At prediction time the
#   full network acts roughly like an average of this huge ensemble.
#
# Only during training. At inference every unit is kept. To make the two modes agree on average, Keras uses
# **inverted dropout**: during training the surviving outputs are multiplied by $1/(1-\text{rate})$, so the
# expected value of each output is unchanged and nothing needs rescaling at inference.

# %% [markdown] id="dropout-02"
# ## In Keras
#
# The chapter's `Dropout(rate=0.5)` is a layer placed after the layer whose outputs it drops:

# %% id="dropout-03"
import keras
import numpy as np
from keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        layers.Dense(64, activation="relu"),
        layers.Dropout(rate=0.5),
        layers.Dense(10, activation="softmax"),
    ]
)
[type(layer).__name__ for layer in model.layers]

# %% [markdown] id="dropout-04"
# `Dropout` has no weights, so it adds nothing to the parameter count. `fit` calls the model in training mode
# (dropout active); `predict`, `evaluate` and the validation pass inside `fit` call it in inference mode
# (dropout off). You can choose explicitly with `model(x, training=True)`.
#
# ## Watching the layer work
#
# Here is a `Dropout(0.5)` layer applied to a vector of ones, in both modes. In training mode about half of the
# outputs are 0 and every survivor is $1/(1-0.5) = 2$; in inference mode the input passes unchanged.

# %% id="dropout-05"
from helpers import experiments as ex
from helpers import plotting

found = ex.dropout_behaviour(rate=0.5)
print(
    f"training mode:  {found['dropped_fraction']:.1%} of the outputs are 0, survivors equal {found['survivor_value']:.3f} "
    f"(expected {found['expected_survivor_value']:.3f}), mean output {found['train_mean']:.3f}"
)
print(f"inference mode: largest change of the input {found['inference_max_change']}")

drop = layers.Dropout(rate=0.5, seed=0)
ones = np.ones((6, 64), dtype="float32")
masks = [np.asarray(drop(ones, training=True))[i] for i in range(6)] + [
    np.asarray(drop(ones, training=False))[0]
]
plotting.image_grid(
    masks,
    titles=[f"training {i + 1}" for i in range(6)] + ["inference"],
    ncols=7,
    cmap="Greens",
    vmin=0,
    vmax=2,
    title="Dropout(0.5) on 64 ones, as 8x8: white = 0 (dropped), dark = 2 (kept, doubled), mid = 1",
)

# %% [markdown] id="dropout-06"
# ## The experiment: dropout against overfitting
#
# The large network of lesson 1 (2×256, which memorizes the wrong labels), trained twice on the benchmark with
# the same seed: as it is, and with `Dropout(0.5)` after each hidden layer.

# %% id="dropout-07"
result = ex.dropout_experiment(seed=0)
ex.runs_table(result.runs)

# %% id="dropout-08"
plotting.learning_curves(
    result.runs,
    metrics=("loss", "accuracy"),
    mark_best=True,
    title="2x256 network without and with Dropout(0.5)",
)

# %% [markdown] id="dropout-09"
# With dropout the validation loss no longer turns up, and the final validation accuracy is clearly higher.
#
# The *training* accuracy with dropout ends up **below** the validation accuracy, for two reasons: Keras
# measures the training accuracy during the epoch, with half of the units switched off, and the training labels
# are 20 % wrong while the validation labels are clean. A network that refuses to learn the wrong labels
# cannot score much above 80 % on them.

# %% id="dropout-10"
plotting.metric_bars(
    {
        name: {"train accuracy": run.train_accuracy, "validation accuracy": run.val_accuracy}
        for name, run in result.runs.items()
    },
    ylabel="accuracy (last epoch)",
    ylim=(0, 1.1),
)

# %% [markdown] id="dropout-11"
# ## Dropout at prediction time
#
# After training, `predict` uses the full network, so predictions are deterministic. Calling the model with
# `training=True` keeps dropout active: each call gives a different prediction. Averaging many such calls, and
# looking at how much they disagree, is **Monte-Carlo dropout**, a cheap estimate of the model's uncertainty
# (you will write it in the exercise).

# %% id="dropout-12"
net = result.runs["Dropout(0.5)"].model
digit = ex.benchmark_split(seed=0).x_val[:1]
print(
    "inference mode, twice:",
    np.round(np.asarray(net(digit, training=False))[0, :4], 3),
    np.round(np.asarray(net(digit, training=False))[0, :4], 3),
)
print(
    "training mode, twice: ",
    np.round(np.asarray(net(digit, training=True))[0, :4], 3),
    np.round(np.asarray(net(digit, training=True))[0, :4], 3),
)

# %% [markdown] id="dropout-13"
# ## What we measured
#
# * A Keras `Dropout(0.5)` layer zeroes half of its inputs in training mode and doubles the survivors; in
#   inference mode it changes nothing (claims c3–c5).
# * On the benchmark, Dropout(0.5) after each hidden layer of the 2×256 network raised the validation accuracy
#   by 0.09 ± 0.01<!-- claim c1 --> and shrank the train–validation gap by 0.27 ± 0.01<!-- claim c2 --> (three seeds): from
#   0.80<!-- claim e6 --> to 0.89<!-- claim e8 --> validation accuracy.
# * It cost nothing in parameters; the price is slower progress per epoch, since each step trains only part of
#   the network.

# %% [markdown] id="dropout-14"
# ## Your turn
#
# Exercise: [`release/03_dropout/03_dropout.ipynb`](../release/03_dropout/03_dropout.ipynb). You will
# implement inverted dropout with NumPy, build a network with two dropout layers, and write Monte-Carlo dropout
# predictions.
