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
# # Exercise 2: L1, L2 and Elastic Net regularization
#
# Graded exercises for section 2 of the chapter. Write each function in its answer cell (replace
# `raise NotImplementedError()`), run it, then run the test cell below it. Hidden tests check the same
# functions again on other inputs when your notebook is graded. Run the whole notebook from the top
# before you submit.

# %% [markdown] lang="fr"
# # Exercice 2 : régularisation L1, L2 et Elastic Net
#
# Exercices notés de la section 2 du chapitre. Écrivez chaque fonction dans sa cellule de réponse (à la place de
# `raise NotImplementedError()`), exécutez-la, puis exécutez la cellule de test placée juste en dessous. Lors de la
# correction de votre notebook, des tests cachés vérifient à nouveau les mêmes fonctions sur d'autres entrées. Avant de
# rendre votre travail, exécutez tout le notebook depuis le début.

# %% [markdown] nbgrader={"grade": false, "grade_id": "recap", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Recap
#
# A weight penalty is added to the loss, so training trades fitting the data against keeping the
# weights small:
#
# | penalty | Keras | adds to the loss | effect on the weights |
# |---|---|---|---|
# | L1 (Lasso) | `regularizers.L1(l1)` or `regularizers.l1(l1)` | `l1 * sum(abs(w))` | many end near zero (trained by gradient steps, not exactly 0.0): sparse |
# | L2 (Ridge, weight decay) | `regularizers.L2(l2)` or `regularizers.l2(l2)` | `l2 * sum(w ** 2)` | small, rarely zero |
# | Elastic Net | `regularizers.L1L2(l1=..., l2=...)` or `regularizers.l1_l2(...)` | both terms | sparse and small |
#
# Note that Keras's L2 penalty has **no factor 1/2** in front. `regularizers.l1_l2()` called without
# arguments uses zero factors: it adds nothing.
#
# A Keras layer takes three regularizer arguments:
#
# * `kernel_regularizer`: penalizes the weight matrix (the usual choice),
#   e.g. `layers.Dense(units=64, kernel_regularizer=regularizers.l2(0.01))`;
# * `bias_regularizer`: penalizes the bias vector;
# * `activity_regularizer`: penalizes the layer's **outputs**, pushing activations towards zero.
#
# Keras collects the penalties in `model.losses` and adds them to the training loss. On the course's
# noisy digits benchmark the lessons measured (three seeds) a validation accuracy of 0.80<!-- claim e6 --> for a large
# unregularized network and 0.89<!-- claim e7 --> with `L2(0.01)`; with `L1(1e-3)` 80 %<!-- claim b1 --> of the hidden kernel
# weights end up below 1e-3 in absolute value, against 0.8 %<!-- claim b2 --> without a penalty.

# %% [markdown] lang="fr"
# ## Récapitulatif
#
# Une pénalité sur les poids est ajoutée à la perte : l'entraînement cherche alors un compromis entre l'ajustement aux
# données et des poids qui restent petits :
#
# | pénalité | Keras | ajoute à la perte | effet sur les poids |
# |---|---|---|---|
# | L1 (Lasso) | `regularizers.L1(l1)` ou `regularizers.l1(l1)` | `l1 * sum(abs(w))` | beaucoup finissent près de zéro (entraînés par pas de gradient, ils ne valent pas exactement 0,0) : parcimonieux |
# | L2 (Ridge, décroissance des poids ou *weight decay*) | `regularizers.L2(l2)` ou `regularizers.l2(l2)` | `l2 * sum(w ** 2)` | petits, rarement nuls |
# | Elastic Net | `regularizers.L1L2(l1=..., l2=...)` ou `regularizers.l1_l2(...)` | les deux termes | parcimonieux et petits |
#
# Notez que la pénalité L2 de Keras n'a **pas de facteur 1/2** devant. Appelée sans arguments,
# `regularizers.l1_l2()` utilise des facteurs nuls : elle n'ajoute rien.
#
# Une couche Keras accepte trois arguments de régularisation :
#
# * `kernel_regularizer` : pénalise la matrice des poids (le choix habituel),
#   par exemple `layers.Dense(units=64, kernel_regularizer=regularizers.l2(0.01))` ;
# * `bias_regularizer` : pénalise le vecteur des biais ;
# * `activity_regularizer` : pénalise les **sorties** de la couche, ce qui pousse les activations vers zéro.
#
# Keras rassemble les pénalités dans `model.losses` et les ajoute à la perte d'entraînement. Sur le banc d'essai du
# cours (chiffres aux étiquettes bruitées), les leçons ont mesuré (sur trois graines) une exactitude (accuracy) de
# validation de 0,80<!-- claim e6 --> pour un grand réseau non régularisé et de 0,89<!-- claim e7 --> avec `L2(0.01)` ;
# avec `L1(1e-3)`, 80 %<!-- claim b1 --> des poids de la matrice `kernel` de la couche cachée finissent sous 1e-3 en
# valeur absolue, contre 0,8 %<!-- claim b2 --> sans pénalité.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
from helpers.setup import setup_notebook

setup_notebook(seed=0)

import keras
import numpy as np
from keras import layers, regularizers

from helpers.experiments import benchmark_split, fit


# %% [markdown] nbgrader={"grade": false, "grade_id": "ex-penalties", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2.1 - 2.3 The penalties in NumPy (9 points)
#
# Write the three penalties with NumPy only. Each takes an array of weights of any shape and returns a
# float equal (to a relative 1e-5) to what Keras computes: the tests compare your values with
# `keras.regularizers.L1(factor)(w)`, `L2(factor)(w)` and `L1L2(l1=l1, l2=l2)(w)` on random arrays.
#
# * `l1_penalty(weights, factor)`: `factor` times the sum of the absolute values;
# * `l2_penalty(weights, factor)`: `factor` times the sum of the squares;
# * `elastic_net_penalty(weights, l1, l2)`: the sum of both, with their own factors.

# %% [markdown] lang="fr"
# ## 2.1 - 2.3 Les pénalités en NumPy (9 points)
#
# Écrivez les trois pénalités avec NumPy uniquement. Chacune prend un tableau de poids de forme quelconque et renvoie
# un flottant égal (à 1e-5 près en valeur relative) à ce que calcule Keras : les tests comparent vos valeurs avec
# `keras.regularizers.L1(factor)(w)`, `L2(factor)(w)` et `L1L2(l1=l1, l2=l2)(w)` sur des tableaux aléatoires.
#
# * `l1_penalty(weights, factor)` : `factor` fois la somme des valeurs absolues ;
# * `l2_penalty(weights, factor)` : `factor` fois la somme des carrés ;
# * `elastic_net_penalty(weights, l1, l2)` : la somme des deux, chacune avec son propre facteur.


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-l1_penalty", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# `np.abs` and `np.sum` work on arrays of any shape; multiply by the factor and convert the result with `float(...)`.
#
# </details>

# %% [markdown] lang="fr"
# <details><summary>Indice 1</summary>
#
# `np.abs` et `np.sum` fonctionnent sur des tableaux de forme quelconque ; multipliez par le facteur et convertissez le résultat avec `float(...)`.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "l1_penalty", "locked": false, "schema_version": 3, "solution": true, "task": false}
def l1_penalty(weights, factor):
    """L1 penalty factor * sum(|w|) of a NumPy array, as a float."""
    ### BEGIN SOLUTION
    return float(factor * np.sum(np.abs(weights)))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_l1_penalty", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of l1_penalty: a random 6x4 array, factor 0.01, compared with keras.regularizers.L1."""
from helpers.grading import check_l1_penalty

assert check_l1_penalty(l1_penalty)

# %% nbgrader={"grade": true, "grade_id": "test_l1_penalty_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of l1_penalty: other shapes (1-D to 3-D) and factors (zero included)."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

shapes = [(7,), (3, 5, 2), (1, 1), (40, 30)]
assert grading.check_l1_penalty(l1_penalty, seed=31, shapes=shapes, factors=(0.3, 1e-4, 0.0))
### END HIDDEN TESTS


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-l2_penalty", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# Square each weight (`np.square` or `** 2`), sum, multiply by the factor. Keras puts no 1/2 in front.
#
# </details>

# %% [markdown] lang="fr"
# <details><summary>Indice 1</summary>
#
# Élevez chaque poids au carré (`np.square` ou `** 2`), faites la somme, puis multipliez par le facteur. Keras ne met pas de 1/2 devant.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "l2_penalty", "locked": false, "schema_version": 3, "solution": true, "task": false}
def l2_penalty(weights, factor):
    """L2 penalty factor * sum(w ** 2) of a NumPy array, as a float."""
    ### BEGIN SOLUTION
    return float(factor * np.sum(np.square(weights)))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_l2_penalty", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of l2_penalty: a random 6x4 array, factor 0.01, compared with keras.regularizers.L2."""
from helpers.grading import check_l2_penalty

assert check_l2_penalty(l2_penalty)

# %% nbgrader={"grade": true, "grade_id": "test_l2_penalty_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of l2_penalty: other shapes (1-D to 3-D) and factors (zero included)."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

shapes = [(9,), (2, 3, 4), (1, 1), (30, 40)]
assert grading.check_l2_penalty(l2_penalty, seed=32, shapes=shapes, factors=(0.5, 2e-4, 0.0))
### END HIDDEN TESTS


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-elastic_net_penalty", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# Elastic Net is the L1 term with its own factor plus the L2 term with its own factor: you wrote both above.
#
# </details>

# %% [markdown] lang="fr"
# <details><summary>Indice 1</summary>
#
# Elastic Net, c'est le terme L1 avec son propre facteur plus le terme L2 avec son propre facteur : vous avez écrit les deux plus haut.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "elastic_net_penalty", "locked": false, "schema_version": 3, "solution": true, "task": false}
def elastic_net_penalty(weights, l1, l2):
    """Elastic Net penalty l1 * sum(|w|) + l2 * sum(w ** 2) of a NumPy array, as a float."""
    ### BEGIN SOLUTION
    return float(l1 * np.sum(np.abs(weights)) + l2 * np.sum(np.square(weights)))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_elastic_net_penalty", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of elastic_net_penalty: a random 6x4 array, l1=0.01 and l2=0.02, compared with L1L2."""
from helpers.grading import check_elastic_net_penalty

assert check_elastic_net_penalty(elastic_net_penalty)

# %% nbgrader={"grade": true, "grade_id": "test_elastic_net_penalty_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of elastic_net_penalty: other shapes and factor pairs (one of them zero)."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

shapes = [(5,), (4, 2, 3), (25, 10)]
factors = [(0.003, 0.07), (0.2, 0.0), (0.0, 0.05)]
assert grading.check_elastic_net_penalty(elastic_net_penalty, seed=33, shapes=shapes, factors=factors)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ex-model", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2.4 A regularized model (3 points)
#
# Write `build_regularized_model(input_dim, num_classes, kind="l2", factor=0.01)` that returns a
# `keras.Sequential` model (not compiled):
#
# 1. an input of `input_dim` features (`keras.Input(shape=(input_dim,))`);
# 2. `Dense(64, activation="relu")` with a **kernel** regularizer chosen by `kind`:
#    `"l1"` gives `L1(factor)`, `"l2"` gives `L2(factor)`, `"elastic_net"` gives
#    `L1L2(l1=factor, l2=factor)`;
# 3. `Dense(num_classes, activation="softmax")` without any regularizer.
#
# Any other `kind` raises `ValueError`. Use the arguments: the hidden tests build models of other
# sizes.

# %% [markdown] lang="fr"
# ## 2.4 Un modèle régularisé (3 points)
#
# Écrivez `build_regularized_model(input_dim, num_classes, kind="l2", factor=0.01)`, qui renvoie un modèle
# `keras.Sequential` (non compilé) :
#
# 1. une entrée de `input_dim` caractéristiques (`keras.Input(shape=(input_dim,))`) ;
# 2. `Dense(64, activation="relu")` avec un régulariseur de **kernel** (la matrice des poids) choisi selon `kind` :
#    `"l1"` donne `L1(factor)`, `"l2"` donne `L2(factor)`, `"elastic_net"` donne
#    `L1L2(l1=factor, l2=factor)` ;
# 3. `Dense(num_classes, activation="softmax")` sans aucun régulariseur.
#
# Toute autre valeur de `kind` lève une `ValueError`. Servez-vous des arguments : les tests cachés construisent des
# modèles d'autres tailles.


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-build_regularized_model", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# Choose the regularizer object first (`regularizers.L1`, `L2` or `L1L2(l1=..., l2=...)`) from `kind`, then pass it as `kernel_regularizer=` to the hidden `Dense` layer only.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# For an unknown `kind`, raise `ValueError` with a message that lists the accepted values. Start the model with `keras.Input(shape=(input_dim,))`.
#
# </details>

# %% [markdown] lang="fr"
# <details><summary>Indice 1</summary>
#
# Choisissez d'abord l'objet régulariseur (`regularizers.L1`, `L2` ou `L1L2(l1=..., l2=...)`) selon `kind`, puis passez-le en `kernel_regularizer=` à la seule couche `Dense` cachée.
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# Pour une valeur de `kind` inconnue, levez une `ValueError` avec un message qui énumère les valeurs acceptées. Commencez le modèle par `keras.Input(shape=(input_dim,))`.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "build_regularized_model", "locked": false, "schema_version": 3, "solution": true, "task": false}
def build_regularized_model(input_dim, num_classes, kind="l2", factor=0.01):
    """Dense(64, relu) with an L1, L2 or Elastic Net kernel penalty, then a softmax output layer."""
    ### BEGIN SOLUTION
    if kind == "l1":
        penalty = regularizers.L1(factor)
    elif kind == "l2":
        penalty = regularizers.L2(factor)
    elif kind == "elastic_net":
        penalty = regularizers.L1L2(l1=factor, l2=factor)
    else:
        raise ValueError(f"kind must be 'l1', 'l2' or 'elastic_net', got {kind!r}")
    return keras.Sequential(
        [
            keras.Input(shape=(input_dim,)),
            layers.Dense(64, activation="relu", kernel_regularizer=penalty),
            layers.Dense(num_classes, activation="softmax"),
        ]
    )
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_build_regularized_model", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of build_regularized_model: 64 inputs, 10 classes, the three kinds, an unknown kind."""
from helpers.grading import check_build_regularized_model

assert check_build_regularized_model(build_regularized_model)

# %% nbgrader={"grade": true, "grade_id": "test_build_regularized_model_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of build_regularized_model: other sizes and factor, other unknown kinds."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_build_regularized_model(
    build_regularized_model,
    input_dim=20,
    num_classes=3,
    factor=0.003,
    invalid_kinds=("dropout", "l1l2", "L2 "),
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ex-layer", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2.5 The three regularizer arguments (3 points)
#
# Write `build_penalized_layer(units)` that returns a **layer** (not a model):
# `Dense(units, activation="relu")` with `kernel_regularizer=L2(0.01)`, `bias_regularizer=L2(0.01)`
# and `activity_regularizer=L1(0.001)`. Create a new layer at each call.

# %% [markdown] lang="fr"
# ## 2.5 Les trois arguments de régularisation (3 points)
#
# Écrivez `build_penalized_layer(units)`, qui renvoie une **couche** (pas un modèle) :
# `Dense(units, activation="relu")` avec `kernel_regularizer=L2(0.01)`, `bias_regularizer=L2(0.01)`
# et `activity_regularizer=L1(0.001)`. Créez une nouvelle couche à chaque appel.


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-build_penalized_layer", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# A `Dense` layer takes three separate arguments: `kernel_regularizer`, `bias_regularizer` and `activity_regularizer`. Each gets its own regularizer object.
#
# </details>

# %% [markdown] lang="fr"
# <details><summary>Indice 1</summary>
#
# Une couche `Dense` accepte trois arguments distincts : `kernel_regularizer`, `bias_regularizer` et `activity_regularizer`. Chacun reçoit son propre objet régulariseur.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "build_penalized_layer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def build_penalized_layer(units):
    """Dense(units, relu) with L2(0.01) on kernel and bias and L1(0.001) on its activity."""
    ### BEGIN SOLUTION
    return layers.Dense(
        units,
        activation="relu",
        kernel_regularizer=regularizers.L2(0.01),
        bias_regularizer=regularizers.L2(0.01),
        activity_regularizer=regularizers.L1(0.001),
    )
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_build_penalized_layer", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of build_penalized_layer: a 32-unit layer, its activation and its three regularizers."""
from helpers.grading import check_build_penalized_layer

assert check_build_penalized_layer(build_penalized_layer)

# %% nbgrader={"grade": true, "grade_id": "test_build_penalized_layer_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of build_penalized_layer: other numbers of units."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_build_penalized_layer(build_penalized_layer, units=(7, 128))
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ex-sparsity", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2.6 Measuring sparsity (3 points)
#
# Write `sparsity(model, threshold=1e-3)` that returns the fraction (a float between 0 and 1) of the
# **kernel** weights of **all** `Dense` layers of `model` whose absolute value is **below** `threshold`.
#
# * Pool the kernels: count tiny weights over all Dense kernels together, then divide by the total
#   number of kernel weights (do not average per-layer fractions).
# * Ignore biases and the weights of other layers (e.g. BatchNormalization).
# * `layer.kernel` holds a Dense layer's weight matrix; `np.asarray(layer.kernel)` gives its values.

# %% [markdown] lang="fr"
# ## 2.6 Mesurer la parcimonie (3 points)
#
# Écrivez `sparsity(model, threshold=1e-3)`, qui renvoie la proportion (un flottant entre 0 et 1) des poids de
# **kernel** de **toutes** les couches `Dense` de `model` dont la valeur absolue est **inférieure** à `threshold`.
#
# * Regroupez les kernels : comptez les poids minuscules sur l'ensemble des kernels des couches Dense, puis divisez par
#   le nombre total de poids de kernel (ne faites pas la moyenne des proportions couche par couche).
# * Ignorez les biais et les poids des autres couches (par exemple BatchNormalization).
# * `layer.kernel` contient la matrice des poids d'une couche Dense ; `np.asarray(layer.kernel)` donne ses valeurs.


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-sparsity", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# Every `layers.Dense` layer of `model.layers` has a `kernel` (convert it with `np.asarray`). Pool the absolute values of all kernels before you count: the fraction is over all weights together, not an average of per-layer fractions.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# The mean of a boolean array is the fraction of `True` values.
#
# </details>

# %% [markdown] lang="fr"
# <details><summary>Indice 1</summary>
#
# Chaque couche `layers.Dense` de `model.layers` possède un `kernel` (convertissez-le avec `np.asarray`). Regroupez les valeurs absolues de tous les kernels avant de compter : la proportion porte sur l'ensemble des poids, ce n'est pas une moyenne des proportions par couche.
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# La moyenne d'un tableau booléen est la proportion de valeurs `True`.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "sparsity", "locked": false, "schema_version": 3, "solution": true, "task": false}
def sparsity(model, threshold=1e-3):
    """Fraction of the Dense kernel weights of `model` whose absolute value is below `threshold`."""
    ### BEGIN SOLUTION
    kernels = [np.asarray(layer.kernel) for layer in model.layers if isinstance(layer, layers.Dense)]
    values = np.concatenate([np.abs(k).ravel() for k in kernels])
    return float(np.mean(values < threshold))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_sparsity", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of sparsity: a Sequential model with two Dense layers and a BatchNormalization layer."""
from helpers.grading import check_sparsity

assert check_sparsity(sparsity)

# %% nbgrader={"grade": true, "grade_id": "test_sparsity_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of sparsity: a functional model with three Dense layers, another threshold."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_sparsity(
    sparsity, seed=36, sizes=(20, 16, 8, 3), fractions=(0.25, 0.5, 0.75), threshold=0.05, functional=True
)
assert grading.check_sparsity(sparsity, seed=37, sizes=(6, 30, 5), fractions=(0.1, 0.9))
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "try-it", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Try it: L1 makes weights exactly small
#
# Train your regularized model with an L1 penalty and without one (factor 0) on the benchmark for 30
# epochs each, and compare the sparsity of their kernels. Try other factors and kinds.

# %% [markdown] lang="fr"
# ## Essayez : L1 rend les poids vraiment petits
#
# Entraînez votre modèle régularisé avec une pénalité L1 et sans pénalité (facteur 0) sur le banc d'essai, pendant 30
# époques chacun, et comparez la parcimonie de leurs kernels. Essayez d'autres facteurs et d'autres valeurs de `kind`.

# %% id="try-it-code" tags=["nbval-ignore-output"]
split = benchmark_split(seed=0)
for factor in (0.0, 1e-3):
    keras.utils.set_random_seed(0)
    model = build_regularized_model(split.input_dim, split.num_classes, kind="l1", factor=factor)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    history = fit(model, split, epochs=30, seed=0)
    print(
        f"L1({factor:g}): sparsity {sparsity(model):.1%}, "
        f"validation accuracy {history.history['val_accuracy'][-1]:.3f}"
    )
