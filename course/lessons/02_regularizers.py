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

# %% id="regularizers-00"
from helpers.setup import setup_notebook

setup_notebook(seed=0)  # quiet TensorFlow, fixed seeds, plot style: run this cell first

# %% [markdown] id="regularizers-01"
# # Lesson 2 · L1, L2 and Elastic Net regularization
#
# Lesson 1 showed a large network memorizing wrong labels. A *regularizer* discourages that by adding a
# penalty on the weights to the loss the optimizer minimizes:
#
# $$\text{loss} = \text{data loss} + \underbrace{\lambda_1 \sum_i |w_i|}_{\text{L1 (Lasso)}}
# + \underbrace{\lambda_2 \sum_i w_i^2}_{\text{L2 (Ridge)}}$$
#
# L1 alone, L2 alone, or both (**Elastic Net**). To fit the noise, a network needs large, finely tuned weights;
# the penalty makes every unit of weight cost something, so the network only keeps the weights that pay for
# themselves by lowering the data loss on many examples.
#
# **Why L1 gives (near) zeros and L2 does not.** Look at the pull each penalty exerts on one weight (its
# gradient):
#
# * L1: $\lambda_1 \cdot \text{sign}(w)$, the *same* push toward zero for a weight of 0.001 as for a weight
#   of 1. A weight that the data does not defend is pushed to zero, and there it *jitters*: a step that
#   crosses zero flips the sign of the push, and the next step pushes it back. With gradient steps such a
#   weight ends *near* zero, not at exactly 0.0. The weights become **sparse** in practice: most of them are
#   negligible, which is why the course counts weights with |w| < 0.001 (exact zeros take another kind of
#   update, shown at the end of this lesson).
# * L2: $2\lambda_2 w$, a push that *fades* as the weight shrinks. Weights become **small**, but the push
#   vanishes before they reach zero.
#
# Elastic Net mixes both: some sparsity from L1, and L2's even shrinking of the weights that survive.

# %% [markdown] lang="fr"
# # Leçon 2 · Régularisation L1, L2 et Elastic Net
#
# La leçon 1 a montré un grand réseau qui mémorise des étiquettes fausses. Un *régulariseur* l'en dissuade en
# ajoutant une pénalité sur les poids à la perte que minimise l'optimiseur :
#
# $$\text{perte} = \text{perte sur les données} + \underbrace{\lambda_1 \sum_i |w_i|}_{\text{L1 (Lasso)}}
# + \underbrace{\lambda_2 \sum_i w_i^2}_{\text{L2 (Ridge)}}$$
#
# L1 seule, L2 seule, ou les deux (**Elastic Net**). Pour ajuster le bruit, un réseau a besoin de poids grands et
# finement réglés ; la pénalité fait payer chaque unité de poids, si bien que le réseau ne garde que les poids
# qui se rentabilisent en faisant baisser la perte sur les données pour de nombreux exemples.
#
# **Pourquoi L1 donne des poids (quasi) nuls, et pas L2.** Regardez la force que chaque pénalité exerce sur un
# poids (son gradient) :
#
# * L1 : $\lambda_1 \cdot \text{sign}(w)$, la *même* poussée vers zéro pour un poids de 0,001 que pour un poids
#   de 1. Un poids que les données ne défendent pas est poussé jusqu'à zéro, et là il *oscille* : un pas qui
#   franchit zéro inverse le signe de la poussée, et le pas suivant le ramène de l'autre côté. Avec des pas de
#   gradient, un tel poids finit *près de* zéro, pas exactement à 0,0. En pratique, les poids deviennent
#   **parcimonieux** (creux) : la plupart sont négligeables, c'est pourquoi le cours compte les poids tels que
#   |w| < 0,001 (obtenir des zéros exacts demande un autre type de mise à jour, présenté à la fin de cette
#   leçon).
# * L2 : $2\lambda_2 w$, une poussée qui *s'atténue* à mesure que le poids diminue. Les poids deviennent
#   **petits**, mais la poussée s'évanouit avant qu'ils n'atteignent zéro.
#
# Elastic Net combine les deux : un peu de parcimonie venue de L1, et le rétrécissement régulier, propre à L2,
# des poids qui survivent.

# %% [markdown] id="regularizers-02"
# ## In Keras
#
# The chapter attaches a penalty to a layer like this (current Keras 3 spelling):

# %% [markdown] lang="fr"
# ## En Keras
#
# Le chapitre attache une pénalité à une couche de cette façon (dans l'écriture actuelle de Keras 3) :

# %% id="regularizers-03"
import keras
import numpy as np
from keras import layers, regularizers

layer = layers.Dense(units=64, activation="relu", kernel_regularizer=regularizers.L2(0.01))
layer.kernel_regularizer.get_config()

# %% [markdown] id="regularizers-04"
# Notes on spelling:
#
# * `regularizers.l2(0.01)`, `regularizers.L2(0.01)` and the string `"l2"` (default factor 0.01) give the
#   same penalty; likewise `l1`/`L1` and `l1_l2`/`L1L2` (Elastic Net: `L1L2(l1=0.01, l2=0.01)`).
#   Beware: `l1_l2()` *without* arguments has both factors at 0, i.e. no penalty at all.
# * Keras's L2 is $\lambda \sum w^2$, with no ½ in front (some textbooks put one).
#
# A layer can carry three penalties, on three different things:
#
# | argument | penalizes | typical use |
# |---|---|---|
# | `kernel_regularizer` | the weight matrix | the usual one: fights overfitting |
# | `bias_regularizer` | the biases | rarely needed: one bias per unit, little capacity |
# | `activity_regularizer` | the layer's *outputs* | encourages few active units per example (sparse codes) |
#
# Keras computes each penalty on every forward pass and collects them in `layer.losses`; `fit` adds their sum
# to the data loss. Below, one layer with all three, applied to a batch of 32 digits.

# %% [markdown] lang="fr"
# Remarques sur l'écriture :
#
# * `regularizers.l2(0.01)`, `regularizers.L2(0.01)` et la chaîne `"l2"` (facteur par défaut 0,01) donnent la
#   même pénalité ; de même pour `l1`/`L1` et `l1_l2`/`L1L2` (Elastic Net : `L1L2(l1=0.01, l2=0.01)`).
#   Attention : `l1_l2()` *sans* argument a ses deux facteurs à 0, c'est-à-dire aucune pénalité.
# * La pénalité L2 de Keras vaut $\lambda \sum w^2$, sans ½ devant (certains manuels en mettent un).
#
# Une couche peut porter trois pénalités, sur trois choses différentes :
#
# | argument | pénalise | usage typique |
# |---|---|---|
# | `kernel_regularizer` | la matrice des poids | le plus courant : combat le surapprentissage |
# | `bias_regularizer` | les biais | rarement utile : un biais par unité, peu de capacité |
# | `activity_regularizer` | les *sorties* de la couche | favorise peu d'unités actives par exemple (codes parcimonieux) |
#
# Keras calcule chaque pénalité à chaque passe avant et les rassemble dans `layer.losses` ; `fit` ajoute leur
# somme à la perte sur les données. Ci-dessous, une couche portant les trois, appliquée à un lot de 32 chiffres.

# %% id="regularizers-05"
from helpers import experiments as ex

x = ex.benchmark_split(seed=0).x_train[:32]
penalized = layers.Dense(
    16,
    activation="relu",
    kernel_regularizer=regularizers.L2(0.01),
    bias_regularizer=regularizers.L2(0.01),
    activity_regularizer=regularizers.L1(0.001),
)
outputs = penalized(x)
for name, value in zip(
    ["activity L1(0.001)", "kernel L2(0.01)", "bias L2(0.01)"], penalized.losses, strict=True
):
    print(f"{name:20s} {float(value):.5f}")
print(
    f"activity penalty by hand: 0.001 * sum|outputs| / batch size = {0.001 * np.abs(outputs).sum() / len(x):.5f}"
)

# %% [markdown] id="regularizers-06"
# The bias penalty is 0 because biases start at 0. The activity penalty is divided by the batch size, so its
# strength does not depend on how many examples a batch holds.
#
# ## The experiment: what each penalty does to the weights
#
# We train the large network of lesson 1 (2 hidden layers of 256 units) on the benchmark four times, with the
# same seed: no penalty, L1(0.001), L2(0.001), and Elastic Net with 0.0005 for each part. Then we look at the
# 81,920 weights of its two hidden kernels: how many are practically zero (|w| < 0.001), and how large they
# are overall.

# %% [markdown] lang="fr"
# La pénalité sur les biais vaut 0 parce que les biais partent de 0. La pénalité d'activité est divisée par la
# taille du lot, si bien que sa force ne dépend pas du nombre d'exemples que contient un lot.
#
# ## L'expérience : ce que chaque pénalité fait aux poids
#
# Nous entraînons quatre fois le grand réseau de la leçon 1 (2 couches cachées de 256 unités) sur le banc
# d'essai, avec la même graine : sans pénalité, avec `L1(0.001)`, avec `L2(0.001)`, et avec Elastic Net à 0,0005
# pour chaque partie. Puis nous examinons les 81 920 poids des matrices de ses deux couches cachées : combien
# sont pratiquement nuls (|w| < 0,001), et quelle est leur taille d'ensemble.

# %% id="regularizers-07"
import pandas as pd

from helpers import plotting

reg = ex.regularizer_experiment(seed=0)
rows = {}
for name, run in reg.runs.items():
    key = name.lower().replace(" ", "_")  # "Elastic Net" -> "elastic_net"
    rows[name] = {
        "kernel penalty": run.spec.kernel_penalty(),
        "|w| < 1e-3": f"{reg[key + '_near_zero']:.1%}",
        "mean |w|": round(reg[key + "_mean_abs"], 4),
        "L2 norm": round(reg[key + "_l2_norm"], 1),
        "val acc": round(reg[key + "_val_acc"], 3),
    }
pd.DataFrame(rows).T

# %% id="regularizers-08"
plotting.weight_histograms(
    reg.runs, log_count=True, limit=0.3, title="Hidden-layer weights after 60 epochs (log counts)"
)

# %% [markdown] id="regularizers-09"
# Reading the histograms (the count axis is logarithmic, otherwise the spike at zero would flatten the rest):
#
# * **No penalty:** a wide bell; under 1 % of the weights are near zero.
# * **L1:** a tall spike at zero holding most weights (near zero, not exactly 0.0), and a thin set of larger
#   ones: sparse.
# * **L2:** a narrower bell than without penalty (its norm shrinks to 0.64<!-- claim b3 --> of the unregularized
#   one), but most weights are
#   small *non-zero* values.
# * **Elastic Net:** in between: a spike at zero smaller than L1's.
#
# L2 still leaves a noticeable minority near zero here. Most of those are weights that receive *no* signal
# from the data: connections from pixels that are blank in every training image, or out of units that never
# fire. With Adam, a weight whose only gradient is the penalty's is driven to zero by either penalty, because
# Adam divides each gradient by its own running size (this is why `AdamW` applies weight decay separately). The
# comparison that matters is the gap: L1 sends several times more weights to zero than L2.
#
# Did the penalties also help on new data? One caution before comparing: the `loss` and `val_loss` Keras
# reports *include* the penalties, so a regularized model's loss is not comparable with an unregularized one's.
# Validation accuracy is:

# %% [markdown] lang="fr"
# Lecture des histogrammes (l'axe des effectifs est logarithmique, sinon le pic en zéro écraserait le reste) :
#
# * **Sans pénalité :** une cloche large ; moins de 1 % des poids sont proches de zéro.
# * **L1 :** un pic élevé en zéro qui contient la plupart des poids (proches de zéro, pas exactement à 0,0), et
#   une mince population de poids plus grands : des poids parcimonieux.
# * **L2 :** une cloche plus étroite que sans pénalité (sa norme tombe à 0,64<!-- claim b3 --> de celle du
#   réseau non régularisé), mais la plupart des poids sont de petites valeurs *non nulles*.
# * **Elastic Net :** entre les deux : un pic en zéro plus petit que celui de L1.
#
# Ici, L2 laisse tout de même une minorité notable de poids proches de zéro. Ce sont pour la plupart des poids
# qui ne reçoivent *aucun* signal des données : des connexions issues de pixels vides dans toutes les images
# d'entraînement, ou sortant d'unités qui ne s'activent jamais. Avec Adam, un poids dont le seul gradient est
# celui de la pénalité est ramené à zéro par l'une comme par l'autre pénalité, car Adam divise chaque gradient
# par sa propre amplitude moyenne (c'est pourquoi `AdamW` applique la décroissance des poids à part). La
# comparaison qui compte est l'écart : L1 envoie vers zéro plusieurs fois plus de poids que L2.
#
# Les pénalités ont-elles aussi aidé sur de nouvelles données ? Une précaution avant de comparer : la `loss` et la
# `val_loss` que rapporte Keras *incluent* les pénalités, donc la perte d'un modèle régularisé n'est pas
# comparable à celle d'un modèle non régularisé. L'exactitude (accuracy) de validation, elle, l'est :

# %% id="regularizers-10"
plotting.compare_curves(reg.runs, key="val_accuracy", title="Validation accuracy, same network and seed")

# %% [markdown] id="regularizers-11"
# Without a penalty, validation accuracy peaks within the first ten epochs and then slides back to 0.80<!-- claim a6 --> as the
# network memorizes the wrong labels (lesson 1). L1 and Elastic Net end clearly higher; L2 at this small factor
# (0.001) barely changes the outcome. The factor matters: lesson 5 uses L2(0.01), ten times stronger, which
# lifts validation accuracy from 0.80<!-- claim e6 --> to 0.89<!-- claim e7 --> (three seeds).
#
# ## The activity regularizer at work
#
# An activity penalty targets the outputs instead of the weights. On the same network, `activity_regularizer=
# L1(0.001)` on both hidden layers should leave more units silent (relu output exactly 0) for each validation
# digit and lower the average activation:

# %% [markdown] lang="fr"
# Sans pénalité, l'exactitude de validation culmine dans les dix premières époques, puis redescend à
# 0,80<!-- claim a6 --> à mesure que le réseau mémorise les étiquettes fausses (leçon 1). L1 et Elastic Net
# finissent nettement plus haut ; L2, avec ce petit facteur (0,001), ne change guère le résultat. Le facteur
# compte : la leçon 5 utilise `L2(0.01)`, dix fois plus fort, qui fait passer l'exactitude de validation de
# 0,80<!-- claim e6 --> à 0,89<!-- claim e7 --> (trois graines).
#
# ## Le régulariseur d'activité à l'œuvre
#
# Une pénalité d'activité vise les sorties plutôt que les poids. Sur le même réseau,
# `activity_regularizer=L1(0.001)` sur les deux couches cachées devrait laisser davantage d'unités silencieuses
# (sortie relu exactement nulle) pour chaque chiffre de validation et faire baisser l'activation moyenne :

# %% id="regularizers-12"
act = ex.activity_experiment(seed=0)
print(
    f"silent hidden units per example: {act['none_zero_fraction']:.1%} without penalty, "
    f"{act['activity_zero_fraction']:.1%} with activity L1(0.001)"
)
print(
    f"mean hidden activation:          {act['none_mean_activation']:.3f} without, {act['activity_mean_activation']:.3f} with"
)
print(
    f"validation accuracy:             {act['none_val_acc']:.3f} without, {act['activity_val_acc']:.3f} with"
)

# %% [markdown] id="regularizers-activity-reading"
# The penalty acts on what it targets. Over three seeds, the share of hidden units that are silent for a given
# validation digit rises by 0.12<!-- claim b7 --> (to 44 %<!-- claim b8 -->), and the mean hidden activation is
# halved: 0.50<!-- claim b9 --> of the unpenalized one (claims b7–b9). No weight was penalized: the network found
# its own way to answer with fewer, smaller activations. (Validation accuracy is printed for information only;
# the course makes no claim about it.)
#
# ## The bias penalty: small, and measured so
#
# The table at the top called `bias_regularizer` rarely needed. To see why, the same large network gets
# `bias_regularizer=L2(0.01)` on its hidden layers and no other penalty; for comparison, a third run puts the
# same factor on the kernels instead.

# %% [markdown] lang="fr"
# La pénalité agit sur ce qu'elle vise. Sur trois graines, la part des unités cachées silencieuses pour un
# chiffre de validation donné augmente de 0,12<!-- claim b7 --> (jusqu'à 44 %<!-- claim b8 -->), et
# l'activation cachée moyenne est divisée par deux : 0,50<!-- claim b9 --> de celle du réseau sans pénalité
# (affirmations b7 à b9). Aucun poids n'a été pénalisé : le réseau a trouvé de lui-même comment répondre avec
# des activations moins nombreuses et plus petites. (L'exactitude de validation n'est affichée qu'à titre
# d'information ; le cours n'affirme rien à son sujet.)
#
# ## La pénalité sur les biais : petite, et mesurée comme telle
#
# Le tableau du début jugeait `bias_regularizer` rarement utile. Pour voir pourquoi, le même grand réseau reçoit
# `bias_regularizer=L2(0.01)` sur ses couches cachées et aucune autre pénalité ; à titre de comparaison, une
# troisième exécution applique plutôt le même facteur aux matrices de poids (`kernel_regularizer`).

# %% id="regularizers-bias"
bias = ex.bias_regularizer_experiment(seed=0)
pd.DataFrame(
    {
        name: {
            "hidden biases: L2 norm": round(bias[f"{key}_bias_l2_norm"], 3),
            "hidden kernels: L2 norm": round(bias[f"{key}_kernel_l2_norm"], 2),
            "val acc": round(bias[f"{key}_val_acc"], 3),
            "train acc - val acc": round(bias[f"{key}_gap"], 3),
        }
        for key, name in (("none", "no penalty"), ("bias", "bias L2(0.01)"), ("kernel", "kernel L2(0.01)"))
    }
).T

# %% [markdown] id="regularizers-bias-reading"
# The bias penalty does shrink the biases: their norm falls to 0.54<!-- claim b10 --> of the unpenalized one. And
# that is all it does. The kernels come out as large as without it (norm ratio 1.00<!-- claim b12 -->), and
# validation accuracy moves by −0.002<!-- claim b11 --> on average over three seeds, while the same factor on
# the kernels lifts it by 0.08<!-- claim b13 --> (claims b10–b13). The reason is capacity: the network has 512
# hidden biases against 81,920 kernel weights, and a bias only shifts a unit's threshold for every example
# alike; memorizing particular examples takes weights.

# %% [markdown] lang="fr"
# La pénalité sur les biais réduit bien les biais : leur norme tombe à 0,54<!-- claim b10 --> de celle du réseau
# sans pénalité. Et c'est tout ce qu'elle fait. Les matrices de poids en sortent aussi grandes que sans elle
# (rapport des normes 1,00<!-- claim b12 -->), et l'exactitude de validation varie de −0,002<!-- claim b11 --> en
# moyenne sur trois graines, alors que le même facteur appliqué aux matrices de poids la relève de
# 0,08<!-- claim b13 --> (affirmations b10 à b13). La raison tient à la capacité : le réseau compte 512 biais
# cachés contre 81 920 poids dans ses matrices, et un biais ne fait que décaler le seuil d'une unité, de la même
# façon pour tous les exemples ; pour mémoriser des exemples particuliers, il faut des poids.

# %% [markdown] id="regularizers-near-zero"
# ## Near zero is not zero
#
# With gradient steps, L1's pull has the same size $\lambda_1$ at every weight: a weight the data does not
# defend is pushed past zero by one step and back by the next, so it hovers near zero without ever landing on
# exactly 0.0. Exact zeros take a *proximal* step: a gradient step on the data loss alone, then the penalty
# applied as a **soft threshold**,
#
# $$w \leftarrow \text{sign}(w)\,\max\big(|w| - \eta\lambda_1,\ 0\big)$$
#
# with $\eta$ the learning rate. A weight within $\eta\lambda_1$ of zero becomes exactly 0.0; every other weight
# moves $\eta\lambda_1$ toward zero, as much as the L1 gradient step would move it. Repeating the two steps is
# ISTA (iterative shrinkage-thresholding), the algorithm behind many Lasso solvers.
#
# We compare both on the simplest model that has an L1 penalty: a softmax regression (one `Dense` layer, 64
# pixels to 10 classes), written in NumPy, trained on 1,000 clean digits with $\lambda_1 = 0.001$, learning
# rate 0.5 and 2,000 full-batch steps, from the same starting weights both times. Last, the same count on the
# 2×256 network that Keras trained with L1(0.001) above.

# %% [markdown] lang="fr"
# ## Proche de zéro n'est pas nul
#
# Avec des pas de gradient, la force de L1 a la même taille $\lambda_1$ quel que soit le poids : un poids que les
# données ne défendent pas est poussé au-delà de zéro par un pas et ramené par le suivant, si bien qu'il reste
# près de zéro sans jamais tomber exactement sur 0,0. Les zéros exacts demandent un pas *proximal* : un pas de
# gradient sur la seule perte des données, puis la pénalité appliquée sous forme de **seuillage doux**,
#
# $$w \leftarrow \text{sign}(w)\,\max\big(|w| - \eta\lambda_1,\ 0\big)$$
#
# où $\eta$ est le taux d'apprentissage. Un poids situé à moins de $\eta\lambda_1$ de zéro devient exactement
# 0,0 ; tous les autres se rapprochent de zéro de $\eta\lambda_1$, autant que les déplacerait le pas de gradient
# de L1. Répéter ces deux pas, c'est ISTA (*iterative shrinkage-thresholding*, l'algorithme itératif de
# rétrécissement et de seuillage), sur lequel reposent de nombreux solveurs du Lasso.
#
# Nous comparons les deux sur le modèle le plus simple qui ait une pénalité L1 : une régression softmax (une seule
# couche `Dense`, de 64 pixels vers 10 classes), écrite en NumPy, entraînée sur 1 000 chiffres propres avec
# $\lambda_1 = 0{,}001$, un taux d'apprentissage de 0,5 et 2 000 pas sur le lot complet, en partant les deux
# fois des mêmes poids initiaux. Pour finir, le même décompte sur le réseau 2×256 que Keras a entraîné plus haut
# avec `L1(0.001)`.

# %% id="regularizers-near-zero-cell"
prox = ex.proximal_l1_experiment(seed=0)
table = pd.DataFrame(
    {
        name: {
            "weights exactly 0.0": f"{prox[key + '_exact_zero']:.1%}",
            "|w| < 1e-3": f"{prox[key + '_near_zero']:.1%}",
            "val acc": round(prox[key + "_val_acc"], 3),
        }
        for key, name in (("gradient", "(sub)gradient steps"), ("proximal", "proximal steps (ISTA)"))
    }
).T
print(table.to_string())
print(
    f"\nlargest |w| after gradient steps among the weights ISTA set to 0: "
    f"{prox['gradient_max_abs_where_proximal_zero']:.1e} (one L1 step moves a weight by {prox['step_size']:.0e})"
)
print(
    f"2x256 network, Keras, L1(0.001) with Adam: {reg['l1_exact_zero']:.1%} of the hidden weights exactly 0.0, "
    f"{reg['l1_near_zero']:.1%} below 0.001"
)

# %% [markdown] id="regularizers-near-zero-reading"
# Over three seeds, the gradient steps leave 0.0 %<!-- claim b15 --> of the regression's weights at exactly 0.0,
# although 58 %<!-- claim b16 --> of them are below 0.001 in absolute value. The proximal steps set
# 58 %<!-- claim b14 --> of them to exactly 0.0, and the two models classify the validation digits equally well
# (difference 0.000<!-- claim b17 -->). Both runs switch off the same weights; only one of them writes the zero.
#
# The Keras network is in the first situation: 0 %<!-- claim b18 --> of its hidden weights are exactly zero,
# while 80 %<!-- claim b1 --> are below 0.001 (claims b14–b18). Keras's regularizers add the penalty to the loss,
# so its optimizers take plain gradient steps on it. For a truly sparse network (a smaller file, sparse
# inference), set the weights below a threshold to 0 after training and measure the accuracy again, or train
# with a proximal update.

# %% [markdown] lang="fr"
# Sur trois graines, les pas de gradient laissent 0,0 %<!-- claim b15 --> des poids de la régression exactement à
# 0,0, bien que 58 %<!-- claim b16 --> d'entre eux soient inférieurs à 0,001 en valeur absolue. Les pas proximaux
# en mettent 58 %<!-- claim b14 --> exactement à 0,0, et les deux modèles classent aussi bien l'un que l'autre les
# chiffres de validation (différence 0,000<!-- claim b17 -->). Les deux exécutions éteignent les mêmes poids ;
# une seule d'entre elles écrit le zéro.
#
# Le réseau Keras se trouve dans la première situation : 0 %<!-- claim b18 --> de ses poids cachés sont
# exactement nuls, alors que 80 %<!-- claim b1 --> sont inférieurs à 0,001 (affirmations b14 à b18). Les
# régulariseurs de Keras ajoutent la pénalité à la perte, si bien que ses optimiseurs font sur celle-ci de simples
# pas de gradient. Pour obtenir un réseau réellement parcimonieux (un fichier plus petit, une inférence creuse),
# mettez à 0 après l'entraînement les poids situés sous un seuil, puis mesurez de nouveau l'exactitude, ou bien
# entraînez avec une mise à jour proximale.

# %% [markdown] id="regularizers-13"
# ## What we measured
#
# * L1(0.001) leaves 80 %<!-- claim b1 --> of the hidden kernel weights below 0.001 in absolute value, against 0.8 %<!-- claim b2 -->
#   without a penalty: L1 makes weights sparse.
# * L2(0.001) shrinks the weights (L2 norm 0.64<!-- claim b3 --> of the unregularized one) while most stay non-zero; L1 has
#   0.63<!-- claim b4 --> more of its weights near zero than L2 (as fractions of all weights).
# * Elastic Net (0.0005 + 0.0005) sits between them: 0.47<!-- claim b5 --> more near-zero weights than L2, 0.16<!-- claim b6 --> fewer than L1.
# * These numbers are the course's claims b1–b6, checked over three seeds (README table).
# * An activity penalty makes the hidden representation sparser: 0.12<!-- claim b7 --> more silent units per
#   example and half the mean activation (claims b7–b9).
# * A bias penalty shrinks the biases and leaves the rest alone: validation accuracy within 0.02 of the
#   unpenalized network on every seed (claim b11), against 0.08<!-- claim b13 --> gained by the same factor on
#   the kernels.
# * Gradient steps with L1 leave weights near zero, not at zero: none of the 2×256 network's weights is exactly
#   0.0; the proximal step of ISTA gives exact zeros (claims b14–b18).

# %% [markdown] lang="fr"
# ## Ce que nous avons mesuré
#
# * `L1(0.001)` laisse 80 %<!-- claim b1 --> des poids des matrices cachées sous 0,001 en valeur absolue, contre
#   0,8 %<!-- claim b2 --> sans pénalité : L1 rend les poids parcimonieux.
# * `L2(0.001)` réduit les poids (leur norme L2 vaut 0,64<!-- claim b3 --> de celle du réseau non régularisé) tandis que
#   la plupart restent non nuls ; la part des poids proches de zéro est plus grande de 0,63<!-- claim b4 --> avec
#   L1 qu'avec L2 (en fraction de l'ensemble des poids).
# * Elastic Net (0,0005 + 0,0005) se situe entre les deux : 0,47<!-- claim b5 --> de poids proches de zéro de
#   plus que L2, 0,16<!-- claim b6 --> de moins que L1.
# * Ces nombres sont les affirmations b1 à b6 du cours, vérifiées sur trois graines (tableau du README).
# * Une pénalité d'activité rend la représentation cachée plus parcimonieuse : 0,12<!-- claim b7 --> d'unités
#   silencieuses de plus par exemple et une activation moyenne divisée par deux (affirmations b7 à b9).
# * Une pénalité sur les biais réduit les biais et laisse le reste tranquille : l'exactitude de validation reste
#   à moins de 0,02 de celle du réseau sans pénalité pour chaque graine (affirmation b11), contre
#   0,08<!-- claim b13 --> gagnés par le même facteur appliqué aux matrices de poids.
# * Avec L1, les pas de gradient laissent les poids près de zéro, pas à zéro : aucun poids du réseau 2×256 n'est
#   exactement à 0,0 ; le pas proximal d'ISTA donne des zéros exacts (affirmations b14 à b18).

# %% [markdown] id="regularizers-14"
# ## Your turn
#
# Exercise: [`release/02_regularizers/02_regularizers.ipynb`](../release/02_regularizers/02_regularizers.ipynb).
# You will compute the three penalties with NumPy (and check them against Keras), build a regularized model,
# attach kernel, bias and activity penalties to one layer, and measure sparsity yourself.

# %% [markdown] lang="fr"
# ## À vous de jouer
#
# Exercice : [`release/02_regularizers/02_regularizers.ipynb`](../release/02_regularizers/02_regularizers.ipynb).
# Vous calculerez les trois pénalités avec NumPy (et les vérifierez avec Keras), construirez un modèle
# régularisé, attacherez à une même couche des pénalités sur les poids, sur les biais et sur l'activité, et
# mesurerez vous-même la parcimonie.
