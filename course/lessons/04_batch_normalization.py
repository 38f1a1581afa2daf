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

# %% id="batch-normalization-00"
from helpers.setup import setup_notebook

setup_notebook(seed=0)  # quiet TensorFlow, fixed seeds, plot style: run this cell first

# %% [markdown] id="batch-normalization-01"
# # Lesson 4 · Batch normalization
#
# Every layer of a network learns on the outputs of the layer before it, and those outputs change whenever the
# earlier layers' weights change. In a deep network, the scale and offset of the signal can also drift from
# layer to layer: some units end up always large, others almost constant, and gradients through saturated
# units nearly vanish. Training is then slow and needs a small, careful learning rate.
#
# **Batch normalization** (BN) re-centres and re-scales each unit's values over the current mini-batch:
#
# $$\hat{x} = \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \varepsilon}}, \qquad y = \gamma\,\hat{x} + \beta$$
#
# * $\mu_B$, $\sigma_B^2$: mean and (biased) variance of the unit over the batch; $\varepsilon$ (0.001 in
#   Keras) avoids dividing by zero.
# * $\gamma$ and $\beta$ are learned, one pair per unit, so the network can still choose any scale and offset
#   it needs: BN only changes *how easy* it is to get there. They start at 1 and 0.
# * At inference there may be a single example, so Keras uses **moving averages** of $\mu_B$ and
#   $\sigma_B^2$ collected during training (`moving = momentum * moving + (1 - momentum) * batch value`,
#   momentum 0.99).
#
# The chapter's claims: BN normalizes internal activations, stabilizes training and reduces the number of
# epochs needed. We measure each, and one thing BN is often credited with but did not do here.

# %% [markdown] id="batch-normalization-02"
# ## In Keras
#
# `BatchNormalization()` is a layer; the chapter places it after a `Dense` layer:

# %% id="batch-normalization-03"
import keras
import numpy as np
from keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        layers.Dense(64, activation="relu"),
        layers.BatchNormalization(),
        layers.Dense(10, activation="softmax"),
    ]
)
bn = model.layers[1]
print([w.name for w in bn.weights])
print(f"trainable: {[w.name for w in bn.trainable_weights]}, epsilon={bn.epsilon}, momentum={bn.momentum}")

# %% [markdown] id="batch-normalization-04"
# Four vectors per BN layer: `gamma` and `beta` are trained by the optimizer; `moving_mean` and
# `moving_variance` are updated by the layer itself during training and used in inference mode. (Placing BN
# *before* the activation, as the original paper did, is just as common; the end of the lesson compares both.)
#
# The two modes behave very differently on a freshly built layer, as this small batch shows:

# %% id="batch-normalization-05"
rng = np.random.default_rng(0)
batch = rng.normal(loc=5.0, scale=3.0, size=(256, 4)).astype("float32")  # 4 units, far from mean 0 / std 1
fresh = layers.BatchNormalization()
train_out = np.asarray(fresh(batch, training=True))
infer_out = np.asarray(fresh(batch, training=False))
print("input            per-unit mean", batch.mean(0).round(2), "std", batch.std(0).round(2))
print("training mode    per-unit mean", train_out.mean(0).round(2), "std", train_out.std(0).round(2))
print("inference mode   per-unit mean", infer_out.mean(0).round(2), "std", infer_out.std(0).round(2))
print("moving mean after one training call:", np.asarray(fresh.moving_mean).round(3))

# %% [markdown] id="batch-normalization-06"
# In training mode each unit comes out with mean 0 and standard deviation 1. In inference mode the layer uses
# its moving statistics instead. They start at mean 0 and variance 1, and one training call moved them only 1 %
# of the way towards the batch's values (momentum 0.99: compare the moving mean printed above with the batch's
# mean), so in inference mode
# the data passes almost unchanged. That is why a BN model must be trained for many steps before its
# inference-mode output is right, and why evaluating a barely trained BN model can look strange.
#
# ## BN normalizes the activations inside a deep network
#
# A 6-layer network (64 relu units per layer) with BN after each hidden layer, freshly initialized, on 512
# digits. Per unit, we compare the values *entering* each BN layer with those *leaving* it (training mode):

# %% id="batch-normalization-07"
from helpers import experiments as ex
from helpers import plotting

acts = ex.batchnorm_activation_experiment(seed=0)
print(
    f"entering BN: per-unit means up to {acts['before_mean_abs_max']:.2f} (average {acts['before_mean_abs_avg']:.2f}), "
    f"stds from {acts['before_std_min']:.3f} to {acts['before_std_max']:.2f}"
)
print(
    f"leaving BN:  largest |per-unit mean| {acts['after_mean_abs_max']:.1e}, "
    f"largest |std - 1| {acts['after_std_dev_from_1_max']:.3f} (units whose input std >= 0.2)"
)
plotting.activation_distributions(
    acts.arrays["before"][:3], acts.arrays["after"][:3], layer_names=["hidden 1", "hidden 2", "hidden 3"]
)

# %% [markdown] id="batch-normalization-08"
# Entering BN, the relu outputs are non-negative (many exactly 0), with unit means and spreads that differ from
# unit to unit and layer to layer. Leaving BN, every unit is centred at 0 with spread 1; the spike is the
# relu zeros, now shifted below 0. (A handful of units barely vary on
# these digits; for them $\varepsilon$ dominates the tiny variance and they come out with a standard
# deviation below 1.)
#
# ## What it buys: fewer epochs
#
# The same 6×64 network trained with plain SGD (learning rate 0.05) on 1,000 *clean* digits, with and without
# BN after each hidden layer. We count the epochs until validation accuracy first reaches 90 % (a run stops
# there; budget 30 epochs), once with `relu` and once with `sigmoid` units, which are much harder to train in
# a deep stack.

# %% id="batch-normalization-09"
relu = ex.batchnorm_convergence_experiment(seed=0, activation="relu")
sigmoid = ex.batchnorm_convergence_experiment(seed=0, activation="sigmoid")
reached = {}
for name, res in (("relu", relu), ("sigmoid", sigmoid)):
    for mode in ("plain", "batchnorm"):
        epochs = res[f"{mode}_epochs"]
        reached[f"{name}, {'BN' if mode == 'batchnorm' else 'no BN'}"] = (
            int(epochs) if res[f"{mode}_reached"] else None
        )
reached

# %% id="batch-normalization-10"
plotting.epochs_to_threshold(
    reached,
    max_epochs=ex.CONVERGENCE_EPOCHS,
    threshold=ex.CONVERGENCE_THRESHOLD,
    title="6x64 MLP, SGD(0.05), 1,000 digits: epochs to 90% validation accuracy",
)

# %% id="batch-normalization-11"
curves = {run.name: run for res in (relu, sigmoid) for run in res.runs.values()}
plotting.compare_curves(
    curves,
    key="val_accuracy",
    threshold=ex.CONVERGENCE_THRESHOLD,
    title="Validation accuracy per epoch (a run stops once it reaches 90%)",
)

# %% [markdown] id="batch-normalization-12"
# With relu, BN gets there in about half the epochs. With sigmoid the difference is starker: six stacked
# sigmoid layers squash the signal and the gradients so much that plain SGD barely leaves chance level
# (10 % for ten digits) in 30 epochs, while the BN version trains normally. Each BN epoch costs a little more compute, but
# far fewer epochs are needed.
#
# ## What it does not buy here: better generalization
#
# BN is sometimes described as a regularizer. On our small noisy benchmark it is not much of one: the 2×256
# network of lesson 1, trained with and without BN, ends with about the same validation accuracy and keeps
# overfitting.

# %% id="batch-normalization-13"
bench = ex.batchnorm_benchmark_experiment(seed=0)
ex.runs_table(bench.runs)

# %% [markdown] id="batch-normalization-bench-reading"
# So BN is a tool for *training* (speed, stability, deeper networks, larger learning rates); to fight
# overfitting it needs to be combined with the techniques of lessons 2 and 3, which is exactly what the
# chapter's model in lesson 5 does.
#
# ## Before or after the activation?
#
# The chapter puts BN after the activation (`Dense(64, activation="relu")`, then `BatchNormalization()`). The
# original paper put it before: a `Dense` layer without activation, then `BatchNormalization()`, then
# `Activation("relu")`. Both orders are common. (Before the activation, the `Dense` layer's bias is redundant:
# BN subtracts the batch mean, bias included, and adds its own $\beta$; `use_bias=False` saves those
# parameters. We keep the bias so that the order is the only difference.)
#
# Same measurements as above: epochs to 90 % validation accuracy for the 6×64 network with SGD(0.05), relu and
# sigmoid, BN after versus before the activation; then the final validation accuracy of the 2×256 network on
# the benchmark.

# %% id="batch-normalization-placement"
placement = {act: ex.batchnorm_placement_experiment(seed=0, activation=act) for act in ("relu", "sigmoid")}
plotting.epochs_to_threshold(
    {
        f"{act}, BN {where}": int(res[f"{where}_epochs"]) if res[f"{where}_reached"] else None
        for act, res in placement.items()
        for where in ("after", "before")
    },
    max_epochs=ex.CONVERGENCE_EPOCHS,
    threshold=ex.CONVERGENCE_THRESHOLD,
    title="6x64 MLP, SGD(0.05): BN after or before the activation",
)

# %% id="batch-normalization-placement-benchmark"
placement_bench = ex.batchnorm_placement_benchmark_experiment(seed=0)
ex.runs_table(placement_bench.runs)

# %% [markdown] id="batch-normalization-placement-reading"
# Over three seeds, BN before the activation reached 90 % 0–3<!-- claim d12 --> epochs sooner than BN after it
# with relu, and 1–2<!-- claim d14 --> epochs sooner with sigmoid. That edge is no larger than the seed-to-seed
# spread of the BN-after runs themselves (6–9<!-- claim d8 --> epochs with relu), and small next to what BN
# saves over no BN at all. On the benchmark, the final validation accuracy differed by
# −0.004 ± 0.008<!-- claim d15 --> (before minus after): nothing. Three seeds cannot settle a one- or two-epoch
# difference; what they do show is that the order is a detail here, not a choice that decides whether BN
# works. The claims bound it: with either order the relu network needs fewer than 10 epochs and the sigmoid
# one fewer than 20, the order changes that count by less than 5 epochs, and the benchmark accuracy by less
# than 0.04 (claims d11–d15).

# %% [markdown] id="batch-normalization-14"
# ## What we measured
#
# * Inside a deep relu network, BN (training mode) turns non-negative per-unit means (0.34<!-- claim d1 --> on
#   average) into means of 0 (|mean| < 1e-6) and standard deviations of 1 within 1.2 %<!-- claim d3 -->.
# * Epochs to reach 90 % validation accuracy, 6×64 MLP, SGD(0.05): with relu 6–9<!-- claim d8 --> with BN against 14–18<!-- claim d7 --> without;
#   with sigmoid 11–12<!-- claim d10 --> with BN against never within 30 epochs without (three seeds, claims d4–d10).
# * On the small noisy benchmark, BN changed the final validation accuracy by 0.01 ± 0.01<!-- claim d6 -->: no regularization
#   effect to speak of (claim d6).
# * BN before versus after the activation: before reached 90 % 0–3<!-- claim d12 --> epochs sooner with relu and
#   1–2<!-- claim d14 --> with sigmoid, within the spread between seeds, and the benchmark accuracy did not move
#   (−0.004 ± 0.008<!-- claim d15 -->); no reliable difference on these networks (claims d11–d15).

# %% [markdown] id="batch-normalization-15"
# ## Your turn
#
# Exercise: [`release/04_batch_normalization/04_batch_normalization.ipynb`](../release/04_batch_normalization/04_batch_normalization.ipynb).
# You will write the batch-normalization forward pass and the moving-average update with NumPy (and match
# Keras to 1e-5), then build a network with two BN layers.
