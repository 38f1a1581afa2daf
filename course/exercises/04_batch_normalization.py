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
# # Exercise 4: Batch normalization
#
# Graded exercises for section 4 of the chapter. Write each function in its answer cell (replace
# `raise NotImplementedError()`), run it, then run the test cell below it. Hidden tests check the same
# functions again on other inputs when your notebook is graded. Run the whole notebook from the top
# before you submit.

# %% [markdown] lang="fr"
# # Exercice 4 : Normalisation par lots
#
# Exercices notés de la section 4 du chapitre. Écrivez chaque fonction dans sa cellule de réponse (remplacez
# `raise NotImplementedError()`), exécutez-la, puis exécutez la cellule de test placée juste en dessous. Lors
# de la notation de votre notebook, des tests cachés vérifient à nouveau les mêmes fonctions sur d'autres
# entrées. Exécutez tout le notebook depuis le début avant de le rendre.

# %% [markdown] nbgrader={"grade": false, "grade_id": "recap", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Recap
#
# `layers.BatchNormalization()` normalizes each feature of its input over the examples of the batch,
# then lets the network rescale and shift it with two learned vectors, `gamma` and `beta`:
#
# $$\hat x = \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \varepsilon}}, \qquad y = \gamma\,\hat x + \beta$$
#
# * In **training** mode, $\mu_B$ and $\sigma_B^2$ are the mean and the **biased** variance (divided
#   by the batch size $n$, not $n - 1$) of the current batch, feature by feature (axis 0). Keras's
#   default $\varepsilon$ is `1e-3`.
# * The layer also keeps **moving averages** of the batch means and variances, updated at every
#   training step with `momentum` (default `0.99`). At **inference** (`predict`, `training=False`) it
#   normalizes with these moving statistics, so a prediction does not depend on the other examples
#   of the batch.
# * Why: the inputs of each layer keep a stable scale while the layers before them change, so
#   training is more stable and needs fewer epochs, and larger learning rates become usable. The
#   lesson measured it: a 6-layer network trained with SGD(0.05) on 1,000 digits reached 90%
#   validation accuracy in 6–9<!-- claim d8 --> epochs with BatchNormalization against 14–18<!-- claim d7 --> without
#   (relu), and in 11–12<!-- claim d10 --> epochs against never within 30 (sigmoid), over three seeds. On the small
#   noisy benchmark, by contrast, adding it to the large network changed the final validation
#   accuracy by 0.01 ± 0.01<!-- claim d6 -->: there it sped training up without reducing the overfitting.

# %% [markdown] lang="fr"
# ## Récapitulatif
#
# `layers.BatchNormalization()` normalise chaque caractéristique de son entrée sur les exemples du lot, puis
# laisse le réseau la remettre à l'échelle et la décaler grâce à deux vecteurs appris, `gamma` et `beta` :
#
# $$\hat x = \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \varepsilon}}, \qquad y = \gamma\,\hat x + \beta$$
#
# * En mode **entraînement**, $\mu_B$ et $\sigma_B^2$ sont la moyenne et la variance **biaisée** (divisée
#   par la taille du lot $n$, et non par $n - 1$) du lot courant, caractéristique par caractéristique
#   (axe 0). Dans Keras, la valeur par défaut de $\varepsilon$ est `1e-3`.
# * La couche entretient aussi des **moyennes mobiles** des moyennes et des variances des lots, mises à jour
#   à chaque étape d'entraînement avec `momentum` (par défaut `0.99`). À l'**inférence** (`predict`,
#   `training=False`), elle normalise avec ces statistiques mobiles : une prédiction ne dépend donc pas des
#   autres exemples du lot.
# * Pourquoi : les entrées de chaque couche gardent une échelle stable pendant que les couches qui la
#   précèdent évoluent ; l'entraînement est donc plus stable et demande moins d'époques, et des taux
#   d'apprentissage plus élevés deviennent utilisables. La leçon l'a mesuré : un réseau de 6 couches entraîné
#   avec SGD(0.05) sur 1 000 chiffres atteignait 90 % d'exactitude (accuracy) en validation en
#   6 à 9<!-- claim d8 --> époques avec BatchNormalization contre 14 à 18<!-- claim d7 --> sans (relu), et
#   en 11 à 12<!-- claim d10 --> époques contre jamais en 30 époques (sigmoïde), sur trois graines. Sur le
#   petit banc d'essai bruité, en revanche, l'ajouter au grand réseau a modifié l'exactitude finale en
#   validation de 0,01 ± 0,01<!-- claim d6 --> : elle y a accéléré l'entraînement sans réduire le
#   surapprentissage.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
from helpers.setup import setup_notebook

setup_notebook(seed=0)

import keras
import numpy as np
from keras import layers

from helpers.experiments import convergence_split, fit


# %% [markdown] nbgrader={"grade": false, "grade_id": "ex-forward", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 4.1 The training-mode forward pass (3 points)
#
# Write `batchnorm_forward(x, gamma, beta, epsilon=1e-3)` for a 2-D array `x` of shape
# `(batch, features)` and vectors `gamma`, `beta` of shape `(features,)`. It returns the normalized,
# scaled and shifted array of the shape of `x`, computed with the batch statistics over **axis 0**
# and the **biased** variance (`np.var` does that by default).
#
# The tests compare your output with `keras.layers.BatchNormalization(epsilon=epsilon)` called with
# `training=True` and the same `gamma` and `beta` (to 1e-5).

# %% [markdown] lang="fr"
# ## 4.1 La propagation avant en mode entraînement (3 points)
#
# Écrivez `batchnorm_forward(x, gamma, beta, epsilon=1e-3)` pour un tableau 2-D `x` de forme
# `(batch, features)` et des vecteurs `gamma`, `beta` de forme `(features,)`. Elle renvoie le tableau
# normalisé, remis à l'échelle et décalé, de la forme de `x`, calculé avec les statistiques du lot selon
# l'**axe 0** et la variance **biaisée** (c'est ce que fait `np.var` par défaut).
#
# Les tests comparent votre sortie à celle de `keras.layers.BatchNormalization(epsilon=epsilon)` appelée
# avec `training=True` et les mêmes `gamma` et `beta` (à 1e-5 près).


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-batchnorm_forward", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# Compute the mean and the variance of each feature over the batch (`axis=0`). The variance is the biased one, NumPy's default `var`.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# Normalize, then scale by `gamma` and shift by `beta`; `epsilon` goes inside the square root.
#
# </details>

# %% [markdown] lang="fr"
# <details><summary>Indice 1</summary>
#
# Calculez la moyenne et la variance de chaque caractéristique sur le lot (`axis=0`). La variance est la variance biaisée, celle que calcule par défaut `var` dans NumPy.
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# Normalisez, puis multipliez par `gamma` et ajoutez `beta` ; `epsilon` se place sous la racine carrée.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "batchnorm_forward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def batchnorm_forward(x, gamma, beta, epsilon=1e-3):
    """Training-mode batch normalization of `x` (batch, features) with the batch statistics."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    mean = x.mean(axis=0)
    variance = x.var(axis=0)
    return gamma * (x - mean) / np.sqrt(variance + epsilon) + beta
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_batchnorm_forward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of batchnorm_forward: a batch of 8 examples with 5 features, the default epsilon."""
from helpers.grading import check_batchnorm_forward

assert check_batchnorm_forward(batchnorm_forward)

# %% nbgrader={"grade": true, "grade_id": "test_batchnorm_forward_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of batchnorm_forward: other batch sizes and numbers of features, other epsilons."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_batchnorm_forward(
    batchnorm_forward, seed=51, shapes=((4, 3), (64, 7)), epsilons=(None, 0.1, 1e-5)
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ex-moving", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 4.2 The moving statistics (3 points)
#
# Write `update_moving_average(moving, batch_value, momentum=0.99)` that returns the new value of a
# moving statistic (an array) after one training step, with the rule Keras's `BatchNormalization`
# uses for its `moving_mean` and `moving_variance`: the **old value keeps the weight `momentum`** and
# the current batch's value gets the rest.
#
# Beware when you read other sources: PyTorch (and some textbooks) use the opposite convention, where
# `momentum` is the weight of the *batch* value (PyTorch's default 0.1 matches Keras's 0.99).
#
# The tests run a real `BatchNormalization` layer for one training step and compare its new moving
# mean and variance with your function applied to the old ones and to the batch's mean and variance.

# %% [markdown] lang="fr"
# ## 4.2 Les statistiques mobiles (3 points)
#
# Écrivez `update_moving_average(moving, batch_value, momentum=0.99)`, qui renvoie la nouvelle valeur d'une
# statistique mobile (un tableau) après une étape d'entraînement, selon la règle qu'applique la couche
# `BatchNormalization` de Keras à ses `moving_mean` et `moving_variance` : l'**ancienne valeur garde le
# poids `momentum`** et la valeur du lot courant reçoit le reste.
#
# Attention si vous consultez d'autres sources : PyTorch (et certains manuels) utilise la convention
# inverse, où `momentum` est le poids de la valeur du *lot* (la valeur par défaut de PyTorch, 0,1,
# correspond au 0,99 de Keras).
#
# Les tests exécutent une vraie couche `BatchNormalization` pendant une étape d'entraînement et comparent
# ses nouvelles moyenne et variance mobiles au résultat de votre fonction appliquée aux anciennes valeurs
# ainsi qu'à la moyenne et à la variance du lot.


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-update_moving_average", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# The new value is a weighted average of two things with weights that add up to 1: which one gets `momentum`? Convert both inputs with `np.asarray` so that lists work too.
#
# </details>

# %% [markdown] lang="fr"
# <details><summary>Indice 1</summary>
#
# La nouvelle valeur est une moyenne pondérée de deux quantités, avec des poids dont la somme vaut 1 : laquelle reçoit `momentum` ? Convertissez les deux entrées avec `np.asarray` pour que les listes fonctionnent aussi.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "update_moving_average", "locked": false, "schema_version": 3, "solution": true, "task": false}
def update_moving_average(moving, batch_value, momentum=0.99):
    """One update of a moving statistic, as Keras's BatchNormalization does it."""
    ### BEGIN SOLUTION
    return momentum * np.asarray(moving) + (1 - momentum) * np.asarray(batch_value)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_update_moving_average", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of update_moving_average: 4 features, the default momentum and momentum=0.9."""
from helpers.grading import check_update_moving_average

assert check_update_moving_average(update_moving_average)

# %% nbgrader={"grade": true, "grade_id": "test_update_moving_average_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of update_moving_average: more features, other momentums."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_update_moving_average(
    update_moving_average, seed=52, features=9, momentums=(0.8, 0.999, None)
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ex-model", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 4.3 A model with batch normalization (3 points)
#
# Write `build_batchnorm_model(input_dim, num_classes)` that returns a Keras model (not compiled): an
# input of `input_dim` features, then `Dense(64, relu)`, `BatchNormalization()`, `Dense(64, relu)`,
# `BatchNormalization()` and `Dense(num_classes, softmax)`.

# %% [markdown] lang="fr"
# ## 4.3 Un modèle avec normalisation par lots (3 points)
#
# Écrivez `build_batchnorm_model(input_dim, num_classes)`, qui renvoie un modèle Keras (non compilé) : une
# entrée de `input_dim` caractéristiques, puis `Dense(64, relu)`, `BatchNormalization()`,
# `Dense(64, relu)`, `BatchNormalization()` et `Dense(num_classes, softmax)`.


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-build_batchnorm_model", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# `layers.BatchNormalization()` is a layer of its own, placed right after each hidden `Dense` layer; the output layer gets none.
#
# </details>

# %% [markdown] lang="fr"
# <details><summary>Indice 1</summary>
#
# `layers.BatchNormalization()` est une couche à part entière, placée juste après chaque couche `Dense` cachée ; la couche de sortie n'en a pas.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "build_batchnorm_model", "locked": false, "schema_version": 3, "solution": true, "task": false}
def build_batchnorm_model(input_dim, num_classes):
    """Two Dense(64, relu) layers, each followed by BatchNormalization, then a softmax output layer."""
    ### BEGIN SOLUTION
    return keras.Sequential(
        [
            keras.Input(shape=(input_dim,)),
            layers.Dense(64, activation="relu"),
            layers.BatchNormalization(),
            layers.Dense(64, activation="relu"),
            layers.BatchNormalization(),
            layers.Dense(num_classes, activation="softmax"),
        ]
    )
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_build_batchnorm_model", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of build_batchnorm_model: 64 inputs and 10 classes."""
from helpers.grading import check_build_batchnorm_model

assert check_build_batchnorm_model(build_batchnorm_model)

# %% nbgrader={"grade": true, "grade_id": "test_build_batchnorm_model_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of build_batchnorm_model: other numbers of inputs and classes."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_build_batchnorm_model(build_batchnorm_model, input_dim=17, num_classes=2)
assert grading.check_build_batchnorm_model(build_batchnorm_model, input_dim=300, num_classes=26)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "try-it", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Try it: fewer epochs
#
# The cell below trains your model and the same model without its BatchNormalization layers with
# plain SGD (learning rate 0.05) on 1,000 clean digits for 8 epochs, and prints the validation
# accuracy after each epoch. Which one gets to 90% first? Try `activation="sigmoid"` in both models.

# %% [markdown] lang="fr"
# ## À vous : moins d'époques
#
# La cellule ci-dessous entraîne votre modèle, ainsi que le même modèle privé de ses couches
# BatchNormalization, avec une simple descente de gradient stochastique (SGD, taux d'apprentissage 0,05) sur
# 1 000 chiffres non bruités pendant 8 époques, et affiche l'exactitude en validation après chaque époque.
# Lequel atteint 90 % le premier ? Essayez `activation="sigmoid"` dans les deux modèles.

# %% id="try-it-code" tags=["nbval-ignore-output"]
split = convergence_split(seed=0)


def build_plain_model(input_dim, num_classes):
    # The same network without BatchNormalization.
    return keras.Sequential(
        [
            keras.Input(shape=(input_dim,)),
            layers.Dense(64, activation="relu"),
            layers.Dense(64, activation="relu"),
            layers.Dense(num_classes, activation="softmax"),
        ]
    )


for name, build in (("with BatchNormalization", build_batchnorm_model), ("without", build_plain_model)):
    keras.utils.set_random_seed(0)
    model = build(split.input_dim, split.num_classes)
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="categorical_crossentropy", metrics=["accuracy"])
    history = fit(model, split, epochs=8, seed=0)
    print(f"{name:>24}:", " ".join(f"{v:.2f}" for v in history.history["val_accuracy"]))
