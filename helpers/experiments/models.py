"""The course's networks: :class:`MLPSpec` (a hashable description of a multilayer perceptron), the named specs
and :func:`build_mlp`, which builds and compiles one."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import keras


def make_regularizer(l1: float = 0.0, l2: float = 0.0) -> Any:
    """``None`` when both factors are 0, else ``L1``, ``L2`` or ``L1L2`` (Elastic Net) with those factors."""
    import keras

    if l1 < 0 or l2 < 0:
        raise ValueError(f"regularization factors must be >= 0, got l1={l1}, l2={l2}")
    if l1 and l2:
        return keras.regularizers.L1L2(l1=l1, l2=l2)
    if l1:
        return keras.regularizers.L1(l1)
    if l2:
        return keras.regularizers.L2(l2)
    return None


@dataclass(frozen=True)
class MLPSpec:
    """A multilayer perceptron for the course, described by plain values (hashable, printable).

    Each hidden layer is ``Dense(units, activation)`` with the kernel/bias/activity penalties below, then
    ``BatchNormalization()`` when ``batchnorm``, then ``Dropout(dropout)`` when ``dropout > 0`` (the chapter's
    order). With ``batchnorm_before_activation`` the hidden layer is ``Dense(units)`` (linear), then
    ``BatchNormalization()``, then ``Activation(activation)`` (the original paper's order). The output layer
    is ``Dense(num_classes, softmax)`` without penalties.
    """

    hidden: tuple[int, ...] = (256, 256)
    activation: str = "relu"
    l1: float = 0.0
    l2: float = 0.0
    bias_l2: float = 0.0
    activity_l1: float = 0.0
    dropout: float = 0.0
    batchnorm: bool = False
    batchnorm_before_activation: bool = False
    optimizer: str = "adam"
    learning_rate: float | None = None

    def with_(self, **changes: Any) -> MLPSpec:
        """A copy with some fields changed."""
        return replace(self, **changes)

    def kernel_penalty(self) -> str:
        """The hidden kernels' penalty in Keras terms: ``none``, ``L1(a)``, ``L2(b)`` or ``L1L2(a, b)``."""
        if self.l1 and self.l2:
            return f"L1L2({self.l1:g}, {self.l2:g})"
        if self.l1:
            return f"L1({self.l1:g})"
        if self.l2:
            return f"L2({self.l2:g})"
        return "none"

    def describe(self) -> str:
        """A short human-readable summary, e.g. ``2x256 relu, L2(0.01), Dropout(0.5)``."""
        if not self.hidden:
            sizes = "no hidden layer"
        elif len(set(self.hidden)) == 1:
            sizes = f"{len(self.hidden)}x{self.hidden[0]}"
        else:
            sizes = "-".join(str(u) for u in self.hidden)
        parts = [f"{sizes} {self.activation}"]
        if self.l1 or self.l2:
            parts.append(self.kernel_penalty())
        if self.bias_l2:
            parts.append(f"bias L2({self.bias_l2:g})")
        if self.activity_l1:
            parts.append(f"activity L1({self.activity_l1:g})")
        if self.batchnorm:
            parts.append(
                f"BatchNorm before {self.activation}" if self.batchnorm_before_activation else "BatchNorm"
            )
        if self.dropout:
            parts.append(f"Dropout({self.dropout:g})")
        opt = self.optimizer if self.learning_rate is None else f"{self.optimizer}({self.learning_rate:g})"
        parts.append(opt)
        return ", ".join(parts)


# The large network that overfits the benchmark, and the chapter's model of section 5.
LARGE = MLPSpec(hidden=(256, 256))
# Two tanh units (tanh: no unit can die) with a larger learning rate, so slowness is no excuse: too simple.
TINY = MLPSpec(hidden=(2,), activation="tanh", learning_rate=0.01)
CHAPTER = MLPSpec(hidden=(64,), l1=0.01, l2=0.01, batchnorm=True, dropout=0.5)


def make_optimizer(name: str = "adam", learning_rate: float | None = None) -> Any:
    """A fresh Keras optimizer by name (``adam``, ``sgd``, ``rmsprop``), default learning rate unless given."""
    import keras

    classes = {
        "adam": keras.optimizers.Adam,
        "sgd": keras.optimizers.SGD,
        "rmsprop": keras.optimizers.RMSprop,
    }
    if name.lower() not in classes:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {sorted(classes)}")
    cls = classes[name.lower()]
    return cls() if learning_rate is None else cls(learning_rate=learning_rate)


def build_mlp(spec: MLPSpec, input_dim: int, num_classes: int, compile: bool = True) -> keras.Sequential:
    """Build (and by default compile with categorical cross-entropy and accuracy) the network ``spec``."""
    import keras
    from keras import layers

    if not 0.0 <= spec.dropout < 1.0:
        raise ValueError(f"dropout rate must be in [0, 1), got {spec.dropout}")
    if spec.batchnorm_before_activation and not spec.batchnorm:
        raise ValueError("batchnorm_before_activation=True needs batchnorm=True")
    before = spec.batchnorm_before_activation
    model = keras.Sequential(name="mlp")
    model.add(keras.Input(shape=(input_dim,)))
    for units in spec.hidden:
        model.add(
            layers.Dense(
                units,
                activation=None if before else spec.activation,
                kernel_regularizer=make_regularizer(spec.l1, spec.l2),
                bias_regularizer=make_regularizer(0.0, spec.bias_l2),
                activity_regularizer=make_regularizer(spec.activity_l1, 0.0),
            )
        )
        if spec.batchnorm:
            model.add(layers.BatchNormalization())
        if before:
            model.add(layers.Activation(spec.activation))
        if spec.dropout:
            model.add(layers.Dropout(rate=spec.dropout))
    model.add(layers.Dense(num_classes, activation="softmax"))
    if compile:
        model.compile(
            optimizer=make_optimizer(spec.optimizer, spec.learning_rate),
            loss="categorical_crossentropy",
            metrics=["accuracy"],
        )
    return model
