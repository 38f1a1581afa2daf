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

# %% id="monitoring-00"
from helpers.setup import setup_notebook

setup_notebook(seed=0)  # quiet TensorFlow, fixed seeds, plot style: run this cell first

# %% [markdown] id="monitoring-01"
# # Lesson 6 · Monitoring training and tuning hyperparameters
#
# The chapter's closing advice has two parts: **watch** training and validation performance together, and
# **experiment** with configurations and hyperparameters. This lesson turns both into procedures: reading the
# curves, stopping at the right epoch automatically, and comparing settings without fooling yourself.
#
# ## What to look for in the curves
#
# | what you see | diagnosis | what to try |
# |---|---|---|
# | training and validation accuracy both low, close together | underfitting | more capacity, more epochs, less regularization |
# | training accuracy keeps rising, validation stalls or falls | overfitting | regularization, dropout, early stopping, more data |
# | validation loss rises while validation accuracy holds | overconfident predictions: early overfitting | the same; it is the first warning |
# | both curves jump around from epoch to epoch | unstable optimization | smaller learning rate, batch normalization, larger batches |

# %% [markdown] lang="fr"
# # Leçon 6 · Surveiller l'entraînement et régler les hyperparamètres
#
# Le conseil final du chapitre comporte deux volets : **surveiller** conjointement les performances d'entraînement
# et de validation, et **expérimenter** différentes configurations et valeurs d'hyperparamètres. Cette leçon
# transforme l'un et l'autre en méthodes : lire les courbes, s'arrêter automatiquement à la bonne époque, et
# comparer des réglages sans se leurrer.
#
# ## Que regarder dans les courbes
#
# | ce que vous voyez | diagnostic | que tenter |
# |---|---|---|
# | exactitude (accuracy) d'entraînement et de validation toutes deux basses et proches | sous-apprentissage | plus de capacité, plus d'époques, moins de régularisation |
# | l'exactitude d'entraînement continue de monter, celle de validation stagne ou baisse | surapprentissage | régularisation, Dropout, arrêt anticipé, plus de données |
# | la perte de validation monte alors que l'exactitude de validation se maintient | prédictions trop confiantes : début de surapprentissage | les mêmes remèdes ; c'est le premier signal d'alerte |
# | les deux courbes font des bonds d'une époque à l'autre | optimisation instable | taux d'apprentissage plus petit, normalisation par lots, lots plus grands |

# %% [markdown] id="monitoring-02"
# ## Early stopping
#
# If validation loss reaches its minimum at some epoch and then rises, the weights of *that* epoch are the
# ones to keep. Keras's `EarlyStopping` callback watches a logged quantity after each epoch, stops training
# when it has not improved for `patience` epochs, and with `restore_best_weights=True` puts back the weights of
# the best epoch:
#
# ```python
# stopper = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
# model.fit(train_data, validation_data=val_data, epochs=60, callbacks=[stopper])
# ```
#
# Without `restore_best_weights=True` you keep the weights of the *last* epoch, `patience` epochs past the
# best one. Other useful arguments: `min_delta` (the smallest change that counts as an improvement) and
# `start_from_epoch` (ignore the first, noisy epochs).
#
# We train the overfitting 2×256 network of lesson 1 with this callback and compare it with the same network
# trained for all 60 epochs.

# %% [markdown] lang="fr"
# ## Arrêt anticipé
#
# Si la perte de validation atteint son minimum à une certaine époque puis remonte, ce sont les poids de *cette*
# époque qu'il faut garder. La fonction de rappel (callback) `EarlyStopping` de Keras surveille une grandeur
# enregistrée après chaque époque, arrête l'entraînement quand elle ne s'est pas améliorée depuis `patience`
# époques et, avec `restore_best_weights=True`, remet en place les poids de la meilleure époque :
#
# ```python
# stopper = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
# model.fit(train_data, validation_data=val_data, epochs=60, callbacks=[stopper])
# ```
#
# Sans `restore_best_weights=True`, vous gardez les poids de la *dernière* époque, `patience` époques après la
# meilleure. Autres arguments utiles : `min_delta` (la plus petite variation qui compte comme une amélioration) et
# `start_from_epoch` (ignorer les premières époques, bruitées).
#
# Nous entraînons avec ce callback le réseau 2×256 de la leçon 1, qui surapprend, et nous le comparons au même
# réseau entraîné pendant les 60 époques.

# %% id="monitoring-03"
from helpers import experiments as ex
from helpers import plotting

es = ex.early_stopping_experiment(seed=0)
print(f"stopped after {es['epochs_trained']:.0f} of 60 epochs; best epoch {es['best_epoch']:.0f}")
print(f"validation loss at the best epoch    {es['best_val_loss']:.4f}")
print(f"validation loss at the last epoch    {es['last_val_loss']:.4f}")
print(
    f"validation loss of the restored model {es['restored_val_loss']:.4f}  (evaluated again after training)"
)
print(
    f"validation accuracy: restored model {es['restored_val_acc']:.3f}, trained all 60 epochs {es['full_val_acc']:.3f}"
)

# %% id="monitoring-04"
plotting.learning_curves(
    {"all 60 epochs": es.runs["all epochs"], "EarlyStopping(patience=5)": es.runs["early stopping"]},
    metrics=("loss", "accuracy"),
    mark_best=True,
)

# %% [markdown] id="monitoring-05"
# The restored model's validation loss equals the best epoch's: `restore_best_weights` did its job. Early
# stopping needed no change to the model, saved two thirds of the training time, and lifted validation accuracy
# from 0.80<!-- claim e6 --> to 0.89<!-- claim f4 --> (three seeds), as much as the penalties and dropout of the previous lessons.
#
# One caution: the epoch was chosen *because* it was best on the validation data, so the validation score of
# the restored model is slightly optimistic. The same holds for every choice below.
#
# ## Experimenting with hyperparameters
#
# Lesson 5 left a question open: is the chapter's penalty, L1L2(0.01, 0.01), a good setting for its model?
# We sweep the factor over 0.01 (the text), 0.001 and 0.0001, keeping BatchNormalization and Dropout(0.5),
# and add the same 64-unit network with none of the techniques.

# %% [markdown] lang="fr"
# La perte de validation du modèle restauré est égale à celle de la meilleure époque : `restore_best_weights` a
# bien fait son travail. L'arrêt anticipé n'a demandé aucune modification du modèle, a économisé les deux tiers du
# temps d'entraînement et a fait passer l'exactitude de validation de 0,80<!-- claim e6 --> à 0,89<!-- claim f4 -->
# (trois graines), autant que les pénalités et le Dropout des leçons précédentes.
#
# Une mise en garde : l'époque a été choisie *parce que* c'était la meilleure sur les données de validation, si bien
# que le score de validation du modèle restauré est légèrement optimiste. Il en va de même pour chacun des choix qui
# suivent.
#
# ## Expérimenter avec les hyperparamètres
#
# La leçon 5 a laissé une question ouverte : la pénalité du chapitre, L1L2(0.01, 0.01), est-elle un bon réglage
# pour son modèle ? Nous faisons varier le coefficient entre 0,01 (la valeur du texte), 0,001 et 0,0001, en gardant
# BatchNormalization et Dropout(0.5), et nous ajoutons le même réseau de 64 unités sans aucune de ces techniques.

# %% id="monitoring-06"
tune = ex.chapter_tuning_experiment(seed=0)
ex.runs_table(tune.runs)

# %% [markdown] id="monitoring-curves-intro"
# One seed and three settings make a thin picture. Curves show the trend and the spread: training and
# validation accuracy against the factor, from 0.0001 to 0.1 on a log axis, and against the dropout rate, from
# 0 to 0.75 with the factor at the text's 0.01. One change at a time, everything else as in the chapter's
# model, three seeds each (the line is the mean; the band spans one standard deviation either side).
#
# Training accuracy is measured here after training, in inference mode, on the 300 training digits *with their
# labels as given*. A fifth of those labels are wrong, so a network that is right on every training digit
# scores 0.8; above 0.8 it has learned wrong labels.

# %% [markdown] lang="fr"
# Une graine et trois réglages ne donnent qu'une image bien mince. Des courbes montrent la tendance et la
# dispersion : l'exactitude d'entraînement et de validation en fonction du coefficient, de 0,0001 à 0,1 sur un axe
# logarithmique, puis en fonction du taux de Dropout, de 0 à 0,75, le coefficient restant à 0,01 comme dans le
# texte. Un seul changement à la fois, tout le reste comme dans le modèle du chapitre, trois graines par point (la
# ligne est la moyenne ; la bande s'étend d'un écart-type de part et d'autre).
#
# L'exactitude d'entraînement est mesurée ici après l'entraînement, en mode inférence, sur les 300 chiffres
# d'entraînement *avec leurs étiquettes telles quelles*. Un cinquième de ces étiquettes sont erronées : un réseau
# qui a raison sur tous les chiffres d'entraînement obtient donc 0,8 ; au-delà de 0,8, il a appris des étiquettes
# erronées.

# %% id="monitoring-07"
import numpy as np

penalty = ex.stack_sweeps(ex.penalty_sweep_experiment(seed=s) for s in ex.CLAIM_SEEDS)
dropout = ex.stack_sweeps(ex.dropout_sweep_experiment(seed=s) for s in ex.CLAIM_SEEDS)
plain_val_acc = np.mean([ex.train(ex.PLAIN_64, seed=s).val_accuracy for s in ex.CLAIM_SEEDS])
plotting.hyperparameter_curves(
    penalty["values"],
    {"training digits (noisy labels)": penalty["train_acc"], "validation digits": penalty["val_acc"]},
    xlabel="Elastic Net factor L1L2(f, f), log scale",
    log_x=True,
    reference=plain_val_acc,
    reference_label="64 units, no tricks: val acc (mean of 3 seeds)",
    title="Chapter's model (BN, Dropout(0.5)) by penalty factor",
)

# %% id="monitoring-dropout-curve"
plotting.hyperparameter_curves(
    dropout["values"],
    {"training digits (noisy labels)": dropout["train_acc"], "validation digits": dropout["val_acc"]},
    xlabel="Dropout rate",
    title="Chapter's model (BN, L1L2(0.01, 0.01)) by dropout rate",
)

# %% id="monitoring-curves-table"
import pandas as pd

pd.DataFrame(
    {
        **{f"L1L2({v:g})": penalty["val_acc"][:, i] for i, v in enumerate(penalty["values"])},
        **{f"Dropout({v:g})": dropout["val_acc"][:, i] for i, v in enumerate(dropout["values"])},
    },
    index=[f"seed {s}" for s in ex.CLAIM_SEEDS],
).round(3).T.assign(mean=lambda t: t.mean(axis=1).round(3))

# %% [markdown] id="monitoring-08"
# Reading the curves (the table gives the validation accuracy of every run):
#
# * **Penalty factor.** Validation accuracy changes little from 0.0001 to 0.001 and falls beyond. At 0.1 it is
#   0.06<!-- claim e15 --> below the best factor, and training accuracy has dropped by 0.10<!-- claim e16 -->
#   from the weakest penalty: too strong a penalty underfits (claims e15, e16). The text's 0.01 is already on
#   the way down.
# * **Dropout rate.** Without dropout, the chapter's model learns wrong labels despite its penalty and BN: its
#   training accuracy is 0.15<!-- claim e18 --> above its validation accuracy. Dropout closes that gap;
#   validation accuracy gains 0.10<!-- claim e17 --> from rate 0 to the best rate, and training accuracy falls
#   by 0.14<!-- claim e19 --> from rate 0 to 0.75 (claims e17–e19). Rates of 0.5 and 0.75 both do well; the
#   bands show how much one seed can differ from the next.
#
# On this benchmark, the 64-unit network without any technique (dashed line: its mean over the same seeds) is
# better than the chapter's settings (claim e5); compare the line with the curves. It is small enough not to
# memorize the wrong labels within 60 epochs (its training accuracy stays near 0.8), so there is little
# overfitting to fight and every technique costs some accuracy.
# Regularization is the answer to overfitting, not a default to apply at full strength.
#
# How much to trust such a sweep:
#
# * **Seeds.** With a single seed, differences of one or two points can be luck. The course's claims tests run
#   this sweep over three seeds: the factor 0.001 beats 0.01 by 0.03 ± 0.02<!-- claim e4 -->, and the network without tricks
#   beats the chapter's settings by 0.05 ± 0.01<!-- claim e5 -->, on every seed.
# * **Selection.** Picking the best of several settings on the validation set makes that best score
#   optimistic. With many settings to compare, keep a separate test set for the final number, or use
#   cross-validation.
# * **One change at a time**, on a log scale for factors and learning rates, with everything else fixed (same
#   data, same seed, same epoch budget), as done here.
#
# Beyond `EarlyStopping`, Keras has callbacks that help monitoring: `ModelCheckpoint` (save the best model to
# disk), `CSVLogger` (the history in a file), `ReduceLROnPlateau` (lower the learning rate when validation stalls)
# and `TensorBoard` (live curves).
#
# ## What we measured
#
# * `EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)` stopped the 2×256 network after
#   20–27<!-- claim f2 --> epochs; the restored model's validation loss equals the best epoch's to 1e-4, and its validation
#   accuracy beat the 60-epoch model by 0.09 ± 0.01<!-- claim f3 --> (three seeds, claims f1–f4).
# * The chapter's Elastic Net factor 0.01 is a starting point: 0.001 did better by 0.03 ± 0.02<!-- claim e4 -->, and the
#   plain 64-unit network by 0.05 ± 0.01<!-- claim e5 -->.
# * Swept one at a time over three seeds, the factor shows underfitting at 0.1 (validation accuracy
#   0.06<!-- claim e15 --> below the best), and the dropout rate shows the chapter's model overfitting without
#   dropout (training minus validation accuracy 0.15<!-- claim e18 -->) (claims e15–e19).

# %% [markdown] lang="fr"
# Lecture des courbes (le tableau donne l'exactitude de validation de chaque entraînement) :
#
# * **Coefficient de pénalité.** L'exactitude de validation varie peu de 0,0001 à 0,001, puis baisse au-delà. À
#   0,1, elle est inférieure de 0,06<!-- claim e15 --> à celle du meilleur coefficient, et l'exactitude
#   d'entraînement a baissé de 0,10<!-- claim e16 --> par rapport à la pénalité la plus faible : une pénalité trop
#   forte conduit au sous-apprentissage (affirmations e15 et e16). La valeur 0,01 du texte est déjà sur la pente
#   descendante.
# * **Taux de Dropout.** Sans Dropout, le modèle du chapitre apprend des étiquettes erronées malgré sa pénalité et
#   la BN : son exactitude d'entraînement dépasse de 0,15<!-- claim e18 --> son exactitude de validation. Le Dropout
#   referme cet écart ; l'exactitude de validation gagne 0,10<!-- claim e17 --> entre le taux 0 et le meilleur taux,
#   et l'exactitude d'entraînement baisse de 0,14<!-- claim e19 --> entre les taux 0 et 0,75 (affirmations e17 à
#   e19). Les taux 0,5 et 0,75 donnent tous deux de bons résultats ; les bandes montrent combien une graine peut
#   différer de la suivante.
#
# Sur ce banc d'essai, le réseau de 64 unités sans aucune technique (ligne pointillée : sa moyenne sur les mêmes
# graines) fait mieux que les réglages du chapitre (affirmation e5) ; comparez la ligne aux courbes. Il est assez
# petit pour ne pas mémoriser les étiquettes erronées en 60 époques (son exactitude d'entraînement reste voisine de
# 0,8) : il y a donc peu de surapprentissage à combattre, et chaque technique coûte un peu d'exactitude.
# La régularisation est la réponse au surapprentissage, pas un réglage par défaut à appliquer à pleine puissance.
#
# Quel crédit accorder à un tel balayage :
#
# * **Graines.** Avec une seule graine, des différences d'un ou deux points peuvent être dues au hasard. Les tests
#   des affirmations du cours refont ce balayage sur trois graines : le coefficient 0,001 bat 0,01 de
#   0,03 ± 0,02<!-- claim e4 -->, et le réseau sans technique bat les réglages du chapitre de
#   0,05 ± 0,01<!-- claim e5 -->, sur chaque graine.
# * **Sélection.** Choisir le meilleur de plusieurs réglages sur l'ensemble de validation rend ce meilleur score
#   optimiste. Si vous avez beaucoup de réglages à comparer, gardez un ensemble de test à part pour le chiffre final,
#   ou utilisez la validation croisée.
# * **Un seul changement à la fois**, sur une échelle logarithmique pour les coefficients et les taux
#   d'apprentissage, tout le reste étant fixé (mêmes données, même graine, même budget d'époques), comme ici.
#
# Au-delà d'`EarlyStopping`, Keras propose d'autres callbacks utiles pour surveiller l'entraînement :
# `ModelCheckpoint` (enregistrer le meilleur modèle sur le disque), `CSVLogger` (l'historique dans un fichier),
# `ReduceLROnPlateau` (baisser le taux d'apprentissage quand la validation stagne) et `TensorBoard` (courbes en
# direct).
#
# ## Ce que nous avons mesuré
#
# * `EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)` a arrêté le réseau 2×256 après
#   20 à 27<!-- claim f2 --> époques ; la perte de validation du modèle restauré est égale à celle de la meilleure
#   époque à 1e-4 près, et son exactitude de validation a dépassé celle du modèle entraîné pendant 60 époques de
#   0,09 ± 0,01<!-- claim f3 --> (trois graines, affirmations f1 à f4).
# * Le coefficient Elastic Net 0,01 du chapitre est un point de départ : 0,001 a fait mieux de
#   0,03 ± 0,02<!-- claim e4 -->, et le réseau simple de 64 unités de 0,05 ± 0,01<!-- claim e5 -->.
# * En faisant varier un seul réglage à la fois sur trois graines, le coefficient révèle un sous-apprentissage à 0,1
#   (exactitude de validation inférieure de 0,06<!-- claim e15 --> à la meilleure), et le taux de Dropout montre que
#   le modèle du chapitre surapprend sans Dropout (exactitude d'entraînement moins exactitude de validation :
#   0,15<!-- claim e18 -->) (affirmations e15 à e19).

# %% [markdown] id="monitoring-09"
# ## Your turn
#
# Exercise: [`release/06_monitoring/06_monitoring.ipynb`](../release/06_monitoring/06_monitoring.ipynb). You
# will build the early-stopping callback, summarize several runs in a table, and decide, from your own runs,
# which configuration you would deploy and why.
#
# Then test yourself on the whole chapter with the quiz:
# [`release/07_quiz/07_quiz.ipynb`](../release/07_quiz/07_quiz.ipynb).

# %% [markdown] lang="fr"
# ## À vous de jouer
#
# Exercice : [`release/06_monitoring/06_monitoring.ipynb`](../release/06_monitoring/06_monitoring.ipynb). Vous
# construirez le callback d'arrêt anticipé, résumerez plusieurs entraînements dans un tableau et déciderez, d'après
# vos propres entraînements, quelle configuration vous déploieriez et pourquoi.
#
# Testez ensuite vos connaissances sur l'ensemble du chapitre avec le quiz :
# [`release/07_quiz/07_quiz.ipynb`](../release/07_quiz/07_quiz.ipynb).
