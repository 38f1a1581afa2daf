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

# %% [markdown] lang="fr"
# # Leçon 5 · Combiner les techniques
#
# Le chapitre termine son tour d'horizon par un modèle qui utilise tout : une pénalité Elastic Net sur la couche
# cachée, la normalisation par lots et le Dropout. Dans cette leçon, nous l'écrivons en Keras actuel, nous vérifions
# ce qu'il donne sur le banc d'essai et nous le comparons à chaque technique prise isolément, car « tout utiliser »
# est un point de départ, pas une garantie.

# %% [markdown] id="in-practice-02"
# ## The chapter's model in Keras 3

# %% [markdown] lang="fr"
# ## Le modèle du chapitre en Keras 3

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

# %% [markdown] lang="fr"
# Le chapitre construit son modèle de l'autre façon que propose Keras : un `Sequential()` vide, puis un
# `model.add(...)` par couche. Les deux styles construisent le même réseau ; la cellule ci-dessous construit la
# version du chapitre et compare, couche par couche, le type et les réglages (unités, activation, coefficients de
# régularisation, taux de Dropout), ainsi que le nombre de poids.

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

# %% [markdown] lang="fr"
# Trois détails diffèrent du texte du chapitre, écrit pour une version plus ancienne de Keras :
#
# * **L'entrée.** Le texte écrit `Dense(64, activation='relu', input_shape=(input_shape,), ...)`. Keras 3
#   accepte encore `input_shape=` sur la première couche, mais avertit qu'il vaut mieux commencer le modèle par
#   `keras.Input(shape=...)`, comme ci-dessus. Les deux écritures construisent le même réseau.
# * **La pénalité.** `regularizers.l1_l2(l1=0.01, l2=0.01)` dans le texte et `regularizers.L1L2(l1=0.01,
#   l2=0.01)` ici sont une seule et même chose.
# * **`compile` avec des mots-clés.** Nommez `optimizer=`, `loss=` et `metrics=` : dans Keras 3, le troisième
#   argument positionnel de `compile` est `loss_weights`, et non `metrics`, et y passer `["accuracy"]` échoue avec
#   une erreur obscure.
#
# `categorical_crossentropy` attend des étiquettes encodées en one-hot (la fonction d'entraînement du cours s'en
# charge) ; avec des étiquettes entières, utilisez `sparse_categorical_crossentropy`.
#
# Les expériences du cours décrivent les modèles avec `helpers.experiments.MLPSpec` ; le modèle du chapitre est
# `ex.CHAPTER`, et il construit les mêmes couches :

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

# %% [markdown] lang="fr"
# ## L'expérience : chaque technique seule, puis ensemble
#
# Sur le banc d'essai (300 chiffres d'entraînement aux étiquettes bruitées, 60 époques, même graine pour tous) :
#
# * **baseline** (le modèle de référence) : le réseau 2×256 qui surapprend (leçon 1) ;
# * **L2(0.01)** : le même avec une pénalité L2 sur les poids de ses couches cachées (leçon 2) ;
# * **Dropout(0.5)** : le même avec du Dropout après chaque couche cachée (leçon 3) ;
# * **Dropout(0.5) + L2(0.01)** : les deux à la fois ;
# * **chapter's model** (le modèle du chapitre) : 64 unités, L1L2(0.01, 0.01), BatchNormalization, Dropout(0.5).

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

# %% [markdown] lang="fr"
# Ce que disent les chiffres, en toute honnêteté :
#
# * Chaque technique corrige l'essentiel du surapprentissage du modèle de référence : l'exactitude (accuracy) de
#   validation passe de 0,80<!-- claim e6 --> à une valeur comprise entre 0,85<!-- claim e10 --> (le modèle du
#   chapitre) et 0,90<!-- claim e9 --> (L2 et Dropout ensemble), et l'exactitude d'entraînement s'arrête au niveau
#   des étiquettes correctes au lieu de mémoriser les étiquettes erronées.
# * Combiner L2 et Dropout sur le grand réseau fonctionne bien, mais, sur trois graines, cela ne fait **pas**
#   mieux de façon fiable que la meilleure des deux techniques seule (+0,01 ± 0,02<!-- claim e2 -->). Les
#   régularisations se recouvrent : une fois la mémorisation stoppée, une seconde technique n'a plus grand-chose à
#   faire.
# * Le modèle du chapitre bat le modèle de référence qui surapprend, mais ce n'est pas le meilleur modèle ici. Sa
#   pénalité, 0,01 pour L1 comme pour L2 sur une petite couche de 64 unités, est forte ; la leçon 6 montre qu'une
#   pénalité plus faible fait mieux et que, sur ces données, le même réseau de 64 unités *sans* aucune de ces
#   techniques fait mieux encore.
#
# Rien de tout cela ne contredit le chapitre. Cela signifie que ces techniques sont des outils à régler sur vos
# propres données, et la façon de les régler en mesurant est l'objet de la leçon 6.
#
# ## Bonnes habitudes
#
# * Partez d'un modèle capable de surapprendre (exactitude d'entraînement nettement au-dessus de celle de
#   validation), puis régularisez-le.
# * Ajoutez une technique à la fois et gardez celle qui fait progresser l'exactitude de *validation*.
# * Cherchez les coefficients de pénalité sur une échelle logarithmique (0,1 ; 0,01 ; 0,001 ; ...) et les taux de
#   Dropout, compris dans [0 ; 1[, sur une échelle linéaire (0,1 ; 0,2 ; ... ; 0,5).
# * Gardez `BatchNormalization` avant `Dropout`, comme dans le modèle du chapitre ; un Dropout placé avant la BN
#   modifie les statistiques que voit la BN entre l'entraînement et l'inférence.
# * Comparez sur plus d'une graine avant de croire à une différence d'un ou deux points.
#
# ## Ce que nous avons mesuré
#
# * Sur trois graines, avec le même budget, l'exactitude de validation a été en moyenne de 0,80<!-- claim e6 --> pour
#   le modèle de référence, 0,89<!-- claim e7 --> avec L2(0.01), 0,89<!-- claim e8 --> avec Dropout(0.5),
#   0,90<!-- claim e9 --> avec les deux, et 0,85<!-- claim e10 --> pour le modèle du chapitre.
# * L2 + Dropout a battu le modèle de référence de 0,10 ± 0,02<!-- claim e1 --> ; il est resté à
#   +0,01 ± 0,02<!-- claim e2 --> de la meilleure technique seule ; le modèle du chapitre a battu le modèle de
#   référence de 0,04 ± 0,01<!-- claim e3 -->.

# %% [markdown] id="in-practice-11"
# ## Your turn
#
# Exercise: [`release/05_in_practice/05_in_practice.ipynb`](../release/05_in_practice/05_in_practice.ipynb).
# You will write the chapter's model as a function, then design your own model that must beat the
# unregularized baseline on the benchmark.

# %% [markdown] lang="fr"
# ## À vous de jouer
#
# Exercice : [`release/05_in_practice/05_in_practice.ipynb`](../release/05_in_practice/05_in_practice.ipynb).
# Vous écrirez le modèle du chapitre sous forme de fonction, puis vous concevrez votre propre modèle, qui devra battre
# sur le banc d'essai le modèle de référence non régularisé.
