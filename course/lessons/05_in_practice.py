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

# %% id="in-practice-00"
from helpers.setup import setup_notebook

setup_notebook(seed=0)  # quiet TensorFlow, fixed seeds, plot style: run this cell first

# %% [markdown] id="in-practice-01"
# # Lesson 5 · Putting the techniques together
#
# The chapter ends its tour with one model that uses everything: an Elastic Net penalty on the hidden layer,
# batch normalization and dropout. In this lesson we write it in current Keras, check what it does on the
# benchmark, and compare it with each technique alone, because "use everything" is a starting point, not a
# guarantee.

# %% [markdown] id="in-practice-02"
# ## The chapter's model in Keras 3

# %% id="in-practice-03"
import keras
from keras import layers, regularizers

input_dim, num_classes = 64, 10  # 8x8 digit images, 10 classes

model = keras.Sequential(
    [
        keras.Input(shape=(input_dim,)),
        layers.Dense(64, activation="relu", kernel_regularizer=regularizers.L1L2(l1=0.01, l2=0.01)),
        layers.BatchNormalization(),
        layers.Dropout(rate=0.5),
        layers.Dense(num_classes, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.summary()

# %% [markdown] id="in-practice-chapter-style"
# The chapter builds its model the other way Keras offers: an empty `Sequential()` and one `model.add(...)` per
# layer. Both styles build the same network; the cell below builds the chapter's version and compares every
# layer's type and settings (units, activation, regularizer factors, dropout rate) and the weight count.

# %% id="in-practice-chapter-style-code"
chapter_style = keras.Sequential()
chapter_style.add(keras.Input(shape=(input_dim,)))
chapter_style.add(
    layers.Dense(64, activation="relu", kernel_regularizer=regularizers.l1_l2(l1=0.01, l2=0.01))
)
chapter_style.add(layers.BatchNormalization())
chapter_style.add(layers.Dropout(0.5))
chapter_style.add(layers.Dense(num_classes, activation="softmax"))


def settings(m):
    """Each layer's type and configuration, without the names Keras numbers automatically."""
    return [
        (type(layer).__name__, {k: v for k, v in layer.get_config().items() if k != "name"})
        for layer in m.layers
    ]


print("same layers and settings:", settings(chapter_style) == settings(model))
print("same number of weights:", chapter_style.count_params() == model.count_params(), model.count_params())

# %% [markdown] id="in-practice-04"
# Three details differ from the chapter's text, which was written for older Keras:
#
# * **The input.** The text writes `Dense(64, activation='relu', input_shape=(input_shape,), ...)`. Keras 3
#   still accepts `input_shape=` on the first layer but warns that you should start the model with
#   `keras.Input(shape=...)` instead, as above. Both build the same network.
# * **The penalty.** `regularizers.l1_l2(l1=0.01, l2=0.01)` in the text and `regularizers.L1L2(l1=0.01,
#   l2=0.01)` here are the same thing.
# * **`compile` with keywords.** Write `optimizer=`, `loss=` and `metrics=` by name: in Keras 3 the third
#   positional argument of `compile` is `loss_weights`, not `metrics`, and passing `["accuracy"]` there fails
#   with an obscure error.
#
# `categorical_crossentropy` expects one-hot labels (the course's training helper encodes them); with integer
# labels use `sparse_categorical_crossentropy`.
#
# The course's experiments describe models with `helpers.experiments.MLPSpec`; the chapter's model is
# `ex.CHAPTER`, and it builds the same layers:

# %% id="in-practice-05"
from helpers import experiments as ex

built = ex.build_mlp(ex.CHAPTER, input_dim, num_classes)
print(ex.CHAPTER.describe())
print([type(layer).__name__ for layer in built.layers] == [type(layer).__name__ for layer in model.layers])

# %% [markdown] id="in-practice-06"
# ## The experiment: each technique alone, and together
#
# On the benchmark (300 noisy training digits, 60 epochs, same seed for all):
#
# * **baseline**: the 2×256 network that overfits (lesson 1);
# * **L2(0.01)**: the same with an L2 penalty on its hidden kernels (lesson 2);
# * **Dropout(0.5)**: the same with dropout after each hidden layer (lesson 3);
# * **Dropout(0.5) + L2(0.01)**: both at once;
# * **chapter's model**: 64 units, L1L2(0.01, 0.01), BatchNormalization, Dropout(0.5).

# %% id="in-practice-07"
from helpers import plotting

comb = ex.combination_experiment(seed=0)
ex.runs_table(comb.runs)

# %% id="in-practice-08"
plotting.metric_bars(
    {
        name: {"train accuracy": run.train_accuracy, "validation accuracy": run.val_accuracy}
        for name, run in comb.runs.items()
    },
    ylabel="accuracy (last epoch)",
    reference=comb.runs["baseline"].val_accuracy,
    ylim=(0, 1.1),
    title="Dashed line: the baseline's validation accuracy",
)

# %% id="in-practice-09"
plotting.learning_curves(
    {name: comb.runs[name] for name in ("baseline", "Dropout(0.5) + L2(0.01)", "chapter's model")},
    metrics="accuracy",
    mark_best=True,
)

# %% [markdown] id="in-practice-10"
# What the numbers say, honestly:
#
# * Every technique fixes most of the baseline's overfitting: validation accuracy rises from 0.80<!-- claim e6 --> to
#   between 0.85<!-- claim e10 --> (the chapter's model) and 0.90<!-- claim e9 --> (L2 and Dropout together) and the training accuracy stops at the level of the correct labels instead of memorizing the
#   wrong ones.
# * Combining L2 and dropout on the large network works well, but over three seeds it is **not** reliably
#   better than the better of the two alone (+0.01 ± 0.02<!-- claim e2 -->). Regularizers overlap: once the memorization is
#   stopped, a second one has little left to do.
# * The chapter's model beats the overfitting baseline, but it is not the best model here. Its penalty, 0.01
#   for both L1 and L2 on a small 64-unit layer, is strong; lesson 6 shows that a weaker penalty does better
#   and that, on this data, the same 64-unit network *without* any of the tricks is better still.
#
# None of this contradicts the chapter. It says that these techniques are tools to tune on your own data, and
# the measured way to tune them is what lesson 6 is about.
#
# ## Practical habits
#
# * Start from a model that can overfit (training accuracy well above validation), then regularize it.
# * Add one technique at a time and keep the one that moves *validation* accuracy.
# * Search penalty factors on a log scale (0.1, 0.01, 0.001, ...) and dropout rates, which live in [0, 1),
#   on a linear one (0.1, 0.2, ..., 0.5).
# * Keep `BatchNormalization` before `Dropout` as in the chapter's model; dropout placed before BN changes the
#   statistics BN sees between training and inference.
# * Compare on more than one seed before believing a difference of a point or two.
#
# ## What we measured
#
# * Over three seeds with the same budget, validation accuracy averaged 0.80<!-- claim e6 --> for the baseline,
#   0.89<!-- claim e7 --> with L2(0.01), 0.89<!-- claim e8 --> with Dropout(0.5), 0.90<!-- claim e9 --> with both, and
#   0.85<!-- claim e10 --> for the chapter's model.
# * L2 + Dropout beat the baseline by 0.10 ± 0.02<!-- claim e1 -->; it was within +0.01 ± 0.02<!-- claim e2 --> of the
#   best single technique; the chapter's model beat the baseline by 0.04 ± 0.01<!-- claim e3 -->.

# %% [markdown] id="in-practice-11"
# ## Your turn
#
# Exercise: [`release/05_in_practice/05_in_practice.ipynb`](../release/05_in_practice/05_in_practice.ipynb).
# You will write the chapter's model as a function, then design your own model that must beat the
# unregularized baseline on the benchmark.
