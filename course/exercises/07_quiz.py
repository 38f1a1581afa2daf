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
# # Exercise 7: Quiz
#
# 14 multiple-choice questions on the whole chapter. For each question, set the variable
# in the answer cell (`q1`, `q2`, ...) to the letter of the **one** true statement, as a string:
# `q1 = "b"`. Upper or lower case and surrounding spaces do not matter. The test cell below each answer
# only checks that your answer is one of the letters; the answers themselves are checked when the
# quiz is graded, and they carry most of the points. In your feedback, a wrong answer comes with why the
# option you chose is wrong.

# %% [markdown] lang="fr"
# # Exercice 7 : Quiz
#
# 14 questions à choix multiples sur l'ensemble du chapitre. Pour chaque question, affectez à la variable
# de la cellule de réponse (`q1`, `q2`, ...) la lettre de la **seule** affirmation vraie, sous forme de chaîne
# de caractères : `q1 = "b"`. Majuscules ou minuscules et espaces autour de la lettre n'ont pas d'importance.
# La cellule de test placée sous chaque réponse vérifie seulement que votre réponse est l'une des lettres
# proposées ; les réponses elles-mêmes sont vérifiées lors de la correction du quiz, et ce sont elles qui
# rapportent l'essentiel des points. Dans votre retour de correction, chaque réponse fausse est accompagnée de
# l'explication de ce qui ne va pas dans l'option que vous avez choisie.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
from helpers.setup import setup_notebook

setup_notebook(seed=0)

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-1", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 1
#
# Which of the following statements about regularization and normalization techniques in neural networks is true, according to the text?
#
# - **a.** L2 regularization drives many weights to exactly zero, which makes the model sparse.
# - **b.** Dropout permanently removes a fixed set of neurons from the network to make it smaller.
# - **c.** Batch normalization normalizes the activations inside the network, which stabilizes training and can reduce the number of epochs needed.
# - **d.** In Keras a penalty can only be applied to a layer's weight matrix, never to its bias or outputs.

# %% [markdown] lang="fr"
# ### Question 1
#
# Laquelle des affirmations suivantes concernant les techniques de régularisation et de normalisation dans les réseaux de neurones est vraie, selon le texte ?
#
# - **a.** La régularisation L2 ramène de nombreux poids exactement à zéro, ce qui rend le modèle parcimonieux.
# - **b.** Le Dropout (abandon) retire définitivement un ensemble fixe de neurones du réseau pour le rendre plus petit.
# - **c.** La normalisation par lots normalise les activations à l'intérieur du réseau, ce qui stabilise l'entraînement et peut réduire le nombre d'époques nécessaires.
# - **d.** Dans Keras, une pénalité ne peut s'appliquer qu'à la matrice de poids d'une couche, jamais à ses biais ni à ses sorties.

# %% nbgrader={"grade": false, "grade_id": "q1", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 1: one letter as a string, e.g. q1 = "a"
### BEGIN SOLUTION
q1 = "c"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q1", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q1: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q1"), "q1", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q1_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q1: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": {
        "en": "L2 shrinks the weights but rarely makes them exactly zero; driving many weights to zero (sparsity) is what L1 does.",
        "fr": "La régularisation L2 réduit les poids mais les rend rarement exactement nuls ; ramener de nombreux poids à zéro (parcimonie) est l'effet de L1.",
    },
    "b": {
        "en": "Dropout removes no neuron for good: at each training step it switches off a fresh random set of units, and at prediction time every unit is used.",
        "fr": "Le Dropout ne retire aucun neurone définitivement : à chaque pas d'entraînement, il désactive un nouvel ensemble d'unités tiré au hasard, et lors de la prédiction toutes les unités sont utilisées.",
    },
    "d": {
        "en": "Besides kernel_regularizer (the weight matrix), a Keras layer takes bias_regularizer (its biases) and activity_regularizer (its outputs).",
        "fr": "Outre kernel_regularizer (la matrice de poids), une couche Keras accepte bias_regularizer (ses biais) et activity_regularizer (ses sorties).",
    },
}
assert grading.check_quiz_answer(globals().get("q1"), "q1", "abcd", "c", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-2", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 2
#
# What does an L1 (Lasso) penalty on a layer's weights tend to do?
#
# - **a.** It makes all the weights equal.
# - **b.** It drives many weights to zero or very close to it, giving a sparse model.
# - **c.** It makes the weights larger, which speeds up training.
# - **d.** It only changes the layer's outputs, never its weights.

# %% [markdown] lang="fr"
# ### Question 2
#
# Quel effet une pénalité L1 (Lasso) sur les poids d'une couche a-t-elle tendance à produire ?
#
# - **a.** Elle rend tous les poids égaux.
# - **b.** Elle ramène de nombreux poids à zéro ou très près de zéro, ce qui donne un modèle parcimonieux.
# - **c.** Elle fait grandir les poids, ce qui accélère l'entraînement.
# - **d.** Elle ne modifie que les sorties de la couche, jamais ses poids.

# %% nbgrader={"grade": false, "grade_id": "q2", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 2: one letter as a string, e.g. q2 = "a"
### BEGIN SOLUTION
q2 = "b"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q2", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q2: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q2"), "q2", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q2_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q2: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": {
        "en": "Nothing in the penalty l1 * sum(|w|) rewards weights for being equal to each other: it depends on each weight's own size only.",
        "fr": "Rien dans la pénalité l1 * sum(|w|) ne favorise des poids égaux entre eux : elle ne dépend que de la taille de chaque poids pris isolément.",
    },
    "c": {
        "en": "A penalty makes large weights cost more, so it pushes weights down, never up; and larger weights do not make training faster.",
        "fr": "Une pénalité rend les grands poids plus coûteux : elle pousse donc les poids vers le bas, jamais vers le haut ; et des poids plus grands n'accélèrent pas l'entraînement.",
    },
    "d": {
        "en": "Given as kernel_regularizer, the penalty is computed from the weights and its gradient changes them; penalizing a layer's outputs is the job of activity_regularizer.",
        "fr": "Donnée comme kernel_regularizer, la pénalité est calculée à partir des poids et son gradient les modifie ; pénaliser les sorties d'une couche est le rôle d'activity_regularizer.",
    },
}
assert grading.check_quiz_answer(globals().get("q2"), "q2", "abcd", "b", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-3", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 3
#
# Compared with L1, what does an L2 (Ridge) penalty tend to do to the weights?
#
# - **a.** It sets most of them to exactly zero.
# - **b.** It only penalizes the biases.
# - **c.** It increases their magnitude.
# - **d.** It keeps them small, but rarely exactly zero.

# %% [markdown] lang="fr"
# ### Question 3
#
# Par rapport à L1, quel effet une pénalité L2 (Ridge) a-t-elle tendance à avoir sur les poids ?
#
# - **a.** Elle met la plupart d'entre eux exactement à zéro.
# - **b.** Elle ne pénalise que les biais.
# - **c.** Elle augmente leur amplitude.
# - **d.** Elle les maintient petits, mais rarement exactement nuls.

# %% nbgrader={"grade": false, "grade_id": "q3", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 3: one letter as a string, e.g. q3 = "a"
### BEGIN SOLUTION
q3 = "d"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q3", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q3: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q3"), "q3", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q3_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q3: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": {
        "en": "Many weights at (or near) zero is L1's signature: lesson 2 measured far more weights near zero with L1 than with L2.",
        "fr": "De nombreux poids nuls (ou presque) sont la signature de L1 : la leçon 2 a mesuré bien plus de poids proches de zéro avec L1 qu'avec L2.",
    },
    "b": {
        "en": "An L2 penalty given as kernel_regularizer acts on the weight matrix; biases are penalized only through bias_regularizer.",
        "fr": "Une pénalité L2 donnée comme kernel_regularizer agit sur la matrice de poids ; les biais ne sont pénalisés que par bias_regularizer.",
    },
    "c": {
        "en": "A penalty on the weights makes large weights cost more, so it pushes them toward zero, not away from it.",
        "fr": "Une pénalité sur les poids rend les grands poids plus coûteux : elle les pousse donc vers zéro, et non à s'en éloigner.",
    },
}
assert grading.check_quiz_answer(globals().get("q3"), "q3", "abcd", "d", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-4", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 4
#
# A model contains `layers.Dropout(rate=0.5)`. What does that layer do when you call `model.predict(x)`?
#
# - **a.** Nothing: dropout is only active during training, so every unit is used.
# - **b.** It sets half of the units' outputs to zero at random, as during training.
# - **c.** It multiplies every output by 0.5.
# - **d.** It sets the same half of the units' outputs to zero at every call.

# %% [markdown] lang="fr"
# ### Question 4
#
# Un modèle contient `layers.Dropout(rate=0.5)`. Que fait cette couche lorsque vous appelez `model.predict(x)` ?
#
# - **a.** Rien : le Dropout n'est actif que pendant l'entraînement, donc toutes les unités sont utilisées.
# - **b.** Elle met à zéro, au hasard, la moitié des sorties des unités, comme pendant l'entraînement.
# - **c.** Elle multiplie chaque sortie par 0,5.
# - **d.** Elle met à zéro la même moitié des sorties des unités à chaque appel.

# %% nbgrader={"grade": false, "grade_id": "q4", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 4: one letter as a string, e.g. q4 = "a"
### BEGIN SOLUTION
q4 = "a"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q4", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q4: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q4"), "q4", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q4_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q4: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "b": {
        "en": "Random zeroing happens in training mode (inside fit, or with training=True), and predict does not run the model in training mode.",
        "fr": "La mise à zéro aléatoire a lieu en mode entraînement (dans fit, ou avec training=True), et predict n'exécute pas le modèle en mode entraînement.",
    },
    "c": {
        "en": "Scaling every output by (1 - rate) at prediction time is the original dropout paper's scheme, not the one Keras uses (lesson 3 shows what a Keras Dropout layer does in each mode).",
        "fr": "Multiplier chaque sortie par (1 - rate) lors de la prédiction est le schéma de l'article original sur le Dropout, pas celui qu'utilise Keras (la leçon 3 montre ce que fait une couche Dropout de Keras dans chaque mode).",
    },
    "d": {
        "en": "Dropout never uses a fixed set of units: in training a fresh random set is zeroed at each step, and predict does not run the model in training mode.",
        "fr": "Le Dropout n'utilise jamais un ensemble fixe d'unités : à l'entraînement, un nouvel ensemble tiré au hasard est mis à zéro à chaque pas, et predict n'exécute pas le modèle en mode entraînement.",
    },
}
assert grading.check_quiz_answer(globals().get("q4"), "q4", "abcd", "a", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-5", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 5
#
# In `layers.Dropout(rate=0.2)`, what is 0.2?
#
# - **a.** The fraction of the units that are kept at each training step.
# - **b.** The learning rate used for the layer before it.
# - **c.** The probability that each unit's output is set to zero at a training step.
# - **d.** The factor of an L2 penalty on the layer before it.

# %% [markdown] lang="fr"
# ### Question 5
#
# Dans `layers.Dropout(rate=0.2)`, que représente 0,2 ?
#
# - **a.** La fraction des unités conservées à chaque pas d'entraînement.
# - **b.** Le taux d'apprentissage utilisé pour la couche qui la précède.
# - **c.** La probabilité que la sortie de chaque unité soit mise à zéro à un pas d'entraînement.
# - **d.** Le coefficient d'une pénalité L2 sur la couche qui la précède.

# %% nbgrader={"grade": false, "grade_id": "q5", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 5: one letter as a string, e.g. q5 = "a"
### BEGIN SOLUTION
q5 = "c"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q5", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q5: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q5"), "q5", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q5_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q5: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": {
        "en": "Dropout(0.2) keeps most of the units at each training step, not a fifth of them: a small rate means light dropout.",
        "fr": "Dropout(0.2) conserve la plupart des unités à chaque pas d'entraînement, pas un cinquième d'entre elles : un petit taux signifie un Dropout léger.",
    },
    "b": {
        "en": "Dropout has no say in the learning rate: it is set on the optimizer (e.g. keras.optimizers.Adam(learning_rate=...)), for the whole model.",
        "fr": "Le Dropout n'a aucune influence sur le taux d'apprentissage : celui-ci se règle sur l'optimiseur (par exemple keras.optimizers.Adam(learning_rate=...)), pour tout le modèle.",
    },
    "d": {
        "en": "Dropout adds no penalty to the loss; an L2 factor is given to a layer's kernel_regularizer, e.g. regularizers.L2(0.2).",
        "fr": "Le Dropout n'ajoute aucune pénalité à la perte ; un coefficient L2 se donne au kernel_regularizer d'une couche, par exemple regularizers.L2(0.2).",
    },
}
assert grading.check_quiz_answer(globals().get("q5"), "q5", "abcd", "c", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-6", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 6
#
# In `Dense(64, kernel_regularizer=regularizers.l2(0.01), activity_regularizer=regularizers.l1(0.001))`, what does the activity regularizer penalize?
#
# - **a.** The layer's weight matrix.
# - **b.** The layer's outputs (its activations).
# - **c.** The layer's bias vector.
# - **d.** The optimizer's learning rate.

# %% [markdown] lang="fr"
# ### Question 6
#
# Dans `Dense(64, kernel_regularizer=regularizers.l2(0.01), activity_regularizer=regularizers.l1(0.001))`, que pénalise le régulariseur d'activité ?
#
# - **a.** La matrice de poids de la couche.
# - **b.** Les sorties de la couche (ses activations).
# - **c.** Le vecteur de biais de la couche.
# - **d.** Le taux d'apprentissage de l'optimiseur.

# %% nbgrader={"grade": false, "grade_id": "q6", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 6: one letter as a string, e.g. q6 = "a"
### BEGIN SOLUTION
q6 = "b"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q6", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q6: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q6"), "q6", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q6_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q6: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": {
        "en": "The weight matrix is what kernel_regularizer penalizes, here l2(0.01); the activity regularizer is another argument with another target.",
        "fr": "C'est kernel_regularizer qui pénalise la matrice de poids, ici avec l2(0.01) ; le régulariseur d'activité est un autre argument, qui vise autre chose.",
    },
    "c": {
        "en": "The bias vector is what bias_regularizer penalizes, and this layer does not set it.",
        "fr": "C'est bias_regularizer qui pénalise le vecteur de biais, et cette couche ne le définit pas.",
    },
    "d": {
        "en": "No regularizer touches the learning rate, which belongs to the optimizer; a regularizer adds a penalty to the loss.",
        "fr": "Aucun régulariseur ne touche au taux d'apprentissage, qui relève de l'optimiseur ; un régulariseur ajoute une pénalité à la perte.",
    },
}
assert grading.check_quiz_answer(globals().get("q6"), "q6", "abcd", "b", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-7", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 7
#
# Which Keras construct applies an Elastic Net penalty (L1 and L2 together) to a layer's weights?
#
# - **a.** `kernel_regularizer=regularizers.l2(0.01)` written twice.
# - **b.** `Dropout(0.5)` followed by `BatchNormalization()`.
# - **c.** `kernel_regularizer=regularizers.OrthogonalRegularizer()`.
# - **d.** `kernel_regularizer=regularizers.l1_l2(l1=0.01, l2=0.01)`.

# %% [markdown] lang="fr"
# ### Question 7
#
# Quelle construction Keras applique une pénalité Elastic Net (L1 et L2 à la fois) aux poids d'une couche ?
#
# - **a.** `kernel_regularizer=regularizers.l2(0.01)` écrit deux fois.
# - **b.** `Dropout(0.5)` suivi de `BatchNormalization()`.
# - **c.** `kernel_regularizer=regularizers.OrthogonalRegularizer()`.
# - **d.** `kernel_regularizer=regularizers.l1_l2(l1=0.01, l2=0.01)`.

# %% nbgrader={"grade": false, "grade_id": "q7", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 7: one letter as a string, e.g. q7 = "a"
### BEGIN SOLUTION
q7 = "d"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q7", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q7: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q7"), "q7", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q7_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q7: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": {
        "en": "Python refuses the same keyword argument twice, and two L2 penalties would still be an L2 penalty: Elastic Net needs an L1 part.",
        "fr": "Python refuse qu'un même argument nommé soit passé deux fois, et deux pénalités L2 resteraient une pénalité L2 : Elastic Net a besoin d'une partie L1.",
    },
    "b": {
        "en": "Dropout and BatchNormalization are layers, not penalties: neither adds an L1 or an L2 term to the loss.",
        "fr": "Dropout et BatchNormalization sont des couches, pas des pénalités : ni l'une ni l'autre n'ajoute de terme L1 ou L2 à la perte.",
    },
    "c": {
        "en": "OrthogonalRegularizer penalizes how far the kernel's rows (or columns) are from being orthogonal to each other, not the sum of |w| and of w**2.",
        "fr": "OrthogonalRegularizer pénalise l'écart à l'orthogonalité entre les lignes (ou les colonnes) de la matrice de poids, pas la somme des |w| et des w**2.",
    },
}
assert grading.check_quiz_answer(globals().get("q7"), "q7", "abcd", "d", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-8", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 8
#
# Which statement about a `BatchNormalization()` layer is true?
#
# - **a.** During training it normalizes each feature with the mean and variance of the current batch; at inference it uses moving averages of those statistics collected during training.
# - **b.** It makes a validation set unnecessary.
# - **c.** It normalizes the input data once, before training starts, and does nothing afterwards.
# - **d.** It is a weight penalty added to the loss, like L2.

# %% [markdown] lang="fr"
# ### Question 8
#
# Quelle affirmation concernant une couche `BatchNormalization()` est vraie ?
#
# - **a.** Pendant l'entraînement, elle normalise chaque caractéristique avec la moyenne et la variance du lot courant ; à l'inférence, elle utilise des moyennes mobiles de ces statistiques, accumulées pendant l'entraînement.
# - **b.** Elle rend un ensemble de validation inutile.
# - **c.** Elle normalise les données d'entrée une seule fois, avant le début de l'entraînement, et ne fait plus rien ensuite.
# - **d.** C'est une pénalité sur les poids ajoutée à la perte, comme L2.

# %% nbgrader={"grade": false, "grade_id": "q8", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 8: one letter as a string, e.g. q8 = "a"
### BEGIN SOLUTION
q8 = "a"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q8", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q8: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q8"), "q8", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q8_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q8: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "b": {
        "en": "Batch normalization changes how a network trains, not how you measure it: only validation data tells you whether the model generalizes or overfits (lesson 4's network with BatchNormalization still overfitted).",
        "fr": "La normalisation par lots change la façon dont un réseau s'entraîne, pas la façon de l'évaluer : seules des données de validation disent si le modèle généralise ou surapprend (le réseau de la leçon 4 avec BatchNormalization surapprenait encore).",
    },
    "c": {
        "en": "BatchNormalization is a layer that works at every forward pass, in training and at inference; scaling the input data once before training is ordinary preprocessing.",
        "fr": "BatchNormalization est une couche qui agit à chaque passe avant, à l'entraînement comme à l'inférence ; mettre à l'échelle les données d'entrée une fois avant l'entraînement relève du prétraitement ordinaire.",
    },
    "d": {
        "en": "BatchNormalization adds no term to the loss: it transforms the activations that pass through it, and its gamma and beta are trained like any other weights.",
        "fr": "BatchNormalization n'ajoute aucun terme à la perte : elle transforme les activations qui la traversent, et ses paramètres gamma et beta s'entraînent comme n'importe quels autres poids.",
    },
}
assert grading.check_quiz_answer(globals().get("q8"), "q8", "abcd", "a", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-9", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 9
#
# After 60 epochs a model has a training accuracy of 0.99 and a validation accuracy of 0.80, and its validation loss has been rising since epoch 15. What is the best reading and response?
#
# - **a.** It underfits: make the network larger and train longer.
# - **b.** It fits well: the gap between training and validation accuracy is expected.
# - **c.** It overfits: add regularization (a penalty, dropout) or stop training near epoch 15.
# - **d.** The validation data must be wrong, because training accuracy is high.

# %% [markdown] lang="fr"
# ### Question 9
#
# Après 60 époques, un modèle a une exactitude (accuracy) d'entraînement de 0,99 et une exactitude de validation de 0,80, et sa perte de validation augmente depuis l'époque 15. Quel est le meilleur diagnostic, et que faut-il faire ?
#
# - **a.** Il est en sous-apprentissage : agrandissez le réseau et entraînez-le plus longtemps.
# - **b.** Il est bien ajusté : l'écart entre l'exactitude d'entraînement et celle de validation est normal.
# - **c.** Il est en surapprentissage : ajoutez de la régularisation (une pénalité, du Dropout) ou arrêtez l'entraînement vers l'époque 15.
# - **d.** Les données de validation doivent être erronées, puisque l'exactitude d'entraînement est élevée.

# %% nbgrader={"grade": false, "grade_id": "q9", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 9: one letter as a string, e.g. q9 = "a"
### BEGIN SOLUTION
q9 = "c"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q9", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q9: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q9"), "q9", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q9_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q9: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": {
        "en": "Underfitting shows as a low training accuracy; at 0.99 the network already fits its training data, and a larger one trained longer would widen the gap.",
        "fr": "Le sous-apprentissage se traduit par une exactitude d'entraînement faible ; à 0,99, le réseau s'ajuste déjà à ses données d'entraînement, et un réseau plus grand entraîné plus longtemps creuserait l'écart.",
    },
    "b": {
        "en": "A validation loss that keeps rising for dozens of epochs while training accuracy is near perfect is not a normal gap: the network is learning things about its training data that do not hold on new data.",
        "fr": "Une perte de validation qui augmente pendant des dizaines d'époques alors que l'exactitude d'entraînement est presque parfaite n'est pas un écart normal : le réseau apprend sur ses données d'entraînement des choses qui ne valent pas pour de nouvelles données.",
    },
    "d": {
        "en": "A high training accuracy is no evidence against the validation data: a network that memorizes its training examples, noisy labels included, scores high on them and lower on new data.",
        "fr": "Une exactitude d'entraînement élevée ne prouve rien contre les données de validation : un réseau qui mémorise ses exemples d'entraînement, étiquettes bruitées comprises, obtient un score élevé sur eux et plus faible sur de nouvelles données.",
    },
}
assert grading.check_quiz_answer(globals().get("q9"), "q9", "abcd", "c", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-10", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 10
#
# A layer's kernel holds the two weights `1.0` and `-2.0`, and the layer has `kernel_regularizer=regularizers.L2(0.01)`. What penalty does Keras add to the loss for this kernel?
#
# - **a.** `0.01 * (abs(1.0) + abs(-2.0))`, that is 0.03.
# - **b.** `0.5 * 0.01 * (1.0**2 + (-2.0)**2)`, that is 0.025.
# - **c.** `0.01 * sqrt(1.0**2 + (-2.0)**2)`, that is 0.0224 (rounded).
# - **d.** `0.01 * (1.0**2 + (-2.0)**2)`, that is 0.05.

# %% [markdown] lang="fr"
# ### Question 10
#
# La matrice de poids (kernel) d'une couche contient les deux poids `1.0` et `-2.0`, et la couche a `kernel_regularizer=regularizers.L2(0.01)`. Quelle pénalité Keras ajoute-t-il à la perte pour cette matrice de poids ?
#
# - **a.** `0.01 * (abs(1.0) + abs(-2.0))`, soit 0,03.
# - **b.** `0.5 * 0.01 * (1.0**2 + (-2.0)**2)`, soit 0,025.
# - **c.** `0.01 * sqrt(1.0**2 + (-2.0)**2)`, soit 0,0224 (arrondi).
# - **d.** `0.01 * (1.0**2 + (-2.0)**2)`, soit 0,05.

# %% nbgrader={"grade": false, "grade_id": "q10", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 10: one letter as a string, e.g. q10 = "a"
### BEGIN SOLUTION
q10 = "d"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q10", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q10: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q10"), "q10", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q10_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q10: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": {
        "en": "Summing the absolute values of the weights is the L1 penalty's formula; an L2 penalty is built from the squared weights.",
        "fr": "Additionner les valeurs absolues des poids, c'est la formule de la pénalité L1 ; une pénalité L2 se construit à partir des carrés des poids.",
    },
    "b": {
        "en": "The factor 1/2 is a textbook convention (it makes the gradient of the penalty l2 * w); Keras's regularizers.L2 has no 1/2 in front (lesson 2).",
        "fr": "Le facteur 1/2 est une convention de manuel (il rend le gradient de la pénalité égal à l2 * w) ; le regularizers.L2 de Keras n'a pas de 1/2 devant (leçon 2).",
    },
    "c": {
        "en": "The square root turns the sum of squares into the length (Euclidean norm) of the weight vector; Keras's L2 penalty takes no square root.",
        "fr": "La racine carrée transforme la somme des carrés en longueur (norme euclidienne) du vecteur de poids ; la pénalité L2 de Keras ne prend pas de racine carrée.",
    },
}
assert grading.check_quiz_answer(globals().get("q10"), "q10", "abcd", "d", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-11", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 11
#
# A `layers.Dropout(rate=0.5)` layer receives the vector `[1, 1, 1, 1]`, once while the model trains (inside `fit`) and once while it predicts (inside `predict`). Which pair of outputs can Keras produce?
#
# - **a.** Training: `[2, 0, 0, 2]`; prediction: `[1, 1, 1, 1]`.
# - **b.** Training: `[1, 0, 0, 1]`; prediction: `[0.5, 0.5, 0.5, 0.5]`.
# - **c.** Training: `[1, 0, 0, 1]`; prediction: `[1, 1, 1, 1]`.
# - **d.** Training: `[2, 0, 0, 2]`; prediction: `[2, 0, 0, 2]`.

# %% [markdown] lang="fr"
# ### Question 11
#
# Une couche `layers.Dropout(rate=0.5)` reçoit le vecteur `[1, 1, 1, 1]`, une fois pendant l'entraînement du modèle (dans `fit`) et une fois pendant la prédiction (dans `predict`). Quelle paire de sorties Keras peut-il produire ?
#
# - **a.** Entraînement : `[2, 0, 0, 2]` ; prédiction : `[1, 1, 1, 1]`.
# - **b.** Entraînement : `[1, 0, 0, 1]` ; prédiction : `[0.5, 0.5, 0.5, 0.5]`.
# - **c.** Entraînement : `[1, 0, 0, 1]` ; prédiction : `[1, 1, 1, 1]`.
# - **d.** Entraînement : `[2, 0, 0, 2]` ; prédiction : `[2, 0, 0, 2]`.

# %% nbgrader={"grade": false, "grade_id": "q11", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 11: one letter as a string, e.g. q11 = "a"
### BEGIN SOLUTION
q11 = "a"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q11", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q11: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q11"), "q11", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q11_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q11: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "b": {
        "en": "Multiplying every output by (1 - rate) at prediction time is the original dropout paper's scheme; a Keras Dropout layer does no scaling at all in inference mode.",
        "fr": "Multiplier chaque sortie par (1 - rate) lors de la prédiction est le schéma de l'article original sur le Dropout ; une couche Dropout de Keras n'applique aucune mise à l'échelle en mode inférence.",
    },
    "c": {
        "en": "In training mode Keras does not leave the surviving outputs as they are: it divides them by (1 - rate), so that each output has the same average in training and at prediction time (inverted dropout).",
        "fr": "En mode entraînement, Keras ne laisse pas telles quelles les sorties conservées : il les divise par (1 - rate), pour que chaque sortie ait la même moyenne à l'entraînement et à la prédiction (Dropout inversé).",
    },
    "d": {
        "en": "Dropout zeroes units only in training mode; predict runs the model in inference mode, where no output is zeroed.",
        "fr": "Le Dropout ne met des unités à zéro qu'en mode entraînement ; predict exécute le modèle en mode inférence, où aucune sortie n'est mise à zéro.",
    },
}
assert grading.check_quiz_answer(globals().get("q11"), "q11", "abcd", "a", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-12", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 12
#
# You train for up to 60 epochs with `keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)`. The validation loss is lowest at epoch 12 and never improves afterwards, so training stops after epoch 17. Which weights does the model hold when `fit` returns?
#
# - **a.** The weights of epoch 17, the last epoch trained.
# - **b.** The weights it had before training started.
# - **c.** The weights of epoch 12, the epoch with the lowest validation loss.
# - **d.** The weights of the epoch with the highest training accuracy.

# %% [markdown] lang="fr"
# ### Question 12
#
# Vous entraînez un modèle pendant 60 époques au plus avec `keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)`. La perte de validation est la plus basse à l'époque 12 et ne s'améliore plus ensuite, si bien que l'entraînement s'arrête après l'époque 17. Quels poids le modèle contient-il quand `fit` se termine ?
#
# - **a.** Les poids de l'époque 17, la dernière époque d'entraînement.
# - **b.** Les poids qu'il avait avant le début de l'entraînement.
# - **c.** Les poids de l'époque 12, celle où la perte de validation est la plus basse.
# - **d.** Les poids de l'époque où l'exactitude d'entraînement est la plus élevée.

# %% nbgrader={"grade": false, "grade_id": "q12", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 12: one letter as a string, e.g. q12 = "a"
### BEGIN SOLUTION
q12 = "c"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q12", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q12: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q12"), "q12", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q12_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q12: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": {
        "en": "The last epoch's weights, patience epochs past the best one, are what you keep with restore_best_weights=False (the default); this callback sets it to True.",
        "fr": "Les poids de la dernière époque, patience époques après la meilleure, sont ceux que l'on garde avec restore_best_weights=False (la valeur par défaut) ; ici, le callback le met à True.",
    },
    "b": {
        "en": "EarlyStopping never undoes training: restore_best_weights puts back weights the model reached during training, not the ones it started from.",
        "fr": "EarlyStopping n'annule jamais l'entraînement : restore_best_weights remet des poids que le modèle a atteints pendant l'entraînement, pas ceux dont il est parti.",
    },
    "d": {
        "en": "The callback only looks at the quantity it monitors, here val_loss; training accuracy plays no part in which weights it keeps (and it is usually highest once the model overfits).",
        "fr": "Le callback ne regarde que la grandeur qu'il surveille, ici val_loss ; l'exactitude d'entraînement ne joue aucun rôle dans le choix des poids conservés (et elle est en général la plus élevée une fois que le modèle surapprend).",
    },
}
assert grading.check_quiz_answer(globals().get("q12"), "q12", "abcd", "c", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-13", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 13
#
# The chapter's model is `Dense(64, activation="relu", kernel_regularizer=l1_l2(l1=0.01, l2=0.01))` → `BatchNormalization()` → `Dropout(0.5)` → `Dense(num_classes, activation="softmax")`. Which statement about where its `BatchNormalization` layer sits is true?
#
# - **a.** BatchNormalization only works as the first layer of a model, on the raw inputs; placed after a hidden `Dense` layer it has no effect.
# - **b.** It normalizes the hidden layer's outputs before `Dropout`, so in training it sees no dropped units, just as at inference, where dropout is off.
# - **c.** Placing it after the relu activation is a mistake: BatchNormalization only works between a `Dense` layer and its activation, as in the original paper.
# - **d.** Its position does not matter: moving it after the softmax output layer would give the same model, with the same outputs.

# %% [markdown] lang="fr"
# ### Question 13
#
# Le modèle du chapitre est `Dense(64, activation="relu", kernel_regularizer=l1_l2(l1=0.01, l2=0.01))` → `BatchNormalization()` → `Dropout(0.5)` → `Dense(num_classes, activation="softmax")`. Quelle affirmation sur la position de sa couche `BatchNormalization` est vraie ?
#
# - **a.** BatchNormalization ne fonctionne que comme première couche d'un modèle, sur les entrées brutes ; placée après une couche `Dense` cachée, elle n'a aucun effet.
# - **b.** Elle normalise les sorties de la couche cachée avant le `Dropout` : à l'entraînement, elle ne voit donc aucune unité mise à zéro, exactement comme à l'inférence, où le Dropout est désactivé.
# - **c.** La placer après l'activation relu est une erreur : BatchNormalization ne fonctionne qu'entre une couche `Dense` et son activation, comme dans l'article original.
# - **d.** Sa position n'a pas d'importance : la déplacer après la couche de sortie softmax donnerait le même modèle, avec les mêmes sorties.

# %% nbgrader={"grade": false, "grade_id": "q13", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 13: one letter as a string, e.g. q13 = "a"
### BEGIN SOLUTION
q13 = "b"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q13", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q13: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q13"), "q13", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q13_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q13: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "a": {
        "en": "BatchNormalization normalizes whatever reaches it, wherever it sits: lesson 4 shows it centring and scaling the activations deep inside a network, far from the inputs.",
        "fr": "BatchNormalization normalise tout ce qui lui parvient, où qu'elle se trouve : la leçon 4 la montre en train de centrer et de mettre à l'échelle les activations au cœur d'un réseau, loin des entrées.",
    },
    "c": {
        "en": "Both orders are used and both work: after the activation (the chapter's order) and before it (the original batch-normalization paper's); lesson 4 compares the two.",
        "fr": "Les deux ordres sont utilisés et fonctionnent tous les deux : après l'activation (l'ordre du chapitre) et avant (celui de l'article original sur la normalisation par lots) ; la leçon 4 compare les deux.",
    },
    "d": {
        "en": "After a softmax, BatchNormalization would re-centre and re-scale the class probabilities, so the model's outputs would no longer be probabilities that sum to 1: the position changes what the model computes.",
        "fr": "Après un softmax, BatchNormalization recentrerait et remettrait à l'échelle les probabilités des classes, si bien que les sorties ne seraient plus des probabilités de somme 1 : la position change ce que calcule le modèle.",
    },
}
assert grading.check_quiz_answer(globals().get("q13"), "q13", "abcd", "b", why=why)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "question-14", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 14
#
# A trained model contains `BatchNormalization` and `Dropout` layers. To estimate how uncertain its predictions are with Monte-Carlo dropout, you average 30 calls of `model(x, training=True)`. What is wrong with that?
#
# - **a.** `training=True` also puts `BatchNormalization` in training mode: it normalizes with the batch's own statistics and updates its moving averages at every call. Only `Dropout` should be active.
# - **b.** Nothing: `training=True` only switches the `Dropout` layers to training mode, and every other layer behaves exactly as in `predict`.
# - **c.** Each call with `training=True` runs the optimizer, so the kernel weights take a gradient step at every call and the model drifts.
# - **d.** `training=True` switches dropout off; Monte-Carlo dropout needs `training=False`, the mode in which dropout zeroes units at random.

# %% [markdown] lang="fr"
# ### Question 14
#
# Un modèle entraîné contient des couches `BatchNormalization` et `Dropout`. Pour estimer l'incertitude de ses prédictions par Dropout Monte-Carlo, vous faites la moyenne de 30 appels à `model(x, training=True)`. Qu'est-ce qui ne va pas dans cette approche ?
#
# - **a.** `training=True` met aussi `BatchNormalization` en mode entraînement : elle normalise avec les statistiques propres au lot et met à jour ses moyennes mobiles à chaque appel. Seul le `Dropout` devrait être actif.
# - **b.** Rien : `training=True` ne fait passer que les couches `Dropout` en mode entraînement, et toutes les autres couches se comportent exactement comme dans `predict`.
# - **c.** Chaque appel avec `training=True` exécute l'optimiseur : les poids (kernel) font un pas de gradient à chaque appel et le modèle dérive.
# - **d.** `training=True` désactive le Dropout ; le Dropout Monte-Carlo a besoin de `training=False`, le mode dans lequel le Dropout met des unités à zéro au hasard.

# %% nbgrader={"grade": false, "grade_id": "q14", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your answer to question 14: one letter as a string, e.g. q14 = "a"
### BEGIN SOLUTION
q14 = "a"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_q14", "locked": true, "points": 0.5, "schema_version": 3, "solution": false, "task": false}
"""Visible test of q14: one letter among a, b, c, d (the answer itself is checked at grading)."""
from helpers.grading import check_quiz_format

assert check_quiz_format(globals().get("q14"), "q14", "abcd")

# %% nbgrader={"grade": true, "grade_id": "test_q14_hidden", "locked": true, "points": 1.5, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of q14: the answer; a wrong one is told why its option is wrong."""
### BEGIN HIDDEN TESTS
import importlib

# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.
grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

# Why each wrong option is wrong: the message of that answer (it never names the right option).
why = {
    "b": {
        "en": "The argument training=True is passed down to every layer of the model that has a training mode, not only to the Dropout layers.",
        "fr": "L'argument training=True est transmis à chaque couche du modèle qui possède un mode entraînement, pas seulement aux couches Dropout.",
    },
    "c": {
        "en": "Calling a model never runs the optimizer: gradient steps happen in fit (or in a training step you write yourself), so model(x, training=True) leaves the kernel weights as they are.",
        "fr": "Appeler un modèle n'exécute jamais l'optimiseur : les pas de gradient ont lieu dans fit (ou dans une étape d'entraînement que vous écrivez vous-même), donc model(x, training=True) laisse les poids (kernel) tels quels.",
    },
    "d": {
        "en": "It is the other way round: training=True switches Dropout on (random units zeroed at each call), and training=False, what predict uses, switches it off.",
        "fr": "C'est l'inverse : training=True active le Dropout (des unités tirées au hasard mises à zéro à chaque appel), et training=False, qu'utilise predict, le désactive.",
    },
}
assert grading.check_quiz_answer(globals().get("q14"), "q14", "abcd", "a", why=why)
### END HIDDEN TESTS
