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
# # Exercise 3: Dropout
#
# Graded exercises for section 3 of the chapter. Write each function in its answer cell (replace
# `raise NotImplementedError()`), run it, then run the test cell below it. Hidden tests check the same
# functions again on other inputs when your notebook is graded. Run the whole notebook from the top
# before you submit.

# %% [markdown] lang="fr"
# # Exercice 3 : Dropout
#
# Exercices notés de la section 3 du chapitre. Écrivez chaque fonction dans sa cellule de réponse (remplacez
# `raise NotImplementedError()`), exécutez-la, puis exécutez la cellule de test placée juste en dessous. Lors
# de la notation de votre notebook, des tests cachés vérifient à nouveau les mêmes fonctions sur d'autres
# entrées. Exécutez tout le notebook depuis le début avant de le rendre.

# %% [markdown] nbgrader={"grade": false, "grade_id": "recap", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Recap
#
# * **Dropout** ignores randomly chosen units during training: at each training step, each output of
#   the layer before it is set to zero with probability `rate`, independently. No unit can rely on a
#   particular other unit being present, so the network cannot memorize through fragile
#   co-adaptations.
# * Keras uses **inverted dropout**: the outputs that survive are multiplied by `1 / (1 - rate)`, so the
#   expected value of every output is unchanged and nothing needs rescaling at inference.
# * `layers.Dropout(rate=0.5)` (or `layers.Dropout(0.5)`) is a layer placed after the layer whose outputs
#   it drops. `rate` is the fraction **dropped**, not kept.
# * Dropout is active only in training mode: during `fit`, or when you call `model(x, training=True)`.
#   `model.predict(x)` and `model(x)` use every unit.
# * `training=True` puts **every** layer in training mode, not only Dropout: a `BatchNormalization`
#   layer then normalizes with the statistics of the batch in front of it and updates its moving
#   averages. A layer can also be called on its own, `layer(h, training=...)`, each with its own mode.
# * **Monte-Carlo dropout** keeps dropout active at prediction time and repeats the forward pass: the
#   mean of the passes is the prediction, their spread (standard deviation) a cheap estimate of how
#   unsure the model is. Only the Dropout layers change mode; every other layer stays in inference
#   mode, and the model is left as it was.
#
# On the course's benchmark the lessons measured (three seeds) a validation accuracy of 0.89<!-- claim e8 --> with `Dropout(0.5)`
# after each hidden layer of a large network, against 0.80<!-- claim e6 --> without it.

# %% [markdown] lang="fr"
# ## Récapitulatif
#
# * Le **Dropout** (abandon) ignore des unités choisies au hasard pendant l'entraînement : à chaque étape
#   d'entraînement, chaque sortie de la couche qui le précède est mise à zéro avec la probabilité `rate`,
#   indépendamment des autres. Aucune unité ne peut compter sur la présence d'une autre unité en particulier :
#   le réseau ne peut donc pas mémoriser au moyen de co-adaptations fragiles.
# * Keras utilise le **Dropout inversé** : les sorties conservées sont multipliées par `1 / (1 - rate)`, si
#   bien que l'espérance de chaque sortie reste inchangée et qu'aucune remise à l'échelle n'est nécessaire à
#   l'inférence.
# * `layers.Dropout(rate=0.5)` (ou `layers.Dropout(0.5)`) est une couche placée après la couche dont elle met
#   les sorties à zéro. `rate` est la fraction **mise à zéro**, et non la fraction conservée.
# * Le Dropout n'est actif qu'en mode entraînement : pendant `fit`, ou lorsque vous appelez
#   `model(x, training=True)`. `model.predict(x)` et `model(x)` utilisent toutes les unités.
# * `training=True` met **toutes** les couches en mode entraînement, pas seulement le Dropout : une couche
#   `BatchNormalization` normalise alors avec les statistiques du lot qu'elle reçoit et met à jour ses
#   moyennes mobiles. Une couche peut aussi être appelée seule, `layer(h, training=...)`, chacune avec son
#   propre mode.
# * Le **Dropout Monte-Carlo** garde le Dropout actif au moment de la prédiction et répète la propagation
#   avant : la moyenne des passes constitue la prédiction, et leur dispersion (l'écart type) une estimation
#   peu coûteuse de l'incertitude du modèle. Seules les couches Dropout changent de mode ; toutes les autres
#   restent en mode inférence, et le modèle est laissé tel qu'il était.
#
# Sur le banc d'essai du cours, les leçons ont mesuré (sur trois graines) une exactitude (accuracy) en
# validation de 0,89<!-- claim e8 --> avec `Dropout(0.5)` après chaque couche cachée d'un grand réseau,
# contre 0,80<!-- claim e6 --> sans Dropout.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
from helpers.setup import setup_notebook

setup_notebook(seed=0)

import keras
import numpy as np
from keras import layers

from helpers.experiments import benchmark_split, fit


# %% [markdown] nbgrader={"grade": false, "grade_id": "ex-forward", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 3.1 Inverted dropout in NumPy (3 points)
#
# Write `dropout_forward(x, rate, rng=None)` that returns a **new** array of the same shape as `x`:
#
# * each element is set to zero with probability `rate`, independently of the others;
# * the other elements are divided by `1 - rate`;
# * `rng` is a `numpy.random.Generator` (from `np.random.default_rng(seed)`): draw every random number
#   from it, so that the same seed gives the same mask. When `rng` is `None`, create one with
#   `np.random.default_rng()`;
# * `rate` must be in `[0, 1)`: raise `ValueError` otherwise. With `rate=0` the output equals `x`.
#
# The tests check statistics over a large array (the fraction of zeros, the scaling of the survivors,
# the mean), not one particular random sequence.

# %% [markdown] lang="fr"
# ## 3.1 Le Dropout inversé avec NumPy (3 points)
#
# Écrivez `dropout_forward(x, rate, rng=None)`, qui renvoie un **nouveau** tableau de même forme que `x` :
#
# * chaque élément est mis à zéro avec la probabilité `rate`, indépendamment des autres ;
# * les autres éléments sont divisés par `1 - rate` ;
# * `rng` est un `numpy.random.Generator` (obtenu par `np.random.default_rng(seed)`) : tirez tous vos
#   nombres aléatoires avec lui, afin qu'une même graine donne le même masque. Lorsque `rng` vaut `None`,
#   créez-en un avec `np.random.default_rng()` ;
# * `rate` doit appartenir à `[0, 1)` : sinon, levez une `ValueError`. Avec `rate=0`, la sortie est égale
#   à `x`.
#
# Les tests vérifient des statistiques sur un grand tableau (la proportion de zéros, la mise à l'échelle des
# éléments conservés, la moyenne), et non une suite aléatoire particulière.


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-dropout_forward", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# `rng.random(x.shape)` draws one number uniformly in `[0, 1)` per element: compared with `rate`, it gives a boolean mask whose elements are `True` with a known probability. Check `rate` before you draw anything.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# `np.where(mask, a, b)` takes `a` where the mask is `True` and `b` elsewhere, in a **new** array: `x` itself stays untouched. The survivors are divided by `1 - rate`, the dropped elements are 0.
#
# </details>

# %% [markdown] lang="fr"
# <details><summary>Indice 1</summary>
#
# `rng.random(x.shape)` tire, pour chaque élément, un nombre uniformément dans `[0, 1)` : comparé à `rate`, il donne un masque booléen dont les éléments valent `True` avec une probabilité connue. Vérifiez `rate` avant de tirer quoi que ce soit.
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# `np.where(mask, a, b)` prend `a` là où le masque vaut `True` et `b` ailleurs, dans un **nouveau** tableau : `x` lui-même reste intact. Les éléments conservés sont divisés par `1 - rate`, les éléments mis à zéro valent 0.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "dropout_forward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def dropout_forward(x, rate, rng=None):
    """Inverted dropout: zero each element with probability `rate`, scale the rest by 1 / (1 - rate)."""
    ### BEGIN SOLUTION
    if not 0 <= rate < 1:
        raise ValueError(f"rate must be in [0, 1), got {rate}")
    rng = np.random.default_rng() if rng is None else rng
    x = np.asarray(x, dtype=float)
    keep = rng.random(x.shape) >= rate
    return np.where(keep, x / (1 - rate), 0.0)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_dropout_forward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of dropout_forward: rates 0.2 and 0.5 on a 200x500 array, rate 0, rng, invalid rates."""
from helpers.grading import check_dropout_forward

assert check_dropout_forward(dropout_forward)

# %% nbgrader={"grade": true, "grade_id": "test_dropout_forward_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of dropout_forward: other shapes (1-D, 3-D), small and large rates, other invalid rates."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_dropout_forward(
    dropout_forward, rates=(0.05, 0.9), shape=(100_000,), seed=41, invalid_rates=(1.5, -1e-9)
)
assert grading.check_dropout_forward(dropout_forward, rates=(0.35,), shape=(20, 50, 60), seed=42)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ex-model", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 3.2 A model with dropout (3 points)
#
# Write `build_dropout_model(input_dim, num_classes, rate=0.5)` that returns a Keras model (not
# compiled): an input of `input_dim` features, then `Dense(64, relu)`, `Dropout(rate)`,
# `Dense(64, relu)`, `Dropout(rate)` and `Dense(num_classes, softmax)`.

# %% [markdown] lang="fr"
# ## 3.2 Un modèle avec Dropout (3 points)
#
# Écrivez `build_dropout_model(input_dim, num_classes, rate=0.5)`, qui renvoie un modèle Keras (non
# compilé) : une entrée de `input_dim` caractéristiques, puis `Dense(64, relu)`, `Dropout(rate)`,
# `Dense(64, relu)`, `Dropout(rate)` et `Dense(num_classes, softmax)`.


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-build_dropout_model", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# A `keras.Sequential` takes a list: start it with `keras.Input`, whose `shape` is a one-element tuple holding the number of features, then list the five layers in the order of the statement.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# The first argument of `layers.Dropout` is the fraction of units **dropped**: pass the function's `rate` through rather than a fixed number. Only the last layer has `softmax`, with one unit per class.
#
# </details>

# %% [markdown] lang="fr"
# <details><summary>Indice 1</summary>
#
# Un `keras.Sequential` prend une liste : commencez-la par `keras.Input`, dont la `shape` est un tuple à un seul élément contenant le nombre de caractéristiques, puis énumérez les cinq couches dans l'ordre de l'énoncé.
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# Le premier argument de `layers.Dropout` est la fraction d'unités **mises à zéro** : transmettez le `rate` de la fonction plutôt qu'un nombre fixe. Seule la dernière couche a l'activation `softmax`, avec une unité par classe.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "build_dropout_model", "locked": false, "schema_version": 3, "solution": true, "task": false}
def build_dropout_model(input_dim, num_classes, rate=0.5):
    """Two Dense(64, relu) layers, each followed by Dropout(rate), then a softmax output layer."""
    ### BEGIN SOLUTION
    return keras.Sequential(
        [
            keras.Input(shape=(input_dim,)),
            layers.Dense(64, activation="relu"),
            layers.Dropout(rate),
            layers.Dense(64, activation="relu"),
            layers.Dropout(rate),
            layers.Dense(num_classes, activation="softmax"),
        ]
    )
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_build_dropout_model", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of build_dropout_model: 64 inputs, 10 classes, the default rate and rate=0.3."""
from helpers.grading import check_build_dropout_model

assert check_build_dropout_model(build_dropout_model)

# %% nbgrader={"grade": true, "grade_id": "test_build_dropout_model_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of build_dropout_model: other sizes and rates."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_build_dropout_model(build_dropout_model, input_dim=13, num_classes=4, rates=(0.2, 0.65))
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ex-mc", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 3.3 Monte-Carlo dropout (3 points)
#
# Write `mc_dropout_predict(model, x, n_samples=30)` that runs the `keras.Sequential` `model` on `x`
# **`n_samples` times with every `Dropout` layer active and every other layer in inference mode**, and
# returns a tuple `(mean, std)` of NumPy arrays: the mean and the standard deviation of the outputs over
# the passes, both of the shape of one pass's output. `np.asarray(...)` turns a tensor into a NumPy
# array.
#
# * The model may contain `BatchNormalization`. Then `model(x, training=True)` is wrong: it puts
#   BatchNormalization in training mode too, so the layer normalizes with the statistics of `x` instead
#   of its moving ones **and updates them** (lesson 3, "Monte-Carlo dropout with batch normalization").
# * After your function returns, every weight and moving statistic of the model is exactly as before.
#
# The tests run your function on small models with `BatchNormalization` and `Dropout`. They compare your
# mean with the average of many passes with dropout active and batch normalization in inference mode
# (within the sampling error of `n_samples` passes), check that your std is not zero where dropout
# changes the outputs, that your mean averages exactly `n_samples` passes, that a model without dropout
# gives a zero std, and that the model is unchanged afterwards.

# %% [markdown] lang="fr"
# ## 3.3 Dropout Monte-Carlo (3 points)
#
# Écrivez `mc_dropout_predict(model, x, n_samples=30)`, qui applique le modèle `keras.Sequential` `model`
# à `x` **`n_samples` fois, avec toutes les couches `Dropout` actives et toutes les autres couches en mode
# inférence**, et qui renvoie un tuple `(mean, std)` de tableaux NumPy : la moyenne et l'écart type des
# sorties sur l'ensemble des passes, tous deux de la forme de la sortie d'une seule passe.
# `np.asarray(...)` convertit un tenseur en tableau NumPy.
#
# * Le modèle peut contenir des couches `BatchNormalization`. Dans ce cas, `model(x, training=True)` ne
#   convient pas : cet appel met aussi BatchNormalization en mode entraînement, si bien que la couche
#   normalise avec les statistiques de `x` au lieu de ses statistiques mobiles, **et met celles-ci à jour**
#   (leçon 3, « Le Dropout Monte-Carlo avec la normalisation par lots »).
# * Une fois votre fonction terminée, chaque poids et chaque statistique mobile du modèle doivent être
#   exactement comme avant.
#
# Les tests exécutent votre fonction sur de petits modèles comportant `BatchNormalization` et `Dropout`. Ils
# comparent votre moyenne à la moyenne de nombreuses passes effectuées avec le Dropout actif et la
# normalisation par lots en mode inférence (à l'erreur d'échantillonnage de `n_samples` passes près), et
# vérifient que votre écart type n'est pas nul là où le Dropout modifie les sorties, que votre moyenne porte
# exactement sur `n_samples` passes, qu'un modèle sans Dropout donne un écart type nul, et que le modèle est
# inchangé après l'appel.


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-mc_dropout_predict", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# `model.layers` lists the layers of a `Sequential` model in order (the input is not one of them), and each layer can be called on its own like a function, with its own `training=` argument. `isinstance(obj, cls)` tells whether an object is an instance of a class, such as `layers.Dropout`.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# Collect the passes in a list, `np.stack` them into one array of shape `(n_samples, rows, outputs)` and reduce over axis 0. To test yourself, copy `[np.array(w) for w in model.weights]` before a call and compare afterwards.
#
# </details>

# %% [markdown] lang="fr"
# <details><summary>Indice 1</summary>
#
# `model.layers` énumère dans l'ordre les couches d'un modèle `Sequential` (l'entrée n'en fait pas partie), et chaque couche peut être appelée seule, comme une fonction, avec son propre argument `training=`. `isinstance(obj, cls)` indique si un objet est une instance d'une classe, par exemple `layers.Dropout`.
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# Rassemblez les passes dans une liste, empilez-les avec `np.stack` en un seul tableau de forme `(n_samples, rows, outputs)`, puis réduisez selon l'axe 0. Pour vous tester, copiez `[np.array(w) for w in model.weights]` avant un appel et comparez après.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "mc_dropout_predict", "locked": false, "schema_version": 3, "solution": true, "task": false}
def mc_dropout_predict(model, x, n_samples=30):
    """Mean and standard deviation of `n_samples` forward passes with only the Dropout layers in training mode."""
    ### BEGIN SOLUTION
    passes = []
    for _ in range(n_samples):
        h = x
        for layer in model.layers:
            # Dropout active, every other layer (BatchNormalization too) in inference mode.
            h = layer(h, training=isinstance(layer, layers.Dropout))
        passes.append(np.asarray(h))
    passes = np.stack(passes)
    return passes.mean(axis=0), passes.std(axis=0)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_mc_dropout_predict", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of mc_dropout_predict: BatchNormalization + Dropout (mean, std, model unchanged), passes, no dropout."""
from helpers.grading import check_mc_dropout_predict

assert check_mc_dropout_predict(mc_dropout_predict)

# %% nbgrader={"grade": true, "grade_id": "test_mc_dropout_predict_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of mc_dropout_predict: other sizes, rate and numbers of passes (one by position), with BatchNormalization."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_mc_dropout_predict(
    mc_dropout_predict, input_dim=5, num_classes=6, n_rows=7, rate=0.3, n_samples=(7, 50), seed=43
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "try-it", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Try it: what do the passes tell?
#
# The cell below trains your dropout model on the benchmark for 30 epochs, then runs Monte-Carlo
# dropout on the validation set. Each prediction comes with two signals: the mean probability of the
# predicted class (the confidence) and its spread relative to that mean (std / mean). For each signal
# the validation digits are split into a "sure" and an "unsure" half. Which signal separates right
# from wrong predictions better? Does it change with more epochs or another rate?

# %% [markdown] lang="fr"
# ## À vous : que révèlent les passes ?
#
# La cellule ci-dessous entraîne votre modèle avec Dropout sur le banc d'essai pendant 30 époques, puis
# applique le Dropout Monte-Carlo à l'ensemble de validation. Chaque prédiction s'accompagne de deux
# signaux : la probabilité moyenne de la classe prédite (la confiance) et sa dispersion rapportée à cette
# moyenne (écart type / moyenne). Pour chaque signal, les chiffres de l'ensemble de validation sont répartis
# en une moitié « sûre » (*sure*) et une moitié « incertaine » (*unsure*). Quel signal sépare le mieux les
# prédictions justes des prédictions fausses ? Cela change-t-il avec davantage d'époques ou un autre `rate` ?

# %% id="try-it-code" tags=["nbval-ignore-output"]
split = benchmark_split(seed=0)
keras.utils.set_random_seed(0)
model = build_dropout_model(split.input_dim, split.num_classes)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
fit(model, split, epochs=30, seed=0)

mean, std = mc_dropout_predict(model, split.x_val, n_samples=30)
predicted = mean.argmax(axis=1)
correct = predicted == split.y_val
rows = np.arange(len(mean))
signals = {
    "low confidence": 1 - mean[rows, predicted],
    "large relative spread": std[rows, predicted] / mean[rows, predicted],
}
for name, unsureness in signals.items():
    unsure = unsureness > np.median(unsureness)
    print(
        f"split by {name:>22}: accuracy {correct[~unsure].mean():.3f} on the sure half, "
        f"{correct[unsure].mean():.3f} on the unsure half"
    )
