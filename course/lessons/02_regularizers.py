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

# %% id="regularizers-00"
from helpers.setup import setup_notebook

setup_notebook(seed=0)  # quiet TensorFlow, fixed seeds, plot style: run this cell first

# %% [markdown] id="regularizers-01"
# # Lesson 2 · L1, L2 and Elastic Net regularization
#
# Lesson 1 showed a large network memorizing wrong labels. A *regularizer* discourages that by adding a
# penalty on the weights to the loss the optimizer minimizes:
#
# $$\text{loss} = \text{data loss} + \underbrace{\lambda_1 \sum_i |w_i|}_{\text{L1 (Lasso)}}
# + \underbrace{\lambda_2 \sum_i w_i^2}_{\text{L2 (Ridge)}}$$
#
# L1 alone, L2 alone, or both (**Elastic Net**). To fit the noise, a network needs large, finely tuned weights;
# the penalty makes every unit of weight cost something, so the network only keeps the weights that pay for
# themselves by lowering the data loss on many examples.
#
# **Why L1 gives (near) zeros and L2 does not.** Look at the pull each penalty exerts on one weight (its
# gradient):
#
# * L1: $\lambda_1 \cdot \text{sign}(w)$, the *same* push toward zero for a weight of 0.001 as for a weight
#   of 1. A weight that the data does not defend is pushed to zero, and there it *jitters*: a step that
#   crosses zero flips the sign of the push, and the next step pushes it back. With gradient steps such a
#   weight ends *near* zero, not at exactly 0.0. The weights become **sparse** in practice: most of them are
#   negligible, which is why the course counts weights with |w| < 0.001 (exact zeros take another kind of
#   update, shown at the end of this lesson).
# * L2: $2\lambda_2 w$, a push that *fades* as the weight shrinks. Weights become **small**, but the push
#   vanishes before they reach zero.
#
# Elastic Net mixes both: some sparsity from L1, and L2's even shrinking of the weights that survive.

# %% [markdown] id="regularizers-02"
# ## In Keras
#
# The chapter attaches a penalty to a layer like this (current Keras 3 spelling):

# %% id="regularizers-03"
import keras
import numpy as np
from keras import layers, regularizers

layer = layers.Dense(units=64, activation="relu", kernel_regularizer=regularizers.L2(0.01))
layer.kernel_regularizer.get_config()

# %% [markdown] id="regularizers-04"
# Notes on spelling:
#
# * `regularizers.l2(0.01)`, `regularizers.L2(0.01)` and the string `"l2"` (default factor 0.01) give the
#   same penalty; likewise `l1`/`L1` and `l1_l2`/`L1L2` (Elastic Net: `L1L2(l1=0.01, l2=0.01)`).
#   Beware: `l1_l2()` *without* arguments has both factors at 0, i.e. no penalty at all.
# * Keras's L2 is $\lambda \sum w^2$, with no ½ in front (some textbooks put one).
#
# A layer can carry three penalties, on three different things:
#
# | argument | penalizes | typical use |
# |---|---|---|
# | `kernel_regularizer` | the weight matrix | the usual one: fights overfitting |
# | `bias_regularizer` | the biases | rarely needed: one bias per unit, little capacity |
# | `activity_regularizer` | the layer's *outputs* | encourages few active units per example (sparse codes) |
#
# Keras computes each penalty on every forward pass and collects them in `layer.losses`; `fit` adds their sum
# to the data loss. Below, one layer with all three, applied to a batch of 32 digits.

# %% id="regularizers-05"
from helpers import experiments as ex

x = ex.benchmark_split(seed=0).x_train[:32]
penalized = layers.Dense(
    16,
    activation="relu",
    kernel_regularizer=regularizers.L2(0.01),
    bias_regularizer=regularizers.L2(0.01),
    activity_regularizer=regularizers.L1(0.001),
)
outputs = penalized(x)
for name, value in zip(
    ["activity L1(0.001)", "kernel L2(0.01)", "bias L2(0.01)"], penalized.losses, strict=True
):
    print(f"{name:20s} {float(value):.5f}")
print(
    f"activity penalty by hand: 0.001 * sum|outputs| / batch size = {0.001 * np.abs(outputs).sum() / len(x):.5f}"
)

# %% [markdown] id="regularizers-06"
# The bias penalty is 0 because biases start at 0. The activity penalty is divided by the batch size, so its
# strength does not depend on how many examples a batch holds.
#
# ## The experiment: what each penalty does to the weights
#
# We train the large network of lesson 1 (2 hidden layers of 256 units) on the benchmark four times, with the
# same seed: no penalty, L1(0.001), L2(0.001), and Elastic Net with 0.0005 for each part. Then we look at the
# 81,920 weights of its two hidden kernels: how many are practically zero (|w| < 0.001), and how large they
# are overall.

# %% id="regularizers-07"
import pandas as pd

from helpers import plotting

reg = ex.regularizer_experiment(seed=0)
rows = {}
for name, run in reg.runs.items():
    key = name.lower().replace(" ", "_")  # "Elastic Net" -> "elastic_net"
    rows[name] = {
        "kernel penalty": run.spec.kernel_penalty(),
        "|w| < 1e-3": f"{reg[key + '_near_zero']:.1%}",
        "mean |w|": round(reg[key + "_mean_abs"], 4),
        "L2 norm": round(reg[key + "_l2_norm"], 1),
        "val acc": round(reg[key + "_val_acc"], 3),
    }
pd.DataFrame(rows).T

# %% id="regularizers-08"
plotting.weight_histograms(
    reg.runs, log_count=True, limit=0.3, title="Hidden-layer weights after 60 epochs (log counts)"
)

# %% [markdown] id="regularizers-09"
# Reading the histograms (the count axis is logarithmic, otherwise the spike at zero would flatten the rest):
#
# * **No penalty:** a wide bell; under 1 % of the weights are near zero.
# * **L1:** a tall spike at zero holding most weights (near zero, not exactly 0.0), and a thin set of larger
#   ones: sparse.
# * **L2:** a narrower bell than without penalty (its norm shrinks to 0.64<!-- claim b3 --> of the unregularized
#   one), but most weights are
#   small *non-zero* values.
# * **Elastic Net:** in between: a spike at zero smaller than L1's.
#
# L2 still leaves a noticeable minority near zero here. Most of those are weights that receive *no* signal
# from the data: connections from pixels that are blank in every training image, or out of units that never
# fire. With Adam, a weight whose only gradient is the penalty's is driven to zero by either penalty, because
# Adam divides each gradient by its own running size (this is why `AdamW` applies weight decay separately). The
# comparison that matters is the gap: L1 sends several times more weights to zero than L2.
#
# Did the penalties also help on new data? One caution before comparing: the `loss` and `val_loss` Keras
# reports *include* the penalties, so a regularized model's loss is not comparable with an unregularized one's.
# Validation accuracy is:

# %% id="regularizers-10"
plotting.compare_curves(reg.runs, key="val_accuracy", title="Validation accuracy, same network and seed")

# %% [markdown] id="regularizers-11"
# Without a penalty, validation accuracy peaks within the first ten epochs and then slides back to 0.80<!-- claim a6 --> as the
# network memorizes the wrong labels (lesson 1). L1 and Elastic Net end clearly higher; L2 at this small factor
# (0.001) barely changes the outcome. The factor matters: lesson 5 uses L2(0.01), ten times stronger, which
# lifts validation accuracy from 0.80<!-- claim e6 --> to 0.89<!-- claim e7 --> (three seeds).
#
# ## The activity regularizer at work
#
# An activity penalty targets the outputs instead of the weights. On the same network, `activity_regularizer=
# L1(0.001)` on both hidden layers should leave more units silent (relu output exactly 0) for each validation
# digit and lower the average activation:

# %% id="regularizers-12"
act = ex.activity_experiment(seed=0)
print(
    f"silent hidden units per example: {act['none_zero_fraction']:.1%} without penalty, "
    f"{act['activity_zero_fraction']:.1%} with activity L1(0.001)"
)
print(
    f"mean hidden activation:          {act['none_mean_activation']:.3f} without, {act['activity_mean_activation']:.3f} with"
)
print(
    f"validation accuracy:             {act['none_val_acc']:.3f} without, {act['activity_val_acc']:.3f} with"
)

# %% [markdown] id="regularizers-activity-reading"
# The penalty acts on what it targets. Over three seeds, the share of hidden units that are silent for a given
# validation digit rises by 0.12<!-- claim b7 --> (to 44 %<!-- claim b8 -->), and the mean hidden activation is
# halved: 0.50<!-- claim b9 --> of the unpenalized one (claims b7–b9). No weight was penalized: the network found
# its own way to answer with fewer, smaller activations. (Validation accuracy is printed for information only;
# the course makes no claim about it.)
#
# ## The bias penalty: small, and measured so
#
# The table at the top called `bias_regularizer` rarely needed. To see why, the same large network gets
# `bias_regularizer=L2(0.01)` on its hidden layers and no other penalty; for comparison, a third run puts the
# same factor on the kernels instead.

# %% id="regularizers-bias"
bias = ex.bias_regularizer_experiment(seed=0)
pd.DataFrame(
    {
        name: {
            "hidden biases: L2 norm": round(bias[f"{key}_bias_l2_norm"], 3),
            "hidden kernels: L2 norm": round(bias[f"{key}_kernel_l2_norm"], 2),
            "val acc": round(bias[f"{key}_val_acc"], 3),
            "train acc - val acc": round(bias[f"{key}_gap"], 3),
        }
        for key, name in (("none", "no penalty"), ("bias", "bias L2(0.01)"), ("kernel", "kernel L2(0.01)"))
    }
).T

# %% [markdown] id="regularizers-bias-reading"
# The bias penalty does shrink the biases: their norm falls to 0.54<!-- claim b10 --> of the unpenalized one. And
# that is all it does. The kernels come out as large as without it (norm ratio 1.00<!-- claim b12 -->), and
# validation accuracy moves by −0.002<!-- claim b11 --> on average over three seeds, while the same factor on
# the kernels lifts it by 0.08<!-- claim b13 --> (claims b10–b13). The reason is capacity: the network has 512
# hidden biases against 81,920 kernel weights, and a bias only shifts a unit's threshold for every example
# alike; memorizing particular examples takes weights.

# %% [markdown] id="regularizers-near-zero"
# ## Near zero is not zero
#
# With gradient steps, L1's pull has the same size $\lambda_1$ at every weight: a weight the data does not
# defend is pushed past zero by one step and back by the next, so it hovers near zero without ever landing on
# exactly 0.0. Exact zeros take a *proximal* step: a gradient step on the data loss alone, then the penalty
# applied as a **soft threshold**,
#
# $$w \leftarrow \text{sign}(w)\,\max\big(|w| - \eta\lambda_1,\ 0\big)$$
#
# with $\eta$ the learning rate. A weight within $\eta\lambda_1$ of zero becomes exactly 0.0; every other weight
# moves $\eta\lambda_1$ toward zero, as much as the L1 gradient step would move it. Repeating the two steps is
# ISTA (iterative shrinkage-thresholding), the algorithm behind many Lasso solvers.
#
# We compare both on the simplest model that has an L1 penalty: a softmax regression (one `Dense` layer, 64
# pixels to 10 classes), written in NumPy, trained on 1,000 clean digits with $\lambda_1 = 0.001$, learning
# rate 0.5 and 2,000 full-batch steps, from the same starting weights both times. Last, the same count on the
# 2×256 network that Keras trained with L1(0.001) above.

# %% id="regularizers-near-zero-cell"
prox = ex.proximal_l1_experiment(seed=0)
table = pd.DataFrame(
    {
        name: {
            "weights exactly 0.0": f"{prox[key + '_exact_zero']:.1%}",
            "|w| < 1e-3": f"{prox[key + '_near_zero']:.1%}",
            "val acc": round(prox[key + "_val_acc"], 3),
        }
        for key, name in (("gradient", "(sub)gradient steps"), ("proximal", "proximal steps (ISTA)"))
    }
).T
print(table.to_string())
print(
    f"\nlargest |w| after gradient steps among the weights ISTA set to 0: "
    f"{prox['gradient_max_abs_where_proximal_zero']:.1e} (one L1 step moves a weight by {prox['step_size']:.0e})"
)
print(
    f"2x256 network, Keras, L1(0.001) with Adam: {reg['l1_exact_zero']:.1%} of the hidden weights exactly 0.0, "
    f"{reg['l1_near_zero']:.1%} below 0.001"
)

# %% [markdown] id="regularizers-near-zero-reading"
# Over three seeds, the gradient steps leave 0.0 %<!-- claim b15 --> of the regression's weights at exactly 0.0,
# although 58 %<!-- claim b16 --> of them are below 0.001 in absolute value. The proximal steps set
# 58 %<!-- claim b14 --> of them to exactly 0.0, and the two models classify the validation digits equally well
# (difference 0.000<!-- claim b17 -->). Both runs switch off the same weights; only one of them writes the zero.
#
# The Keras network is in the first situation: 0 %<!-- claim b18 --> of its hidden weights are exactly zero,
# while 80 %<!-- claim b1 --> are below 0.001 (claims b14–b18). Keras's regularizers add the penalty to the loss,
# so its optimizers take plain gradient steps on it. For a truly sparse network (a smaller file, sparse
# inference), set the weights below a threshold to 0 after training and measure the accuracy again, or train
# with a proximal update.

# %% [markdown] id="regularizers-13"
# ## What we measured
#
# * L1(0.001) leaves 80 %<!-- claim b1 --> of the hidden kernel weights below 0.001 in absolute value, against 0.8 %<!-- claim b2 -->
#   without a penalty: L1 makes weights sparse.
# * L2(0.001) shrinks the weights (L2 norm 0.64<!-- claim b3 --> of the unregularized one) while most stay non-zero; L1 has
#   0.63<!-- claim b4 --> more of its weights near zero than L2 (as fractions of all weights).
# * Elastic Net (0.0005 + 0.0005) sits between them: 0.47<!-- claim b5 --> more near-zero weights than L2, 0.16<!-- claim b6 --> fewer than L1.
# * These numbers are the course's claims b1–b6, checked over three seeds (README table).
# * An activity penalty makes the hidden representation sparser: 0.12<!-- claim b7 --> more silent units per
#   example and half the mean activation (claims b7–b9).
# * A bias penalty shrinks the biases and leaves the rest alone: validation accuracy within 0.02 of the
#   unpenalized network on every seed (claim b11), against 0.08<!-- claim b13 --> gained by the same factor on
#   the kernels.
# * Gradient steps with L1 leave weights near zero, not at zero: none of the 2×256 network's weights is exactly
#   0.0; the proximal step of ISTA gives exact zeros (claims b14–b18).

# %% [markdown] id="regularizers-14"
# ## Your turn
#
# Exercise: [`release/02_regularizers/02_regularizers.ipynb`](../release/02_regularizers/02_regularizers.ipynb).
# You will compute the three penalties with NumPy (and check them against Keras), build a regularized model,
# attach kernel, bias and activity penalties to one layer, and measure sparsity yourself.
