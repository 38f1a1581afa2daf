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

# %% [markdown] lang="fr"
# # Leçon 3 · Dropout
#
# Le Dropout (abandon) s'attaque au surapprentissage par un autre côté que les pénalités. À chaque pas
# d'entraînement, chaque unité qui alimente une couche `Dropout` est éteinte (sa sortie mise à 0) avec la
# probabilité `rate`, et un nouveau tirage au hasard est fait au pas suivant. Pourquoi cela aide :
#
# * Une unité ne peut compter sur la présence d'aucune autre unité en particulier : elle doit donc être utile
#   par elle-même ; les co-adaptations élaborées, celles qu'il faut pour mémoriser un à un des exemples bruités,
#   sont sans cesse rompues.
# * Chaque pas entraîne un réseau « aminci » différent ; tous partagent les mêmes poids. Au moment de la
#   prédiction, le réseau complet se comporte à peu près comme la moyenne de cet immense ensemble de réseaux.
#
# Seulement pendant l'entraînement. À l'inférence, toutes les unités sont conservées. Pour que les deux modes
# concordent en moyenne, Keras utilise le **Dropout inversé** : pendant l'entraînement, les sorties qui
# survivent sont multipliées par $1/(1-\text{rate})$, si bien que l'espérance de chaque sortie est inchangée et
# qu'il n'y a rien à remettre à l'échelle à l'inférence.

# %% [markdown] id="dropout-02"
# ## In Keras
#
# The chapter's `Dropout(rate=0.5)` is a layer placed after the layer whose outputs it drops:

# %% [markdown] lang="fr"
# ## En Keras
#
# Le `Dropout(rate=0.5)` du chapitre est une couche placée après celle dont il éteint les sorties :

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

# %% [markdown] lang="fr"
# `Dropout` n'a pas de poids : il n'ajoute donc rien au nombre de paramètres. `fit` appelle le modèle en mode
# entraînement (Dropout actif) ; `predict`, `evaluate` et la passe de validation à l'intérieur de `fit`
# l'appellent en mode inférence (Dropout désactivé). Vous pouvez choisir explicitement avec
# `model(x, training=True)`.
#
# ## La couche à l'œuvre
#
# Voici une couche `Dropout(0.5)` appliquée à un vecteur de 1, dans les deux modes. En mode entraînement, à peu
# près la moitié des sorties valent 0 et chaque survivante vaut $1/(1-0{,}5) = 2$ ; en mode inférence, l'entrée
# passe sans changement.

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

# %% [markdown] lang="fr"
# ## L'expérience : le Dropout contre le surapprentissage
#
# Le grand réseau de la leçon 1 (2×256, celui qui mémorise les étiquettes fausses), entraîné deux fois sur le
# banc d'essai avec la même graine : tel quel, puis avec `Dropout(0.5)` après chaque couche cachée.

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

# %% [markdown] lang="fr"
# Avec le Dropout, la perte de validation ne remonte plus, et l'exactitude (accuracy) de validation finale est
# nettement plus élevée.
#
# L'exactitude d'*entraînement* avec Dropout finit **en dessous** de l'exactitude de validation, pour deux
# raisons : Keras mesure l'exactitude d'entraînement pendant l'époque, avec la moitié des unités éteintes, et
# 20 % des étiquettes d'entraînement sont fausses alors que les étiquettes de validation sont propres. Un réseau
# qui refuse d'apprendre les étiquettes fausses ne peut guère dépasser 80 % sur ces étiquettes-là.

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
# (you will write it in the exercise). This network has only `Dense` and `Dropout` layers; the next section
# shows why `training=True` is the wrong switch as soon as a model has a layer that behaves differently in
# training, such as batch normalization.

# %% [markdown] lang="fr"
# ## Le Dropout au moment de la prédiction
#
# Après l'entraînement, `predict` utilise le réseau complet : les prédictions sont donc déterministes. Appeler
# le modèle avec `training=True` garde le Dropout actif : chaque appel donne une prédiction différente. Faire la
# moyenne de nombreux appels de ce genre, et regarder à quel point ils divergent, c'est le **Dropout
# Monte-Carlo**, une estimation peu coûteuse de l'incertitude du modèle (vous l'écrirez dans l'exercice). Ce
# réseau n'a que des couches `Dense` et `Dropout` ; la section suivante montre pourquoi `training=True` est le
# mauvais interrupteur dès qu'un modèle contient une couche qui se comporte autrement à l'entraînement, comme la
# normalisation par lots.

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

# %% [markdown] id="dropout-mc-bn-intro"
# ## Monte-Carlo dropout with batch normalization
#
# `training=True` is not a switch for dropout alone: it puts **every** layer in training mode. `Dense` does not
# care, but `BatchNormalization` (lesson 4) does. In inference mode it normalizes with the moving mean and
# variance it averaged over the training batches; in training mode it normalizes with the mean and variance of
# the batch in front of it, **and moves its moving averages toward them**.
#
# A small network with `BatchNormalization` before its `Dropout`, trained on the benchmark, then called 30 times
# with `training=True` on 20 validation digits, as a Monte-Carlo estimate would:

# %% [markdown] lang="fr"
# ## Dropout Monte-Carlo et normalisation par lots
#
# `training=True` n'est pas un interrupteur réservé au Dropout : il met **toutes** les couches en mode
# entraînement. Cela ne change rien pour `Dense`, mais tout pour `BatchNormalization` (leçon 4). En mode
# inférence, cette couche normalise avec la moyenne et la variance mobiles qu'elle a accumulées sur les lots
# d'entraînement ; en mode entraînement, elle normalise avec la moyenne et la variance du lot qu'on lui présente,
# **et rapproche d'elles ses moyennes mobiles**.
#
# Voici un petit réseau avec `BatchNormalization` avant son `Dropout`, entraîné sur le banc d'essai, puis appelé
# 30 fois avec `training=True` sur 20 chiffres de validation, comme le ferait une estimation Monte-Carlo :

# %% id="dropout-mc-bn-problem"
split = ex.benchmark_split(seed=0)
keras.utils.set_random_seed(0)
bn_net = keras.Sequential(
    [
        keras.Input(shape=(split.input_dim,)),
        layers.Dense(64, activation="relu"),
        layers.BatchNormalization(),
        layers.Dropout(0.5),
        layers.Dense(split.num_classes, activation="softmax"),
    ]
)
bn_net.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
ex.fit(bn_net, split, epochs=30, seed=0)

bn = bn_net.layers[1]
x = split.x_val[:20]
saved = [np.array(w) for w in bn_net.weights]  # a copy of every weight and moving statistic
print("moving mean, first 4 units, after training:", np.round(np.asarray(bn.moving_mean)[:4], 3))
wrong = np.stack([np.asarray(bn_net(x, training=True)) for _ in range(30)])
print("after 30 calls of bn_net(x, training=True): ", np.round(np.asarray(bn.moving_mean)[:4], 3))
changed = max(float(np.abs(np.asarray(w) - s).max()) for w, s in zip(bn_net.weights, saved, strict=True))
print(f"largest change of a weight or moving statistic: {changed:.3f}")

# %% [markdown] id="dropout-mc-bn-fix"
# Nothing was trained, yet the model changed: every uncertainty estimate made this way drags the moving
# statistics toward the batch it looked at. And the passes normalized with the statistics of those 20 digits,
# not with the ones the rest of the network was trained to expect.
#
# The fix is to choose the mode layer by layer. `model.layers` lists the layers of a `Sequential` model in
# order, and each layer can be called on its own with its own `training` argument: `True` for `Dropout`, `False`
# for everything else. First we put the saved statistics back with `set_weights`.

# %% [markdown] lang="fr"
# Rien n'a été entraîné, et pourtant le modèle a changé : chaque estimation d'incertitude faite de cette manière
# tire les statistiques mobiles vers le lot qu'elle a examiné. De plus, ces passes ont normalisé avec les
# statistiques de ces 20 chiffres, et non avec celles que le reste du réseau a appris à attendre.
#
# La solution consiste à choisir le mode couche par couche. `model.layers` énumère dans l'ordre les couches d'un
# modèle `Sequential`, et chaque couche peut être appelée seule, avec son propre argument `training` : `True`
# pour `Dropout`, `False` pour tout le reste. Nous commençons par remettre en place les statistiques
# sauvegardées avec `set_weights`.

# %% id="dropout-mc-bn-right"
bn_net.set_weights(saved)


def dropout_pass(model, x):
    """One forward pass with every Dropout layer active and every other layer in inference mode."""
    h = x
    for layer in model.layers:
        h = layer(h, training=isinstance(layer, layers.Dropout))
    return np.asarray(h)


right = np.stack([dropout_pass(bn_net, x) for _ in range(30)])
unchanged = all(np.array_equal(np.asarray(w), s) for w, s in zip(bn_net.weights, saved, strict=True))
print("every weight and moving statistic unchanged after 30 passes:", unchanged)
print(f"mean std of a probability over the passes: {right.std(axis=0).mean():.3f} (0 without dropout)")
gap = np.abs(right.mean(axis=0) - wrong.mean(axis=0)).max()
differ = int((right.mean(axis=0).argmax(axis=1) != wrong.mean(axis=0).argmax(axis=1)).sum())
print(f"largest difference of a mean probability from the training=True passes: {gap:.2f}")
print(f"predicted class differs from the training=True passes for {differ} of {len(x)} digits")

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
# * Monte-Carlo dropout needs dropout, and only dropout, in training mode: `model(x, training=True)` also put
#   `BatchNormalization` in training mode, which changed the predictions and moved the moving statistics.
#   Calling the layers one by one, with `training=True` only for `Dropout`, left the model exactly as it was.

# %% [markdown] lang="fr"
# ## Ce que nous avons mesuré
#
# * Une couche Keras `Dropout(0.5)` met à zéro la moitié de ses entrées en mode entraînement et double les
#   survivantes ; en mode inférence, elle ne change rien (affirmations c3 à c5).
# * Sur le banc d'essai, `Dropout(0.5)` après chaque couche cachée du réseau 2×256 a relevé l'exactitude de
#   validation de 0,09 ± 0,01<!-- claim c1 --> et réduit l'écart entre entraînement et validation de
#   0,27 ± 0,01<!-- claim c2 --> (trois graines) : l'exactitude de validation est passée de
#   0,80<!-- claim e6 --> à 0,89<!-- claim e8 -->.
# * Il n'a rien coûté en paramètres ; le prix à payer est une progression plus lente à chaque époque, puisque
#   chaque pas n'entraîne qu'une partie du réseau.
# * Le Dropout Monte-Carlo exige que le Dropout, et lui seul, soit en mode entraînement :
#   `model(x, training=True)` a aussi mis `BatchNormalization` en mode entraînement, ce qui a changé les
#   prédictions et déplacé les statistiques mobiles. Appeler les couches une par une, avec `training=True`
#   uniquement pour `Dropout`, a laissé le modèle exactement tel qu'il était.

# %% [markdown] id="dropout-14"
# ## Your turn
#
# Exercise: [`release/03_dropout/03_dropout.ipynb`](../release/03_dropout/03_dropout.ipynb). You will
# implement inverted dropout with NumPy, build a network with two dropout layers, and write Monte-Carlo dropout
# predictions that also work on models with batch normalization.

# %% [markdown] lang="fr"
# ## À vous de jouer
#
# Exercice : [`release/03_dropout/03_dropout.ipynb`](../release/03_dropout/03_dropout.ipynb). Vous
# implémenterez le Dropout inversé avec NumPy, construirez un réseau à deux couches de Dropout, et écrirez des
# prédictions par Dropout Monte-Carlo qui fonctionnent aussi sur des modèles avec normalisation par lots.
