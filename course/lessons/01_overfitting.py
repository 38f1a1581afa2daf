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

# %% id="overfitting-00"
from helpers.setup import setup_notebook

setup_notebook(seed=0)  # quiet TensorFlow, fixed seeds, plot style: run this cell first

# %% [markdown] id="overfitting-01"
# # Lesson 1 · Overfitting and underfitting
#
# A network is trained on one set of examples and used on others. Everything in this chapter follows from
# that gap:
#
# * a model **overfits** when it fits the training examples *including their accidents* (noise, mislabelled
#   images, quirks of this particular sample) instead of the pattern that also holds for new examples: its
#   training score keeps improving while its validation score stalls or gets worse;
# * a model **underfits** when it cannot even fit the training examples, because it is too simple or too
#   constrained: both scores stay low.
#
# In this lesson we do not take these statements on trust: we train three networks of different size on the
# same data and *measure* both behaviours. Every number printed below comes from the run you just made
# (seeded, so you should see the same values).

# %% [markdown] id="overfitting-02"
# ## The course benchmark: few examples, some wrong labels
#
# We use scikit-learn's 8×8 handwritten digits (shipped with the library, no download). The benchmark used
# throughout the course keeps **300 training images** and replaces **20 % of their labels by a wrong class**,
# as careless annotation would; the remaining **1,497 images, with correct labels**, are the validation set.
#
# Why make life hard on purpose? With plenty of clean data a big network generalizes well and regularization
# has little to fix. Overfitting needs a model with more freedom than the data can pin down, and something in
# the training set that is not true in general. A few hundred examples with wrong labels provide both.

# %% id="overfitting-03"
import numpy as np

from helpers import experiments as ex
from helpers import plotting
from helpers.datasets import load_digits_split

split = ex.benchmark_split(seed=0)
clean = load_digits_split(n_train=300, label_noise=0.0, seed=0)  # the same images with their true labels

print(f"training images: {split.x_train.shape}, validation images: {split.x_val.shape}")
print(f"{split.flipped} of {len(split.y_train)} training labels were replaced by a wrong class")

# %% id="overfitting-04"
n = 24
titles = [
    str(y) if y == t else f"{y} (is {t})" for y, t in zip(split.y_train[:n], clean.y_train[:n], strict=True)
]
plotting.image_grid(
    split.x_train[:n],
    titles=titles,
    ncols=12,
    title="The first training digits and the labels the network is given",
)

# %% [markdown] id="overfitting-05"
# ## Three networks, three capacities
#
# All three are trained the same way (Adam, batch size 32, 60 epochs, categorical cross-entropy, same seed);
# essentially only their size differs:
#
# | network | hidden layers | role |
# |---|---|---|
# | too simple | 1 layer of 2 units | squeezes each 64-pixel image through 2 numbers |
# | moderate | 1 layer of 64 units | enough for 10 digit shapes |
# | too complex | 2 layers of 256 units | 85,002 weights and biases for 300 examples |
#
# The 2-unit network uses `tanh` (a `relu` unit can switch off for good, and with only two of them the
# network would be broken rather than simple) and a larger learning rate (0.01), so that slow training is not
# the reason it falls short.
#
# `helpers.experiments.overfitting_experiment` trains the two extremes; it is the very function the course's
# tests run over three seeds to check this lesson's claims.

# %% id="overfitting-06"
result = ex.overfitting_experiment(seed=0)
runs = {
    "too simple (1x2)": result.runs["too simple"],
    "moderate (1x64)": ex.train(ex.PLAIN_64, seed=0),
    "too complex (2x256)": result.runs["too complex"],
}
for name, run in runs.items():
    print(f"{name:20s} {run.model.count_params():6,d} weights   ({run.spec.describe()})")
ex.runs_table(runs)

# %% [markdown] id="overfitting-07"
# ## Reading learning curves
#
# A *learning curve* plots a score after every epoch, once on the training data and once on the validation
# data. The top row below shows the loss (lower is better), the bottom row the accuracy; the dotted line marks
# the best validation epoch: lowest validation loss in the top row, highest validation accuracy below.

# %% id="overfitting-08"
plotting.learning_curves(
    runs, metrics=("loss", "accuracy"), mark_best=True, title="Same data, same training, three capacities"
)

# %% [markdown] id="overfitting-09"
# What the curves say:
#
# * **Too complex.** Training accuracy climbs to (almost) 100 %: the network has learned the 60 wrong labels
#   too. Its validation loss reaches its lowest point after a dozen or two epochs and then *rises* while the
#   training loss keeps falling: the network becomes more and more confident, including about the mistakes it
#   memorized. That widening gap is the signature of overfitting.
# * **Too simple.** Both accuracies stay low and close together: ten digit shapes do not fit through two
#   numbers. That is underfitting. The curves are still creeping up, but slowly: two units are the
#   bottleneck, and more capacity fixes that where more epochs barely do (try
#   `overfitting_experiment(epochs=120)`).
# * **Moderate.** Training accuracy settles near 80 % (the share of *correct* training labels) and validation
#   accuracy is higher. A training score *below* the validation score is no bug here: the training labels are
#   20 % wrong, the validation labels are clean. This network learned the digits, not the noise.
#
# We can check the "it learned the noise" explanation directly: on the training images whose label was
# replaced, which label does each network predict, the wrong one it was taught or the true digit?

# %% id="overfitting-10"
flipped = split.y_train != clean.y_train
for name, run in runs.items():
    predicted = ex.predict_labels(run.model, split.x_train[flipped])
    taught = (predicted == split.y_train[flipped]).mean()
    true = (predicted == clean.y_train[flipped]).mean()
    print(f"{name:20s} predicts the wrong taught label on {taught:4.0%}, the true digit on {true:4.0%}")

# %% id="overfitting-11"
large = result.runs["too complex"]
print(
    f"too complex: train accuracy {result['large_train_acc']:.3f}, validation accuracy {result['large_val_acc']:.3f}, "
    f"gap {result['large_gap']:.3f}"
)
print(
    f"             lowest validation loss {result['large_val_loss_min']:.3f} at epoch {large.best_epoch}, "
    f"{result['large_val_loss_last']:.3f} at epoch {large.epochs}"
)
print(
    f"too simple:  train accuracy {result['tiny_train_acc']:.3f}, validation accuracy {result['tiny_val_acc']:.3f}"
)

# %% [markdown] id="overfitting-12"
# ## The same story in two dimensions
#
# With two input features we can draw what a classifier has learned: the colour of each region is the class it
# predicts there. Below, 100 points of two interleaving half-moons with noise, and three networks trained on
# them (full-batch Adam, 300 steps): no hidden layer at all, the 2×256 network, and the same 2×256 network
# with an L2 penalty on its weights, a first look at the next lesson.

# %% id="overfitting-13"
moons = ex.moons_experiment(seed=0)
for name, run in moons.runs.items():
    print(f"{name:30s} train accuracy {run.train_accuracy:.3f}, validation accuracy {run.val_accuracy:.3f}")
plotting.decision_boundaries(
    {name: run.model for name, run in moons.runs.items()}, moons.arrays["x_train"], moons.arrays["y_train"]
)

# %% [markdown] id="overfitting-14"
# Without a hidden layer the boundary is a straight line: it cannot follow the moons (underfitting). The large
# network bends its boundary around individual noisy points to get them right, which helps on *those* points
# only (overfitting). With the penalty, the same large network draws a smooth curve that follows the shape of
# the moons instead of the noise.
#
# The cures for overfitting that the next lessons measure are: penalties on the weights (lesson 2), dropout
# (lesson 3), combined with batch normalization (lessons 4 and 5), and stopping at the right epoch (lesson 6).
# More (or cleaner) data and a smaller model are cures too, when you can afford them.

# %% [markdown] id="overfitting-15"
# ## What we measured
#
# * The too-complex network reaches 99 %<!-- claim a5 --> training accuracy but only 80 %<!-- claim a6 -->
#   validation accuracy; its validation loss is lowest between epochs 15–22<!-- claim a3 --> and then rises. Over three
#   seeds (the course's claims tests, table in the README) the gap is 0.19 ± 0.02<!-- claim a1 --> and the
#   validation loss climbs 0.15 ± 0.06<!-- claim a2 --> above its minimum.
# * It also predicts the *wrong, taught* label on most of the mislabelled training images: it memorized them.
# * The too-simple network stays below 50 % training accuracy (0.44–0.50<!-- claim a4 --> over three seeds): it underfits.
# * A moderate network does far better on the clean validation data (the table above) while fitting only
#   the 80 % of training labels that are right.

# %% [markdown] id="overfitting-16"
# ## Your turn
#
# Exercise: [`release/01_overfitting/01_overfitting.ipynb`](../release/01_overfitting/01_overfitting.ipynb).
# You will write `generalization_gap`, `best_epoch` and `diagnose_fit`, three small functions that read a
# training history and tell you what happened, the way we read the curves above.
