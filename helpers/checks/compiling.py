"""Compile settings: optimizer, loss and metrics under any spelling, and the compiled model against expectations."""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Sequence
from typing import Any

from helpers._common import quiet, quietly
from helpers.checks._text import _round, _snake, format_value
from helpers.checks.layers import layer_specs
from helpers.checks.models import expect_model
from helpers.i18n import _

_LOSS_ALIASES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "bce": "binary_crossentropy",
    "kld": "kl_divergence",
    "kullback_leibler_divergence": "kl_divergence",
    "cce": "categorical_crossentropy",
}

_ACCURACY_FOR_LOSS = {
    "categorical_crossentropy": "categorical_accuracy",
    "sparse_categorical_crossentropy": "sparse_categorical_accuracy",
    "binary_crossentropy": "binary_accuracy",
}


def _name_of(obj: Any) -> str:
    """A snake_case name for a loss/metric given as string, function, Keras object or config dict."""
    if isinstance(obj, str):
        return _snake(obj) if any(c.isupper() for c in obj[1:]) else obj.lower()
    if isinstance(obj, dict) and "class_name" in obj:
        if obj.get("class_name") == "function" and isinstance(obj.get("config"), str):
            return obj["config"].lower()
        return _snake(str(obj["class_name"]))
    fn = getattr(obj, "fn", None)
    if fn is not None and type(obj).__name__ == "LossFunctionWrapper":
        return _name_of(fn)
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return "lambda" if obj.__name__ == "<lambda>" else obj.__name__.lower()
    if inspect.isclass(obj):
        return _snake(obj.__name__)
    return _snake(type(obj).__name__)


def canonical_loss(loss: Any) -> Any:
    """Canonical loss name: every spelling of categorical cross-entropy gives ``"categorical_crossentropy"``."""
    if loss is None:
        return None
    if isinstance(loss, dict) and "class_name" not in loss:
        return {k: canonical_loss(v) for k, v in loss.items()}
    if isinstance(loss, (list, tuple)):
        return [canonical_loss(v) for v in loss]
    name = _name_of(loss)
    return _LOSS_ALIASES.get(name, name)


def canonical_metric(metric: Any, loss: Any = "categorical_crossentropy") -> str:
    """Canonical metric name; the accuracy that matches ``loss`` (and "acc") becomes ``"accuracy"``."""
    if isinstance(metric, str):
        name = metric.lower() if metric.lower() in ("accuracy", "acc") else _name_of(metric)
        if name in ("accuracy", "acc"):
            return "accuracy"
    else:
        name = _name_of(metric)
        if name == "accuracy":
            return "exact_accuracy"
    name = _LOSS_ALIASES.get(name, name)
    loss_name = canonical_loss(loss)
    if isinstance(loss_name, str) and _ACCURACY_FOR_LOSS.get(loss_name) == name:
        return "accuracy"
    return name


def _flatten(items: Any) -> list[Any]:
    """Flatten lists/tuples/dicts of metrics into one list."""
    if items is None:
        return []
    if isinstance(items, dict) and "class_name" not in items:
        return [m for v in items.values() for m in _flatten(v)]
    if isinstance(items, (list, tuple)):
        return [m for v in items for m in _flatten(v)]
    return [items]


def _raw_compile_config(model: Any) -> dict[str, Any]:
    """The arguments ``compile`` stored on the model (raw objects, not serialized), or {} if uncompiled."""
    if not getattr(model, "compiled", False):
        return {}
    stored = getattr(model, "_compile_config", None)
    config = getattr(stored, "config", None)
    if isinstance(config, dict):
        return dict(config)
    with quiet():
        return dict(model.get_compile_config() or {})


def _is_positional_metrics_mistake(loss_weights: Any) -> bool:
    """Whether ``loss_weights`` holds metric names, i.e. metrics were passed as compile's third argument."""
    if isinstance(loss_weights, str):
        return True
    if isinstance(loss_weights, (list, tuple)):
        return any(isinstance(w, str) or callable(w) for w in loss_weights)
    return False


def positional_message() -> str:
    """Why ``compile(opt, loss, ["accuracy"])`` fails, in the current language (no final period)."""
    return _(
        "the third positional argument of compile() is loss_weights in Keras 3: write metrics=['accuracy']"
    )


def _optimizer_name(model: Any, raw: dict[str, Any]) -> str | None:
    """Lower-case class name of the model's optimizer (``"adam"``), or None."""
    opt = getattr(model, "optimizer", None)
    if opt is None:
        opt = raw.get("optimizer")
    if opt is None:
        return None
    opt = getattr(opt, "inner_optimizer", opt)
    if isinstance(opt, str):
        return opt.lower()
    if isinstance(opt, dict) and "class_name" in opt:
        return str(opt["class_name"]).lower()
    if inspect.isclass(opt):
        return opt.__name__.lower()
    return type(opt).__name__.lower()


@quietly
def compile_spec(model: Any) -> dict[str, Any]:
    """Compile settings as plain values: optimizer, loss, metrics, loss_weights, learning_rate, from_logits."""
    if not getattr(model, "compiled", False):
        return {"compiled": False, "optimizer": None, "loss": None, "metrics": [], "loss_weights": None}
    raw = _raw_compile_config(model)
    loss = raw.get("loss")
    loss_name = canonical_loss(loss)
    metric_loss = loss_name if isinstance(loss_name, str) else "categorical_crossentropy"
    metrics = [canonical_metric(m, metric_loss) for m in _flatten(raw.get("metrics"))]
    weighted = [canonical_metric(m, metric_loss) for m in _flatten(raw.get("weighted_metrics"))]
    spec: dict[str, Any] = {
        "compiled": True,
        "optimizer": _optimizer_name(model, raw),
        "loss": loss_name,
        "metrics": metrics,
        "weighted_metrics": weighted,
        "loss_weights": raw.get("loss_weights"),
        "learning_rate": None,
        "from_logits": None,
    }
    opt = getattr(model, "optimizer", None)
    with contextlib.suppress(Exception):
        spec["learning_rate"] = _round(float(opt.learning_rate.numpy()))
    config = None
    with contextlib.suppress(Exception):
        config = loss.get_config() if hasattr(loss, "get_config") else None
    if isinstance(loss, dict) and isinstance(loss.get("config"), dict):
        config = loss["config"]
    if isinstance(config, dict) and "from_logits" in config:
        spec["from_logits"] = bool(config["from_logits"])
    elif isinstance(loss_name, str) and loss_name.endswith("crossentropy"):
        spec["from_logits"] = False
    return spec


@quietly
def assert_compiled(
    model: Any,
    optimizer: str | None = "adam",
    loss: Any = "categorical_crossentropy",
    metrics: Sequence[Any] | None = ("accuracy",),
    what: str | None = None,
) -> None:
    """Check that ``model`` is compiled with the given optimizer, loss and (at least the given) metrics.

    ``what`` names the learner's call in messages (by default "the function")."""
    __tracebackhide__ = True  # noqa: F841 (read by IPython and pytest: leave this frame out of tracebacks)
    if what is None:
        what = _("the function")
    model = expect_model(model, what)
    spec = compile_spec(model)
    if not spec["compiled"]:
        raise AssertionError(
            _("{what} must compile the model before returning it: call model.compile(...).").format(what=what)
        )
    if _is_positional_metrics_mistake(spec["loss_weights"]):
        raise AssertionError(_("{what}: {reason}.").format(what=what, reason=positional_message()))
    if optimizer is not None:
        want_opt = (
            optimizer if isinstance(optimizer, str) else _optimizer_name(None, {"optimizer": optimizer})
        )
        want_opt = want_opt.lower()
        if spec["optimizer"] != want_opt:
            raise AssertionError(
                _("{what} compiles the model with optimizer={found}; expected optimizer={expected}.").format(
                    what=what, found=format_value(spec["optimizer"]), expected=format_value(want_opt)
                )
            )
    want_loss = canonical_loss(loss)
    if loss is not None:
        if spec["loss"] is None:
            raise AssertionError(
                _("{what} compiles the model without a loss: pass loss={loss}.").format(
                    what=what, loss=format_value(loss)
                )
            )
        if spec["loss"] != want_loss:
            raise AssertionError(
                _("{what} compiles the model with loss={found}; expected loss={expected}.").format(
                    what=what, found=format_value(spec["loss"]), expected=format_value(want_loss)
                )
            )
        if spec.get("from_logits") and _last_activation(model) == "softmax":
            raise AssertionError(
                _(
                    "{what} uses from_logits=True on a softmax output: the outputs are already probabilities, "
                    "so leave from_logits at False."
                ).format(what=what)
            )
    found = set(spec["metrics"]) | set(spec["weighted_metrics"])
    metric_loss = want_loss if isinstance(want_loss, str) else "categorical_crossentropy"
    for metric in metrics or ():
        want = canonical_metric(metric, metric_loss)
        if want in found:
            continue
        if want == "accuracy" and "exact_accuracy" in found:
            raise AssertionError(
                _(
                    "{what} uses keras.metrics.Accuracy(), which counts exact matches and stays near 0 for "
                    "probability outputs: write metrics=['accuracy']."
                ).format(what=what)
            )
        raise AssertionError(
            _("{what} compiles the model without the {metric!r} metric: pass metrics=[{value}].").format(
                what=what, metric=want, value=format_value(metric)
            )
        )


def _last_activation(model: Any) -> str | None:
    """Canonical activation of the model's last layer (activation layers folded), or None."""
    specs = layer_specs(model, fold_activations=True)
    return specs[-1].get("activation") if specs else None
