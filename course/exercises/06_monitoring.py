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
# # Exercise 6: Monitoring and choosing a configuration
#
# Graded exercises for section 6 of the chapter. Write each function in its answer cell (replace
# `raise NotImplementedError()`), run it, then run the test cell below it. Hidden tests check the same
# functions again on other inputs when your notebook is graded. The last question is a short written
# answer, graded by your instructor. Run the whole notebook from the top before you submit.

# %% [markdown] lang="fr"
# # Exercice 6 : suivre l'entraînement et choisir une configuration
#
# Exercices notés de la section 6 du chapitre. Écrivez chaque fonction dans sa cellule de réponse (remplacez
# `raise NotImplementedError()`), exécutez-la, puis exécutez la cellule de test qui la suit. Des tests cachés
# vérifient de nouveau les mêmes fonctions sur d'autres entrées lors de la notation de votre notebook. La dernière
# question appelle une courte réponse rédigée, notée par votre enseignant. Exécutez tout le notebook depuis le
# début avant de le rendre.

# %% [markdown] nbgrader={"grade": false, "grade_id": "recap", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Recap
#
# * Watch **both** curves while training: training performance alone always looks good. The
#   validation loss reaching its minimum and then rising is the moment the model starts memorizing.
# * `keras.callbacks.EarlyStopping` watches a logged quantity (`monitor="val_loss"`) and stops
#   training when it has not improved for `patience` epochs. With `restore_best_weights=True` the model
#   gets back the weights of its best epoch; without it, it keeps those of the last epoch. Pass it to
#   `fit(..., callbacks=[...])`.
# * Choosing a configuration is an experiment: train the candidates on the same data with the same
#   seed, compare them on validation data, and look at more than one number (accuracy, gap, when the
#   validation loss was best). The lessons measured on the benchmark (three seeds): 0.80<!-- claim e6 --> validation accuracy
#   for the large unregularized network, 0.89<!-- claim e7 --> with L2(0.01), 0.89<!-- claim e8 --> with Dropout(0.5), and
#   0.89<!-- claim f4 --> with early stopping.

# %% [markdown] lang="fr"
# ## Récapitulatif
#
# * Surveillez **les deux** courbes pendant l'entraînement : à elles seules, les performances sur l'ensemble
#   d'entraînement paraissent toujours bonnes. Le moment où la perte de validation atteint son minimum puis
#   remonte est celui où le modèle commence à mémoriser.
# * `keras.callbacks.EarlyStopping` surveille une grandeur enregistrée (`monitor="val_loss"`) et arrête
#   l'entraînement lorsqu'elle ne s'est pas améliorée depuis `patience` époques. Avec `restore_best_weights=True`,
#   le modèle retrouve les poids de sa meilleure époque ; sinon, il garde ceux de la dernière époque. Passez-le à
#   `fit(..., callbacks=[...])`.
# * Choisir une configuration est une expérience : entraînez les candidats sur les mêmes données avec la même
#   graine, comparez-les sur les données de validation, et regardez plus d'un nombre (exactitude, écart, époque où
#   la perte de validation a été la meilleure). Les leçons ont mesuré sur le banc d'essai (trois graines) une
#   exactitude (accuracy) de validation de 0,80<!-- claim e6 --> pour le grand réseau non régularisé,
#   0,89<!-- claim e7 --> avec L2(0.01), 0,89<!-- claim e8 --> avec Dropout(0.5) et 0,89<!-- claim f4 --> avec l'arrêt anticipé.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
from helpers.setup import setup_notebook

setup_notebook(seed=0)

import keras
import numpy as np
import pandas as pd

from helpers.experiments import LARGE, train


# %% [markdown] nbgrader={"grade": false, "grade_id": "ex-early", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 6.1 Early stopping (3 points)
#
# Write `make_early_stopping(patience=5)` that returns a new `keras.callbacks.EarlyStopping` that
# monitors `"val_loss"`, waits `patience` epochs without improvement, and restores the best weights.
# Leave the other arguments at their defaults. The hidden tests also feed the callback a sequence of
# validation losses and check when it stops and which weights it restores.

# %% [markdown] lang="fr"
# ## 6.1 L'arrêt anticipé (3 points)
#
# Écrivez `make_early_stopping(patience=5)`, qui renvoie un nouveau `keras.callbacks.EarlyStopping` qui surveille
# `"val_loss"`, attend `patience` époques sans amélioration et restaure les meilleurs poids. Laissez les autres
# arguments à leur valeur par défaut. Les tests cachés fournissent aussi au callback une suite de pertes de
# validation et vérifient à quel moment il arrête l'entraînement et quels poids il restaure.


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-make_early_stopping", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# `keras.callbacks.EarlyStopping` takes `monitor`, `patience` and `restore_best_weights` as keyword arguments.
#
# </details>

# %% [markdown] lang="fr"
# <details><summary>Indice 1</summary>
#
# `keras.callbacks.EarlyStopping` accepte `monitor`, `patience` et `restore_best_weights` comme arguments nommés.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "make_early_stopping", "locked": false, "schema_version": 3, "solution": true, "task": false}
def make_early_stopping(patience=5):
    """EarlyStopping on val_loss with the given patience, restoring the best weights."""
    ### BEGIN SOLUTION
    return keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_make_early_stopping", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of make_early_stopping: the default patience and patience=3."""
from helpers.grading import check_make_early_stopping

assert check_make_early_stopping(make_early_stopping)

# %% nbgrader={"grade": true, "grade_id": "test_make_early_stopping_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of make_early_stopping: other patiences, and the callback's behaviour on a loss curve."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_make_early_stopping(make_early_stopping, patiences=(None, 2, 10), simulate=True)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ex-summary", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 6.2 A table of runs (3 points)
#
# Write `summarize_runs(histories)`. `histories` maps a run name to its history (a
# `keras.callbacks.History` or its `.history` dict). Return a `pandas.DataFrame` with
#
# * one row per run, **indexed by the run name**;
# * the columns `train_accuracy` and `val_accuracy` (last epoch), `gap` (their difference, training
#   minus validation, last epoch) and `best_epoch` (the 1-based epoch of the lowest `val_loss`, first
#   one on ties: your `best_epoch` of exercise 1 does this, copy it into the answer cell if you like);
# * rows **sorted by `val_accuracy`, best first**.
#
# `pd.DataFrame.from_dict(rows, orient="index")` builds a table from a dict of row dicts, and
# `.sort_values("val_accuracy", ascending=False)` sorts it.

# %% [markdown] lang="fr"
# ## 6.2 Un tableau des entraînements (3 points)
#
# Écrivez `summarize_runs(histories)`. `histories` associe à chaque nom d'entraînement son historique (un
# `keras.callbacks.History` ou son dictionnaire `.history`). Renvoyez un `pandas.DataFrame` avec
#
# * une ligne par entraînement, **indexée par le nom de l'entraînement** ;
# * les colonnes `train_accuracy` et `val_accuracy` (dernière époque), `gap` (leur différence, entraînement moins
#   validation, à la dernière époque) et `best_epoch` (l'époque, numérotée à partir de 1, de la plus faible
#   `val_loss`, la première en cas d'égalité : votre `best_epoch` de l'exercice 1 fait cela, copiez-la dans la
#   cellule de réponse si vous le souhaitez) ;
# * les lignes **triées par `val_accuracy`, la meilleure en premier**.
#
# `pd.DataFrame.from_dict(rows, orient="index")` construit un tableau à partir d'un dictionnaire de dictionnaires
# (un par ligne), et `.sort_values("val_accuracy", ascending=False)` le trie.


# %% [markdown] nbgrader={"grade": false, "grade_id": "hint-summarize_runs", "locked": true, "schema_version": 3, "solution": false, "task": false}
# <details><summary>Hint 1</summary>
#
# Build one dict per run, then `pd.DataFrame.from_dict(rows, orient="index")` makes one row per key.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# `best_epoch` counts from 1 and looks for the lowest `val_loss`. Sort with `sort_values(..., ascending=False)`.
#
# </details>

# %% [markdown] lang="fr"
# <details><summary>Indice 1</summary>
#
# Construisez un dictionnaire par entraînement, puis `pd.DataFrame.from_dict(rows, orient="index")` crée une ligne par clé.
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# `best_epoch` compte à partir de 1 et cherche la plus faible `val_loss`. Triez avec `sort_values(..., ascending=False)`.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "summarize_runs", "locked": false, "schema_version": 3, "solution": true, "task": false}
def summarize_runs(histories):
    """One row per run (indexed by name): last-epoch accuracies, gap and best epoch, best first."""
    ### BEGIN SOLUTION
    rows = {}
    for name, history in histories.items():
        logs = getattr(history, "history", history)
        train_accuracy, val_accuracy = logs["accuracy"][-1], logs["val_accuracy"][-1]
        rows[name] = {
            "train_accuracy": train_accuracy,
            "val_accuracy": val_accuracy,
            "gap": train_accuracy - val_accuracy,
            "best_epoch": int(np.argmin(logs["val_loss"])) + 1,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    return table.sort_values("val_accuracy", ascending=False)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_summarize_runs", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Visible test of summarize_runs: three runs of 8 epochs, as History objects and dicts."""
from helpers.grading import check_summarize_runs

assert check_summarize_runs(summarize_runs)

# %% nbgrader={"grade": true, "grade_id": "test_summarize_runs_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of summarize_runs: five runs of different lengths (one of a single epoch), other names."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

names = ("small", "L1(1e-3)", "BatchNorm", "early stopping", "Dropout(0.2)")
assert grading.check_summarize_runs(summarize_runs, seed=61, names=names, lengths=(12, 7, 12, 1, 20))
assert grading.check_summarize_runs(summarize_runs, seed=62, names=("only run",), lengths=(5,))
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "runs-intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 6.3 Your runs
#
# The cell below trains three configurations of the large network (two hidden layers of 256 units)
# on the benchmark (seed 0, up to 60 epochs each, a few seconds each) and summarizes them with
# your functions. Add or change configurations if you like: uncomment the L2 line, or write your own
# with `LARGE.with_(l2=..., dropout=..., batchnorm=True, hidden=(...))` (see `help(LARGE)`). Then
# answer the question below from **your** table.

# %% [markdown] lang="fr"
# ## 6.3 Vos entraînements
#
# La cellule ci-dessous entraîne trois configurations du grand réseau (deux couches cachées de 256 unités) sur le
# banc d'essai (graine 0, jusqu'à 60 époques chacune, quelques secondes chacune) et les résume avec vos fonctions.
# Ajoutez ou modifiez des configurations si vous le souhaitez : décommentez la ligne L2, ou écrivez la vôtre avec
# `LARGE.with_(l2=..., dropout=..., batchnorm=True, hidden=(...))` (voir `help(LARGE)`). Répondez ensuite à la
# question ci-dessous à partir de **votre** tableau.

# %% id="runs" tags=["nbval-ignore-output"]
runs = {
    "baseline": train(LARGE, seed=0),
    "Dropout(0.5)": train(LARGE.with_(dropout=0.5), seed=0),
    "early stopping": train(LARGE, seed=0, callbacks=[make_early_stopping(patience=5)]),
    # "L2(0.01)": train(LARGE.with_(l2=0.01), seed=0),
}
summary = summarize_runs({name: run.history for name, run in runs.items()})
summary["epochs_trained"] = [runs[name].epochs for name in summary.index]
print(summary.round(3).to_string())

# %% [markdown] nbgrader={"grade": false, "grade_id": "question", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 6.4 Which configuration would you deploy? (4 points)
#
# In the cell below, in a few sentences: which of your configurations would you deploy, and why?
# Quote numbers from your table. A complete answer
#
# 1. names one configuration (1 point);
# 2. justifies it with its validation accuracy compared with the others (1 point);
# 3. uses the gap and the best epoch to say which runs overfit, and how much (1 point);
# 4. notes that the early-stopping run keeps the weights of its best epoch, while the table shows its
#    last trained epoch, and says what you would try next (1 point).

# %% [markdown] lang="fr"
# ## 6.4 Quelle configuration déploieriez-vous ? (4 points)
#
# Dans la cellule ci-dessous, en quelques phrases : laquelle de vos configurations déploieriez-vous, et pourquoi ?
# Citez des nombres de votre tableau. Une réponse complète
#
# 1. nomme une configuration (1 point) ;
# 2. la justifie par son exactitude de validation, comparée à celle des autres (1 point) ;
# 3. s'appuie sur l'écart et la meilleure époque pour dire quels entraînements font du surapprentissage, et dans
#    quelle mesure (1 point) ;
# 4. remarque que l'entraînement avec arrêt anticipé conserve les poids de sa meilleure époque, alors que le
#    tableau montre sa dernière époque d'entraînement, et dit ce que vous essaieriez ensuite (1 point).

# %% [markdown] nbgrader={"grade": true, "grade_id": "deploy_answer", "locked": false, "points": 4, "schema_version": 3, "solution": true, "task": false}
# *Example answer (seed 0, the three runs of the cell above; a learner's numbers depend on their
# runs):*
#
# I would deploy **Dropout(0.5)**. It has the best validation accuracy of my runs, just ahead of early
# stopping and far ahead of the baseline, and a negative gap: it does not memorize the wrong labels,
# and its validation loss was still at its best late in training. The baseline overfits badly: almost
# every training label learned, a large positive gap, and its best validation loss came within the
# first twenty epochs, so most of its epochs were spent memorizing noise. The early-stopping run
# restored the weights of its best epoch, so the model it returns is that epoch's model, not the last
# row of its history. Dropout and early stopping are within a point of each other, so before deciding
# I would repeat both on two more seeds, and try dropout together with early stopping.

# %% [markdown] lang="fr"
# *Exemple de réponse (graine 0, les trois entraînements de la cellule ci-dessus ; les nombres de chaque étudiant
# dépendent de ses propres entraînements) :*
#
# Je déploierais **Dropout(0.5)**. Cette configuration a la meilleure exactitude de validation de mes
# entraînements, juste devant l'arrêt anticipé et loin devant le modèle de référence, et un écart négatif : elle ne
# mémorise pas les étiquettes erronées, et sa perte de validation était encore à son meilleur niveau tard dans
# l'entraînement. Le modèle de référence fait un fort surapprentissage : presque toutes les étiquettes d'entraînement sont apprises, l'écart est
# largement positif, et sa meilleure perte de validation est survenue dans les vingt premières époques, si bien
# que la plupart de ses époques ont servi à mémoriser du bruit. L'entraînement avec arrêt anticipé a restauré les
# poids de sa meilleure époque : le modèle qu'il renvoie est donc celui de cette époque, et non celui de la
# dernière ligne de son historique. Dropout et arrêt anticipé sont à moins d'un point l'un de l'autre ; avant de
# trancher, je répéterais donc les deux avec deux autres graines, et j'essaierais le Dropout combiné à l'arrêt
# anticipé.
