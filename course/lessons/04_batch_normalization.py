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

# %% id="batch-normalization-00"
from helpers.setup import setup_notebook

setup_notebook(seed=0)  # quiet TensorFlow, fixed seeds, plot style: run this cell first

# %% [markdown] id="batch-normalization-01"
# # Lesson 4 · Batch normalization
#
# Every layer of a network learns on the outputs of the layer before it, and those outputs change whenever the
# earlier layers' weights change. In a deep network, the scale and offset of the signal can also drift from
# layer to layer: some units end up always large, others almost constant, and gradients through saturated
# units nearly vanish. Training is then slow and needs a small, careful learning rate.
#
# **Batch normalization** (BN) re-centres and re-scales each unit's values over the current mini-batch:
#
# $$\hat{x} = \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \varepsilon}}, \qquad y = \gamma\,\hat{x} + \beta$$
#
# * $\mu_B$, $\sigma_B^2$: mean and (biased) variance of the unit over the batch; $\varepsilon$ (0.001 in
#   Keras) avoids dividing by zero.
# * $\gamma$ and $\beta$ are learned, one pair per unit, so the network can still choose any scale and offset
#   it needs: BN only changes *how easy* it is to get there. They start at 1 and 0.
# * At inference there may be a single example, so Keras uses **moving averages** of $\mu_B$ and
#   $\sigma_B^2$ collected during training (`moving = momentum * moving + (1 - momentum) * batch value`,
#   momentum 0.99).
#
# The chapter's claims: BN normalizes internal activations, stabilizes training and reduces the number of
# epochs needed. We measure each, and one thing BN is often credited with but did not do here.

# %% [markdown] lang="fr"
# # Leçon 4 · Normalisation par lots
#
# Chaque couche d'un réseau apprend à partir des sorties de la couche précédente, et ces sorties changent dès que
# les poids des couches antérieures changent. Dans un réseau profond, l'échelle et le décalage du signal peuvent
# aussi dériver d'une couche à l'autre : certaines unités finissent toujours grandes, d'autres presque constantes, et
# les gradients qui traversent des unités saturées s'évanouissent presque. L'entraînement devient alors lent et exige
# un taux d'apprentissage petit, choisi avec soin.
#
# La **normalisation par lots** (*batch normalization*, BN) recentre et remet à l'échelle les valeurs de chaque
# unité sur le mini-lot courant :
#
# $$\hat{x} = \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \varepsilon}}, \qquad y = \gamma\,\hat{x} + \beta$$
#
# * $\mu_B$, $\sigma_B^2$ : moyenne et variance (biaisée) de l'unité sur le lot ; $\varepsilon$ (0,001 dans
#   Keras) évite de diviser par zéro.
# * $\gamma$ et $\beta$ sont appris, une paire par unité, si bien que le réseau peut toujours choisir l'échelle et
#   le décalage dont il a besoin : la BN ne change que la *facilité* avec laquelle il y parvient. Ils valent 1 et 0
#   au départ.
# * En inférence, il peut n'y avoir qu'un seul exemple : Keras utilise donc des **moyennes mobiles** de $\mu_B$ et
#   $\sigma_B^2$ accumulées pendant l'entraînement (`moving = momentum * moving + (1 - momentum) * batch value`,
#   momentum 0,99).
#
# Ce qu'affirme le chapitre : la BN normalise les activations internes, stabilise l'entraînement et réduit le nombre
# d'époques nécessaires. Nous mesurons chacun de ces points, ainsi qu'un effet qu'on prête souvent à la BN mais
# qu'elle n'a pas eu ici.

# %% [markdown] id="batch-normalization-02"
# ## In Keras
#
# `BatchNormalization()` is a layer; the chapter places it after a `Dense` layer:

# %% [markdown] lang="fr"
# ## Dans Keras
#
# `BatchNormalization()` est une couche ; le chapitre la place après une couche `Dense` :

# %% id="batch-normalization-03"
import keras
import numpy as np
from keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        layers.Dense(64, activation="relu"),
        layers.BatchNormalization(),
        layers.Dense(10, activation="softmax"),
    ]
)
bn = model.layers[1]
print([w.name for w in bn.weights])
print(f"trainable: {[w.name for w in bn.trainable_weights]}, epsilon={bn.epsilon}, momentum={bn.momentum}")

# %% [markdown] id="batch-normalization-04"
# Four vectors per BN layer: `gamma` and `beta` are trained by the optimizer; `moving_mean` and
# `moving_variance` are updated by the layer itself during training and used in inference mode. (Placing BN
# *before* the activation, as the original paper did, is just as common; the end of the lesson compares both.)
#
# The two modes behave very differently on a freshly built layer, as this small batch shows:

# %% [markdown] lang="fr"
# Quatre vecteurs par couche BN : `gamma` et `beta` sont entraînés par l'optimiseur ; `moving_mean` et
# `moving_variance` sont mis à jour par la couche elle-même pendant l'entraînement et servent en mode inférence.
# (Placer la BN *avant* l'activation, comme le faisait l'article original, est tout aussi courant ; la fin de la
# leçon compare les deux.)
#
# Sur une couche qui vient d'être créée, les deux modes se comportent très différemment, comme le montre ce petit
# lot :

# %% id="batch-normalization-05"
rng = np.random.default_rng(0)
batch = rng.normal(loc=5.0, scale=3.0, size=(256, 4)).astype("float32")  # 4 units, far from mean 0 / std 1
fresh = layers.BatchNormalization()
train_out = np.asarray(fresh(batch, training=True))
infer_out = np.asarray(fresh(batch, training=False))
print("input            per-unit mean", batch.mean(0).round(2), "std", batch.std(0).round(2))
print("training mode    per-unit mean", train_out.mean(0).round(2), "std", train_out.std(0).round(2))
print("inference mode   per-unit mean", infer_out.mean(0).round(2), "std", infer_out.std(0).round(2))
print("moving mean after one training call:", np.asarray(fresh.moving_mean).round(3))

# %% [markdown] id="batch-normalization-06"
# In training mode each unit comes out with mean 0 and standard deviation 1. In inference mode the layer uses
# its moving statistics instead. They start at mean 0 and variance 1, and one training call moved them only 1 %
# of the way towards the batch's values (momentum 0.99: compare the moving mean printed above with the batch's
# mean), so in inference mode
# the data passes almost unchanged. That is why a BN model must be trained for many steps before its
# inference-mode output is right, and why evaluating a barely trained BN model can look strange.
#
# ## BN normalizes the activations inside a deep network
#
# A 6-layer network (64 relu units per layer) with BN after each hidden layer, freshly initialized, on 512
# digits. Per unit, we compare the values *entering* each BN layer with those *leaving* it (training mode):

# %% [markdown] lang="fr"
# En mode entraînement, chaque unité ressort avec une moyenne de 0 et un écart-type de 1. En mode inférence, la
# couche utilise à la place ses statistiques mobiles. Celles-ci partent d'une moyenne de 0 et d'une variance de 1, et
# un appel en mode entraînement ne les a rapprochées des valeurs du lot que de 1 % du chemin (momentum 0,99 : comparez
# la moyenne mobile affichée ci-dessus avec la moyenne du lot) ; en mode inférence, les données passent donc presque
# inchangées. Voilà pourquoi un modèle avec BN doit être entraîné pendant de nombreux pas avant que sa sortie en mode
# inférence soit juste, et pourquoi l'évaluation d'un modèle avec BN à peine entraîné peut donner des résultats
# étranges.
#
# ## La BN normalise les activations à l'intérieur d'un réseau profond
#
# Un réseau à 6 couches (64 unités relu par couche), avec une BN après chaque couche cachée, tout juste initialisé,
# sur 512 chiffres. Unité par unité, nous comparons les valeurs qui *entrent* dans chaque couche BN avec celles qui
# en *sortent* (mode entraînement) :

# %% id="batch-normalization-07"
from helpers import experiments as ex
from helpers import plotting

acts = ex.batchnorm_activation_experiment(seed=0)
print(
    f"entering BN: per-unit means up to {acts['before_mean_abs_max']:.2f} (average {acts['before_mean_abs_avg']:.2f}), "
    f"stds from {acts['before_std_min']:.3f} to {acts['before_std_max']:.2f}"
)
print(
    f"leaving BN:  largest |per-unit mean| {acts['after_mean_abs_max']:.1e}, "
    f"largest |std - 1| {acts['after_std_dev_from_1_max']:.3f} (units whose input std >= 0.2)"
)
plotting.activation_distributions(
    acts.arrays["before"][:3], acts.arrays["after"][:3], layer_names=["hidden 1", "hidden 2", "hidden 3"]
)

# %% [markdown] id="batch-normalization-08"
# Entering BN, the relu outputs are non-negative (many exactly 0), with unit means and spreads that differ from
# unit to unit and layer to layer. Leaving BN, every unit is centred at 0 with spread 1; the spike is the
# relu zeros, now shifted below 0. (A handful of units barely vary on
# these digits; for them $\varepsilon$ dominates the tiny variance and they come out with a standard
# deviation below 1.)
#
# ## What it buys: fewer epochs
#
# The same 6×64 network trained with plain SGD (learning rate 0.05) on 1,000 *clean* digits, with and without
# BN after each hidden layer. We count the epochs until validation accuracy first reaches 90 % (a run stops
# there; budget 30 epochs), once with `relu` and once with `sigmoid` units, which are much harder to train in
# a deep stack.

# %% [markdown] lang="fr"
# À l'entrée de la BN, les sorties relu sont positives ou nulles (beaucoup valent exactement 0), et leurs moyennes
# et dispersions varient d'une unité à l'autre et d'une couche à l'autre. À la sortie, chaque unité est centrée en 0
# avec une dispersion de 1 ; le pic correspond aux zéros de la relu, désormais décalés sous 0. (Quelques unités
# varient à peine sur ces chiffres ; pour elles, $\varepsilon$ l'emporte sur leur minuscule variance et elles
# ressortent avec un écart-type inférieur à 1.)
#
# ## Ce qu'on y gagne : moins d'époques
#
# Le même réseau 6×64, entraîné par descente de gradient stochastique (SGD) simple (taux d'apprentissage 0,05) sur
# 1 000 chiffres *propres*, avec et sans BN après chaque couche cachée. Nous comptons les époques nécessaires pour que
# l'exactitude (accuracy) de validation atteigne 90 % pour la première fois (l'entraînement s'arrête alors ; budget
# de 30 époques), une fois avec des unités `relu` et une fois avec des unités `sigmoid`, bien plus difficiles à
# entraîner dans un empilement profond.

# %% id="batch-normalization-09"
relu = ex.batchnorm_convergence_experiment(seed=0, activation="relu")
sigmoid = ex.batchnorm_convergence_experiment(seed=0, activation="sigmoid")
reached = {}
for name, res in (("relu", relu), ("sigmoid", sigmoid)):
    for mode in ("plain", "batchnorm"):
        epochs = res[f"{mode}_epochs"]
        reached[f"{name}, {'BN' if mode == 'batchnorm' else 'no BN'}"] = (
            int(epochs) if res[f"{mode}_reached"] else None
        )
reached

# %% id="batch-normalization-10"
plotting.epochs_to_threshold(
    reached,
    max_epochs=ex.CONVERGENCE_EPOCHS,
    threshold=ex.CONVERGENCE_THRESHOLD,
    title="6x64 MLP, SGD(0.05), 1,000 digits: epochs to 90% validation accuracy",
)

# %% id="batch-normalization-11"
curves = {run.name: run for res in (relu, sigmoid) for run in res.runs.values()}
plotting.compare_curves(
    curves,
    key="val_accuracy",
    threshold=ex.CONVERGENCE_THRESHOLD,
    title="Validation accuracy per epoch (a run stops once it reaches 90%)",
)

# %% [markdown] id="batch-normalization-12"
# With relu, BN gets there in about half the epochs. With sigmoid the difference is starker: six stacked
# sigmoid layers squash the signal and the gradients so much that plain SGD barely leaves chance level
# (10 % for ten digits) in 30 epochs, while the BN version trains normally. Each BN epoch costs a little more compute, but
# far fewer epochs are needed.
#
# ## What it does not buy here: better generalization
#
# BN is sometimes described as a regularizer. On our small noisy benchmark it is not much of one: the 2×256
# network of lesson 1, trained with and without BN, ends with about the same validation accuracy and keeps
# overfitting.

# %% [markdown] lang="fr"
# Avec relu, la BN y parvient en deux fois moins d'époques, à peu près. Avec sigmoid, la différence est plus nette :
# six couches sigmoïdes empilées écrasent tellement le signal et les gradients que, sans BN, l'entraînement quitte à
# peine le niveau du hasard (10 % pour dix chiffres) en 30 époques, tandis que la version avec BN s'entraîne
# normalement. Chaque époque avec BN demande un peu plus de calcul, mais il en faut beaucoup moins.
#
# ## Ce qu'on n'y gagne pas ici : une meilleure généralisation
#
# On présente parfois la BN comme une technique de régularisation. Sur notre petit banc d'essai bruité, elle ne
# régularise pas grand-chose : le réseau 2×256 de la leçon 1, entraîné avec et sans BN, finit avec à peu près la même
# exactitude de validation et continue de surapprendre.

# %% id="batch-normalization-13"
bench = ex.batchnorm_benchmark_experiment(seed=0)
ex.runs_table(bench.runs)

# %% [markdown] id="batch-normalization-bench-reading"
# So BN is a tool for *training* (speed, stability, deeper networks, larger learning rates); to fight
# overfitting it needs to be combined with the techniques of lessons 2 and 3, which is exactly what the
# chapter's model in lesson 5 does.
#
# ## Before or after the activation?
#
# The chapter puts BN after the activation (`Dense(64, activation="relu")`, then `BatchNormalization()`). The
# original paper put it before: a `Dense` layer without activation, then `BatchNormalization()`, then
# `Activation("relu")`. Both orders are common. (Before the activation, the `Dense` layer's bias is redundant:
# BN subtracts the batch mean, bias included, and adds its own $\beta$; `use_bias=False` saves those
# parameters. We keep the bias so that the order is the only difference.)
#
# Same measurements as above: epochs to 90 % validation accuracy for the 6×64 network with SGD(0.05), relu and
# sigmoid, BN after versus before the activation; then the final validation accuracy of the 2×256 network on
# the benchmark.

# %% [markdown] lang="fr"
# La BN est donc un outil pour l'*entraînement* (vitesse, stabilité, réseaux plus profonds, taux d'apprentissage
# plus élevés) ; pour lutter contre le surapprentissage, il faut la combiner avec les techniques des leçons 2 et 3,
# ce que fait précisément le modèle du chapitre dans la leçon 5.
#
# ## Avant ou après l'activation ?
#
# Le chapitre place la BN après l'activation (`Dense(64, activation="relu")`, puis `BatchNormalization()`).
# L'article original la plaçait avant : une couche `Dense` sans activation, puis `BatchNormalization()`, puis
# `Activation("relu")`. Les deux ordres sont courants. (Avant l'activation, le biais de la couche `Dense` est
# redondant : la BN soustrait la moyenne du lot, biais compris, et ajoute son propre $\beta$ ; `use_bias=False`
# économise ces paramètres. Nous gardons le biais pour que l'ordre soit la seule différence.)
#
# Mêmes mesures que plus haut : le nombre d'époques pour atteindre 90 % d'exactitude de validation avec le réseau
# 6×64 et SGD(0.05), en relu et en sigmoid, BN après ou avant l'activation ; puis l'exactitude de validation finale
# du réseau 2×256 sur le banc d'essai.

# %% id="batch-normalization-placement"
placement = {act: ex.batchnorm_placement_experiment(seed=0, activation=act) for act in ("relu", "sigmoid")}
plotting.epochs_to_threshold(
    {
        f"{act}, BN {where}": int(res[f"{where}_epochs"]) if res[f"{where}_reached"] else None
        for act, res in placement.items()
        for where in ("after", "before")
    },
    max_epochs=ex.CONVERGENCE_EPOCHS,
    threshold=ex.CONVERGENCE_THRESHOLD,
    title="6x64 MLP, SGD(0.05): BN after or before the activation",
)

# %% id="batch-normalization-placement-benchmark"
placement_bench = ex.batchnorm_placement_benchmark_experiment(seed=0)
ex.runs_table(placement_bench.runs)

# %% [markdown] id="batch-normalization-placement-reading"
# Over three seeds, BN before the activation reached 90 % 0–3<!-- claim d12 --> epochs sooner than BN after it
# with relu, and 1–2<!-- claim d14 --> epochs sooner with sigmoid. That edge is no larger than the seed-to-seed
# spread of the BN-after runs themselves (6–9<!-- claim d8 --> epochs with relu), and small next to what BN
# saves over no BN at all. On the benchmark, the final validation accuracy differed by
# −0.004 ± 0.008<!-- claim d15 --> (before minus after): nothing. Three seeds cannot settle a one- or two-epoch
# difference; what they do show is that the order is a detail here, not a choice that decides whether BN
# works. The claims bound it: with either order the relu network needs fewer than 10 epochs and the sigmoid
# one fewer than 20, the order changes that count by less than 5 epochs, and the benchmark accuracy by less
# than 0.04 (claims d11–d15).

# %% [markdown] lang="fr"
# Sur trois graines, la BN avant l'activation a atteint 90 % de 0 à 3<!-- claim d12 --> époques plus tôt que la BN
# après, avec relu, et de 1 à 2<!-- claim d14 --> époques plus tôt avec sigmoid. Cette avance ne dépasse pas les
# écarts d'une graine à l'autre des entraînements avec BN après l'activation (de 6 à 9<!-- claim d8 --> époques avec
# relu), et elle est faible à côté de ce que la BN fait gagner par rapport à l'absence de BN. Sur le banc d'essai,
# l'exactitude de validation finale a différé de −0,004 ± 0,008<!-- claim d15 --> (avant moins après) : rien. Trois
# graines ne suffisent pas à trancher une différence d'une ou deux époques ; elles montrent en revanche qu'ici l'ordre
# est un détail, et non un choix dont dépend le succès de la BN. Les affirmations du cours l'encadrent : quel que soit
# l'ordre, le réseau relu a besoin de moins de 10 époques et le réseau sigmoid de moins de 20, l'ordre change ce
# nombre de moins de 5 époques, et l'exactitude sur le banc d'essai de moins de 0,04 (affirmations d11 à d15).

# %% [markdown] id="batch-normalization-14"
# ## What we measured
#
# * Inside a deep relu network, BN (training mode) turns non-negative per-unit means (0.34<!-- claim d1 --> on
#   average) into means of 0 (|mean| < 1e-6) and standard deviations of 1 within 1.2 %<!-- claim d3 -->.
# * Epochs to reach 90 % validation accuracy, 6×64 MLP, SGD(0.05): with relu 6–9<!-- claim d8 --> with BN against 14–18<!-- claim d7 --> without;
#   with sigmoid 11–12<!-- claim d10 --> with BN against never within 30 epochs without (three seeds, claims d4–d10).
# * On the small noisy benchmark, BN changed the final validation accuracy by 0.01 ± 0.01<!-- claim d6 -->: no regularization
#   effect to speak of (claim d6).
# * BN before versus after the activation: before reached 90 % 0–3<!-- claim d12 --> epochs sooner with relu and
#   1–2<!-- claim d14 --> with sigmoid, within the spread between seeds, and the benchmark accuracy did not move
#   (−0.004 ± 0.008<!-- claim d15 -->); no reliable difference on these networks (claims d11–d15).

# %% [markdown] lang="fr"
# ## Ce que nous avons mesuré
#
# * Dans un réseau relu profond, la BN (mode entraînement) transforme des moyennes par unité positives ou nulles
#   (0,34<!-- claim d1 --> en moyenne) en moyennes nulles (|moyenne| < 1e-6) et en écarts-types égaux à 1 à
#   1,2 %<!-- claim d3 --> près.
# * Époques pour atteindre 90 % d'exactitude de validation, MLP 6×64, SGD(0.05) : avec relu, de 6 à 9<!-- claim d8 -->
#   avec BN contre de 14 à 18<!-- claim d7 --> sans ; avec sigmoid, de 11 à 12<!-- claim d10 --> avec BN contre
#   jamais en 30 époques sans (trois graines, affirmations d4 à d10).
# * Sur le petit banc d'essai bruité, la BN a modifié l'exactitude de validation finale de
#   0,01 ± 0,01<!-- claim d6 --> : aucun effet de régularisation digne de ce nom (affirmation d6).
# * BN avant ou après l'activation : avant, elle a atteint 90 % de 0 à 3<!-- claim d12 --> époques plus tôt avec relu
#   et de 1 à 2<!-- claim d14 --> avec sigmoid, dans les limites de la dispersion entre graines, et l'exactitude sur le
#   banc d'essai n'a pas bougé (−0,004 ± 0,008<!-- claim d15 -->) ; aucune différence fiable sur ces réseaux
#   (affirmations d11 à d15).

# %% [markdown] id="batch-normalization-15"
# ## Your turn
#
# Exercise: [`release/04_batch_normalization/04_batch_normalization.ipynb`](../release/04_batch_normalization/04_batch_normalization.ipynb).
# You will write the batch-normalization forward pass and the moving-average update with NumPy (and match
# Keras to 1e-5), then build a network with two BN layers.

# %% [markdown] lang="fr"
# ## À vous de jouer
#
# Exercice : [`release/04_batch_normalization/04_batch_normalization.ipynb`](../release/04_batch_normalization/04_batch_normalization.ipynb).
# Vous écrirez avec NumPy la passe avant de la normalisation par lots et la mise à jour des moyennes mobiles (en
# retrouvant les résultats de Keras à 1e-5 près), puis vous construirez un réseau à deux couches BN.
