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
# # Exercise 1: Overfitting and underfitting
#
# Graded exercises for section 1 of the chapter. Write each function in its answer cell (replace
# `raise NotImplementedError()`), run the cell, then run the test cell below it. The visible tests
# show you what is checked; hidden tests check the same function again on other inputs when your
# notebook is graded. Run the notebook from the top (*Kernel > Restart & Run All*) before you submit.

# %% [markdown] lang="fr"
# # Exercice 1 : surapprentissage et sous-apprentissage
#
# Exercices notés de la section 1 du chapitre. Écrivez chaque fonction dans sa cellule de réponse (à la place de
# `raise NotImplementedError()`), exécutez la cellule, puis exécutez la cellule de test placée juste en dessous. Les
# tests visibles vous montrent ce qui est vérifié ; lors de la correction de votre notebook, des tests cachés vérifient
# à nouveau la même fonction sur d'autres entrées. Avant de rendre votre travail, exécutez le notebook depuis le début
# (*Kernel > Restart & Run All*).

# %% [markdown] nbgrader={"grade": false, "grade_id": "recap", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Recap
#
# * A model **overfits** when it learns the training examples, noise included, instead of the pattern
#   behind them: training accuracy keeps rising while validation accuracy stalls or falls.
# * A model **underfits** when it is too simple (or too constrained) to fit even the training data:
#   both accuracies stay low.
# * The **generalization gap** is training performance minus validation performance at the end of
#   training. A large positive gap is the signature of overfitting. It can be negative: on this
#   course's benchmark 20 % of the training labels are wrong while the validation labels are clean, so
#   a model that learned the digits and not the noise scores lower on its own training data; and
#   Dropout (and BatchNormalization) compute the training metric in training mode.
# * `model.fit(...)` returns a `keras.callbacks.History`; its `.history` attribute is a dict mapping
#   each logged quantity to one value per epoch, e.g.
#   `{"loss": [...], "accuracy": [...], "val_loss": [...], "val_accuracy": [...]}`.
#   Keras numbers epochs from 1 in its logs (`Epoch 1/60`), while Python lists start at index 0.
#
# In this course's benchmark (300 handwritten digits with 20% wrong labels, 1,497 clean digits for
# validation), a large network reaches 99 %<!-- claim a5 --> training accuracy but 80 %<!-- claim a6 --> validation accuracy:
# it memorizes the wrong labels.

# %% [markdown] lang="fr"
# ## Récapitulatif
#
# * Un modèle est en **surapprentissage** lorsqu'il apprend les exemples d'entraînement, bruit compris, au lieu de la
#   régularité qui les sous-tend : l'exactitude (accuracy) d'entraînement continue de monter tandis que celle de
#   validation stagne ou baisse.
# * Un modèle est en **sous-apprentissage** lorsqu'il est trop simple (ou trop contraint) pour s'ajuster ne serait-ce
#   qu'aux données d'entraînement : les deux exactitudes restent basses.
# * L'**écart de généralisation** est la performance d'entraînement moins la performance de validation à la fin de
#   l'entraînement. Un grand écart positif est la signature du surapprentissage. Il peut être négatif : sur le banc
#   d'essai du cours, 20 % des étiquettes d'entraînement sont erronées alors que les étiquettes de validation sont
#   correctes, si bien qu'un modèle qui a appris les chiffres et non le bruit obtient un score plus bas sur ses propres
#   données d'entraînement ; de plus, Dropout (et BatchNormalization) calculent la métrique d'entraînement en mode
#   entraînement.
# * `model.fit(...)` renvoie un `keras.callbacks.History` ; son attribut `.history` est un dictionnaire qui associe à
#   chaque grandeur enregistrée une valeur par époque, par exemple
#   `{"loss": [...], "accuracy": [...], "val_loss": [...], "val_accuracy": [...]}`.
#   Dans ses journaux, Keras numérote les époques à partir de 1 (`Epoch 1/60`), alors que les listes Python commencent
#   à l'indice 0.
#
# Sur le banc d'essai du cours (300 chiffres manuscrits dont 20 % mal étiquetés, 1 497 chiffres correctement étiquetés
# pour la validation), un grand réseau atteint 99 %<!-- claim a5 --> d'exactitude d'entraînement mais 80 %<!-- claim a6 --> d'exactitude de validation :
# il mémorise les étiquettes erronées.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
from helpers.setup import setup_notebook

setup_notebook(seed=0)

import keras
import numpy as np

from helpers.experiments import benchmark_split, fit


# %% [markdown] nbgrader={"grade": false, "grade_id": "ex-gap", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1.1 The generalization gap (3 points)
#
# Write `generalization_gap(history, metric="accuracy")` that returns, as a float, the **last-epoch**
# value of `metric` minus the last-epoch value of `"val_" + metric`.
#
# * `history` is either a `keras.callbacks.History` or its `.history` dict: accept both
#   (`getattr(history, "history", history)` gives the dict in both cases).
# * `metric` can be any logged quantity, e.g. `"loss"` or `"auc"`.
# * Keep the sign: do not take an absolute value.
#
# Example: `generalization_gap({"accuracy": [0.6, 0.9], "val_accuracy": [0.55, 0.7]})` is about `0.2`.

# %% [markdown] lang="fr"
# ## 1.1 L'écart de généralisation (3 points)
#
# Écrivez `generalization_gap(history, metric="accuracy")`, qui renvoie, sous forme de flottant (`float`), la valeur de
# `metric` à la **dernière époque** moins la valeur de `"val_" + metric` à la dernière époque.
#
# * `history` est soit un `keras.callbacks.History`, soit son dictionnaire `.history` : acceptez les deux
#   (`getattr(history, "history", history)` donne le dictionnaire dans les deux cas).
# * `metric` peut être n'importe quelle grandeur enregistrée, par exemple `"loss"` ou `"auc"`.
# * Conservez le signe : ne prenez pas de valeur absolue.
#
# Exemple : `generalization_gap({"accuracy": [0.6, 0.9], "val_accuracy": [0.55, 0.7]})` vaut environ `0.2`.


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-generalization_gap", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# A history's values are lists with one entry per epoch: the last epoch is index `-1`.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# The validation version of a metric is logged under the same name with `val_` in front. Return a plain Python `float`, and keep the sign.
#
# </details>

# %% [markdown] lang="fr"
# <details><summary>Indice 1</summary>
#
# Les valeurs d'un historique sont des listes qui contiennent une entrée par époque : la dernière époque est à l'indice `-1`.
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# La version de validation d'une métrique est enregistrée sous le même nom, précédé de `val_`. Renvoyez un simple `float` Python, et conservez le signe.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "generalization_gap", "locked": false, "schema_version": 3, "solution": true, "task": false}
def generalization_gap(history, metric="accuracy"):
    """Last-epoch training `metric` minus last-epoch validation `metric`, as a float."""
    ### BEGIN SOLUTION
    logs = getattr(history, "history", history)
    return float(logs[metric][-1] - logs["val_" + metric][-1])
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_generalization_gap", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of generalization_gap: random 6-epoch histories, as a History object and as a dict."""
from helpers.grading import check_generalization_gap

assert check_generalization_gap(generalization_gap)

# %% nbgrader={"grade": true, "grade_id": "test_generalization_gap_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of generalization_gap: other histories, another metric, one epoch, a negative gap."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_generalization_gap(generalization_gap, seed=11, epochs=9, metric="auc")
assert grading.check_generalization_gap(generalization_gap, seed=12, epochs=1, negative=True)
assert grading.check_generalization_gap(generalization_gap, seed=13, epochs=4, metric="loss")
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ex-best", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1.2 The best epoch (3 points)
#
# Write `best_epoch(history, monitor="val_loss")` that returns, as an `int`, the epoch at which
# `monitor` reached its best value:
#
# * epochs are counted **from 1** (as Keras prints them);
# * the best value is the **lowest** one when the name of `monitor` contains `"loss"`, and the
#   **highest** one otherwise (accuracies, AUC, ...);
# * on a tie, return the **first** epoch that reached the best value.
#
# Example: with `{"val_loss": [0.9, 0.5, 0.7, 0.5]}`, `best_epoch(history)` is `2`.

# %% [markdown] lang="fr"
# ## 1.2 La meilleure époque (3 points)
#
# Écrivez `best_epoch(history, monitor="val_loss")`, qui renvoie, sous forme d'`int`, l'époque à laquelle `monitor` a
# atteint sa meilleure valeur :
#
# * les époques sont comptées **à partir de 1** (comme Keras les affiche) ;
# * la meilleure valeur est la **plus basse** lorsque le nom de `monitor` contient `"loss"`, et la **plus haute**
#   sinon (exactitudes, AUC, etc.) ;
# * en cas d'égalité, renvoyez la **première** époque qui a atteint la meilleure valeur.
#
# Exemple : avec `{"val_loss": [0.9, 0.5, 0.7, 0.5]}`, `best_epoch(history)` vaut `2`.


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-best_epoch", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# `np.argmin` and `np.argmax` return the index of the *first* minimum or maximum, which settles ties the way the test wants.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# Python counts from 0, Keras's epochs from 1. Decide between lowest and highest from the monitored name (does it contain `"loss"`?).
#
# </details>

# %% [markdown] lang="fr"
# <details><summary>Indice 1</summary>
#
# `np.argmin` et `np.argmax` renvoient l'indice du *premier* minimum ou maximum, ce qui départage les égalités comme le test l'attend.
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# Python compte à partir de 0, les époques de Keras à partir de 1. Choisissez entre la plus basse et la plus haute valeur d'après le nom surveillé (contient-il `"loss"` ?).
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "best_epoch", "locked": false, "schema_version": 3, "solution": true, "task": false}
def best_epoch(history, monitor="val_loss"):
    """1-based epoch of the best `monitor` value (lowest for losses, highest otherwise; first on ties)."""
    ### BEGIN SOLUTION
    values = np.asarray(getattr(history, "history", history)[monitor])
    index = np.argmin(values) if "loss" in monitor else np.argmax(values)
    return int(index) + 1
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_best_epoch", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of best_epoch: val_loss and val_accuracy, default monitor, ties."""
from helpers.grading import check_best_epoch

assert check_best_epoch(best_epoch)

# %% nbgrader={"grade": true, "grade_id": "test_best_epoch_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of best_epoch: other lengths and monitors (training loss, another metric), one epoch."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_best_epoch(best_epoch, seed=21, epochs=15, monitors=("loss", "val_auc", "val_loss"))
assert grading.check_best_epoch(best_epoch, seed=22, epochs=1, monitors=("val_accuracy",), ties=False)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ex-diagnose", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1.3 A diagnosis (3 points)
#
# Write `diagnose_fit(history, gap_threshold=0.1, underfit_threshold=0.8)` that reads the
# **last-epoch** `accuracy` and `val_accuracy` and returns one of three strings:
#
# 1. `"underfitting"` when the training accuracy is **below** `underfit_threshold`;
# 2. otherwise `"overfitting"` when the accuracy gap (training minus validation) is **above**
#    `gap_threshold`;
# 3. otherwise `"good fit"`.
#
# "Below" and "above" are strict: a value equal to the threshold does not trigger the label. You may
# call your `generalization_gap` from above.

# %% [markdown] lang="fr"
# ## 1.3 Un diagnostic (3 points)
#
# Écrivez `diagnose_fit(history, gap_threshold=0.1, underfit_threshold=0.8)`, qui lit `accuracy` et `val_accuracy` à
# la **dernière époque** et renvoie l'une de ces trois chaînes :
#
# 1. `"underfitting"` lorsque l'exactitude d'entraînement est **inférieure** à `underfit_threshold` ;
# 2. sinon, `"overfitting"` lorsque l'écart d'exactitude (entraînement moins validation) est **supérieur** à
#    `gap_threshold` ;
# 3. sinon, `"good fit"`.
#
# « Inférieure » et « supérieure » s'entendent au sens strict : une valeur égale au seuil ne déclenche pas ce
# diagnostic. Vous pouvez appeler votre fonction `generalization_gap` écrite plus haut.


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-diagnose_fit", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# Read the last-epoch `accuracy` and `val_accuracy`, then test the conditions **in the order the statement gives**: a model that cannot fit its training data is underfitting whatever its gap.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# Use strict comparisons as stated: *below* `underfit_threshold`, gap *above* `gap_threshold`.
#
# </details>

# %% [markdown] lang="fr"
# <details><summary>Indice 1</summary>
#
# Lisez `accuracy` et `val_accuracy` à la dernière époque, puis testez les conditions **dans l'ordre de l'énoncé** : un modèle incapable de s'ajuster à ses données d'entraînement est en sous-apprentissage, quel que soit son écart.
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# Utilisez des comparaisons strictes, comme l'indique l'énoncé : *inférieure* à `underfit_threshold`, écart *supérieur* à `gap_threshold`.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "diagnose_fit", "locked": false, "schema_version": 3, "solution": true, "task": false}
def diagnose_fit(history, gap_threshold=0.1, underfit_threshold=0.8):
    """Diagnose a training run from its last-epoch accuracies: "underfitting", "overfitting" or "good fit"."""
    ### BEGIN SOLUTION
    logs = getattr(history, "history", history)
    train, val = logs["accuracy"][-1], logs["val_accuracy"][-1]
    if train < underfit_threshold:
        return "underfitting"
    if train - val > gap_threshold:
        return "overfitting"
    return "good fit"
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_diagnose_fit", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of diagnose_fit: five histories with the default thresholds."""
from helpers.grading import check_diagnose_fit

assert check_diagnose_fit(diagnose_fit)

# %% nbgrader={"grade": true, "grade_id": "test_diagnose_fit_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of diagnose_fit: other thresholds, values equal to a threshold, a negative gap."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

cases = [
    (0.55, 0.40, {"gap_threshold": 0.2, "underfit_threshold": 0.5}, "good fit"),
    (0.95, 0.70, {"gap_threshold": 0.2, "underfit_threshold": 0.5}, "overfitting"),
    (0.45, 0.44, {"gap_threshold": 0.2, "underfit_threshold": 0.5}, "underfitting"),
    (0.45, 0.15, {"gap_threshold": 0.2, "underfit_threshold": 0.5}, "underfitting"),
    (0.90, 0.75, {"gap_threshold": 0.2}, "good fit"),
    (0.75, 0.25, {"underfit_threshold": 0.75}, "overfitting"),
    (0.875, 0.75, {"gap_threshold": 0.125, "underfit_threshold": 0.75}, "good fit"),
    (0.85, 0.99, {}, "good fit"),
]
assert grading.check_diagnose_fit(diagnose_fit, cases=cases, epochs=9)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "try-it", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Try it on a real run
#
# The cell below trains a large network (two hidden layers of 256 units, no regularization) on the
# course's benchmark for 60 epochs (a few seconds) and reads its history with your three functions.
# Compare with the lesson: where is the best validation loss, and what does the diagnosis say?

# %% [markdown] lang="fr"
# ## Essayez sur un véritable entraînement
#
# La cellule ci-dessous entraîne un grand réseau (deux couches cachées de 256 unités, sans régularisation) sur le banc
# d'essai du cours pendant 60 époques (quelques secondes), puis lit son historique avec vos trois fonctions. Comparez
# avec la leçon : à quelle époque se trouve la meilleure perte de validation, et que dit le diagnostic ?

# %% id="try-it-code" tags=["nbval-ignore-output"]
split = benchmark_split(seed=0)
model = keras.Sequential(
    [
        keras.Input(shape=(split.input_dim,)),
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dense(split.num_classes, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
history = fit(model, split, epochs=60, seed=0)

print(f"gap after 60 epochs: {generalization_gap(history):.3f}")
print(f"best val_loss at epoch {best_epoch(history)} of {len(history.epoch)}")
print("diagnosis:", diagnose_fit(history))

# %% [markdown] nbgrader={"grade": false, "grade_id": "rule-of-thumb", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## A rule of thumb, not a verdict
#
# `diagnose_fit`'s thresholds are a rule of thumb, and they must fit the data. On this benchmark 20 % of
# the training labels are wrong, so a model that learns the digits and not the noise cannot score much
# above 0.8 on its own training data, and less while Dropout is active. The cell below trains the
# chapter's own model (lesson 5): with the default `underfit_threshold=0.8` your function calls it
# "underfitting", although over three seeds it beat the large network's validation accuracy by
# 0.04<!-- claim e3 -->.
#
# What to look at instead: the validation accuracy and its curve (still rising? would a larger model do
# better on validation?), and the best training accuracy the data allows. Here that ceiling is the share of
# correct labels, 0.8,
# so a threshold below it (0.7, say) reads the run correctly.

# %% [markdown] lang="fr"
# ## Une règle empirique, pas un verdict
#
# Les seuils de `diagnose_fit` sont une règle empirique, et ils doivent être adaptés aux données. Sur ce banc d'essai,
# 20 % des étiquettes d'entraînement sont erronées : un modèle qui apprend les chiffres et non le bruit ne peut donc pas
# dépasser de beaucoup 0,8 sur ses propres données d'entraînement, et il obtient moins tant que Dropout est actif. La
# cellule ci-dessous entraîne le modèle du chapitre lui-même (leçon 5) : avec la valeur par défaut
# `underfit_threshold=0.8`, votre fonction le déclare en « underfitting », alors que, sur trois graines, il a dépassé
# de 0,04<!-- claim e3 --> l'exactitude de validation du grand réseau.
#
# Ce qu'il faut regarder à la place : l'exactitude de validation et sa courbe (monte-t-elle encore ? un modèle plus
# grand ferait-il mieux en validation ?), ainsi que la meilleure exactitude d'entraînement que permettent les données.
# Ici, ce plafond est la proportion d'étiquettes correctes, 0,8 ;
# un seuil inférieur (0,7 par exemple) interprète donc correctement cet entraînement.

# %% id="rule-of-thumb-code" tags=["nbval-ignore-output"]
chapter = keras.Sequential(
    [
        keras.Input(shape=(split.input_dim,)),
        keras.layers.Dense(
            64, activation="relu", kernel_regularizer=keras.regularizers.l1_l2(l1=0.01, l2=0.01)
        ),
        keras.layers.BatchNormalization(),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(split.num_classes, activation="softmax"),
    ]
)
chapter.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
chapter_history = fit(chapter, split, epochs=60, seed=0)

logs = chapter_history.history
print(f"training accuracy {logs['accuracy'][-1]:.3f}, validation accuracy {logs['val_accuracy'][-1]:.3f}")
print("default thresholds:    ", diagnose_fit(chapter_history))
print("underfit_threshold=0.7:", diagnose_fit(chapter_history, underfit_threshold=0.7))
