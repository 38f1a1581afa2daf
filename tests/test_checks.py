"""Tests of ``helpers.checks``: every accepted spelling passes, every typical mistake gets its message."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest

from helpers import checks as C

ROOT = Path(__file__).resolve().parents[1]

keras = pytest.importorskip("keras")
layers = keras.layers
regularizers = keras.regularizers


# ----------------------------------------------------------------------------------------------------------
# Model builders: the chapter's model in every accepted form, and typical mistakes
# ----------------------------------------------------------------------------------------------------------

CHAPTER = [
    {"type": "Dense", "units": 64, "activation": "relu", "kernel_regularizer": {"l1": 0.01, "l2": 0.01}},
    {"type": "BatchNormalization"},
    {"type": "Dropout", "rate": 0.5},
    {"type": "Dense", "units": 3, "activation": "softmax", "kernel_regularizer": None},
]


def chapter_with_input(**overrides):
    """The chapter's model as Sequential with keras.Input; overrides replace its layers by index."""
    parts = [
        layers.Dense(64, activation="relu", kernel_regularizer=regularizers.l1_l2(l1=0.01, l2=0.01)),
        layers.BatchNormalization(),
        layers.Dropout(rate=0.5),
        layers.Dense(3, activation="softmax"),
    ]
    for index, layer in overrides.items():
        parts[int(index[1:])] = layer
    return keras.Sequential([keras.Input(shape=(20,)), *parts])


def chapter_input_shape():
    """The chapter's model with input_shape= (Keras warns), L1L2 class and positional rate."""
    with C.quiet():
        return keras.Sequential(
            [
                layers.Dense(
                    64, activation="relu", input_shape=(20,), kernel_regularizer=regularizers.L1L2(0.01, 0.01)
                ),
                layers.BatchNormalization(),
                layers.Dropout(0.5),
                layers.Dense(3, activation="softmax"),
            ]
        )


def chapter_functional():
    """The chapter's model with the functional API and callable activations."""
    inputs = keras.Input(shape=(20,))
    x = layers.Dense(
        64, activation=keras.activations.relu, kernel_regularizer=regularizers.L1L2(l1=0.01, l2=0.01)
    )(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.Dropout(0.5)(x)
    outputs = layers.Dense(3, activation=keras.activations.softmax)(x)
    return keras.Model(inputs, outputs)


def chapter_separate_activations():
    """The chapter's model with activations as separate layers right after each Dense."""
    import tensorflow as tf

    return keras.Sequential(
        [
            keras.Input(shape=(20,)),
            layers.Dense(64, kernel_regularizer=regularizers.l1_l2(l1=0.01, l2=0.01)),
            layers.Activation(tf.nn.relu),
            layers.BatchNormalization(),
            layers.Dropout(0.5),
            layers.Dense(3),
            layers.Softmax(),
        ]
    )


def small_model():
    """A tiny compiled-ready model."""
    return keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3, activation="softmax")])


def message(excinfo) -> str:
    """The text of a caught AssertionError."""
    return str(excinfo.value)


# ----------------------------------------------------------------------------------------------------------
# quiet()
# ----------------------------------------------------------------------------------------------------------


def test_quiet_keeps_every_kind_of_stderr_output_out(capfd):
    with C.quiet():
        print("python-level", file=sys.stderr)
        warnings.warn("a warning", UserWarning, stacklevel=1)
        logging.getLogger("tensorflow").error("a log record")
        logging.getLogger("absl").warning("an absl record")
        os.write(2, b"fd-level\n")
        print("to stdout")
    captured = capfd.readouterr()
    assert captured.err == ""
    assert "to stdout" in captured.out


def test_quiet_restores_stderr_after_exit(capfd):
    with C.quiet():
        os.write(2, b"hidden\n")
    os.write(2, b"visible-fd\n")
    print("visible-py", file=sys.stderr)
    err = capfd.readouterr().err
    assert "hidden" not in err
    assert "visible-fd" in err and "visible-py" in err


def test_quiet_is_nestable_and_restores_on_exception(capfd):
    before_stderr = sys.stderr
    before_fd = os.fstat(2).st_ino
    before_filters = list(warnings.filters)
    before_disable = logging.root.manager.disable
    with pytest.raises(RuntimeError, match="boom"):
        with C.quiet():
            with C.quiet():
                os.write(2, b"inner\n")
            os.write(2, b"outer\n")
            raise RuntimeError("boom")
    assert sys.stderr is before_stderr
    assert os.fstat(2).st_ino == before_fd
    assert warnings.filters == before_filters
    assert logging.root.manager.disable == before_disable
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"


def test_checks_run_silently_in_a_fresh_interpreter():
    """A graded test on an input_shape= model writes nothing to stderr; the same model outside does."""
    script = textwrap.dedent(
        """
        import sys
        from helpers import checks as C
        with C.quiet():
            import keras

        def build_model(input_dim, num_classes):
            model = keras.Sequential([
                keras.layers.Dense(64, activation="relu", input_shape=(input_dim,),
                                   kernel_regularizer=keras.regularizers.l1_l2(l1=0.01, l2=0.01)),
                keras.layers.BatchNormalization(),
                keras.layers.Dropout(0.5),
                keras.layers.Dense(num_classes, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
            return model

        model = C.call_learner(build_model, 20, 3)
        C.expect_model(model, "build_model(20, 3)")
        C.assert_input_dim(model, 20, "build_model(20, 3)")
        C.assert_layer_sequence(model, [
            {"type": "Dense", "units": 64, "activation": "relu", "kernel_regularizer": {"l1": 0.01, "l2": 0.01}},
            {"type": "BatchNormalization"}, {"type": "Dropout", "rate": 0.5},
            {"type": "Dense", "units": 3, "activation": "softmax", "kernel_regularizer": None},
        ], "build_model(20, 3)")
        C.assert_compiled(model, what="build_model")
        print("checked")
        sys.stderr.write("---\\n")
        sys.stderr.flush()
        build_model(20, 3)
        """
    )
    env = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS")}
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "checked" in proc.stdout
    during, _, after = proc.stderr.partition("---\n")
    assert during == ""
    assert "input_shape" in after  # the same model, built outside the checks, does warn


@pytest.mark.slow
def test_quiet_stops_fd_output_in_a_jupyter_kernel(monkeypatch):
    """ipykernel forwards fd-2 output to the notebook as stderr; inside quiet() nothing is forwarded."""
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)  # ipykernel skips fd capture under pytest
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    setup = f"import os, sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom helpers import checks as C"
    # The kernel forwards fd output from a reader thread: give it time before the cell ends.
    wait = "\nimport time\ntime.sleep(1.0)\nsys.stderr.flush()"
    control = "os.write(2, b'control-fd\\n')" + wait
    silent = (
        "with C.quiet():\n    os.write(2, b'hidden-fd\\n')\n    print('hidden-py', file=sys.stderr)\n"
        "import warnings\nwith C.quiet():\n    warnings.warn('hidden-warning', UserWarning, stacklevel=1)"
        + wait
    )
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code) for code in (setup, control, silent)]
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    streams = [[o for o in cell.outputs if o.output_type == "stream"] for cell in nb.cells]
    assert any(o.name == "stderr" and "control-fd" in o.text for o in streams[1])
    assert streams[2] == []


def test_import_is_cheap():
    code = (
        "import sys; import helpers.checks; "
        "print(sorted(m for m in ('keras', 'tensorflow', 'matplotlib') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


# ----------------------------------------------------------------------------------------------------------
# expect_model
# ----------------------------------------------------------------------------------------------------------


def test_expect_model_returns_models_of_every_form():
    for model in (chapter_with_input(), chapter_input_shape(), chapter_functional()):
        assert C.expect_model(model, "build_model(20, 3)") is model


@pytest.mark.parametrize(
    ("obj", "words"),
    [
        (None, ["returned None", "return model"]),
        (layers.Dense(3), ["Dense layer", "not a model", "keras.Sequential"]),
        (keras.Sequential, ["class Sequential", "instance"]),
        (layers.Dense, ["layer class Dense"]),
        ([layers.Dense(3), layers.Dense(2)], ["list of layers", "keras.Sequential"]),
        (42, ["returned a int", "not a Keras model"]),
        ("model", ["returned a str"]),
    ],
)
def test_expect_model_rejects_non_models(obj, words):
    with pytest.raises(AssertionError) as excinfo:
        C.expect_model(obj, "build_model(20, 3)")
    text = message(excinfo)
    assert text.startswith("build_model(20, 3) returned")
    for word in words:
        assert word in text


def test_expect_model_rejects_a_tuple_with_a_model_and_a_history():
    with pytest.raises(AssertionError, match="tuple containing a model: return only the model"):
        C.expect_model((small_model(), {"loss": [1.0]}), "train()")
    with pytest.raises(AssertionError, match="History"):
        C.expect_model(keras.callbacks.History(), "train()")


# ----------------------------------------------------------------------------------------------------------
# describe_regularizer
# ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reg",
    [
        regularizers.L2(0.01),
        regularizers.l2(0.01),
        regularizers.L1L2(l2=0.01),
        regularizers.l1_l2(l2=0.01),
        "l2",
        "L2",
        regularizers.L2,
        {"class_name": "L2", "config": {"l2": 0.01}},
        regularizers.serialize(regularizers.L2(0.01)),
        {"l2": 0.01},
    ],
)
def test_every_l2_spelling_has_the_same_description(reg):
    desc = C.describe_regularizer(reg)
    assert desc["kind"] == "l2"
    assert desc["l1"] == 0.0 and desc["l2"] == 0.01
    assert desc["text"] == "L2(0.01)"


def test_describe_regularizer_kinds_and_float32_rounding():
    assert C.describe_regularizer(None) is None
    l1 = C.describe_regularizer(regularizers.L1(0.01))
    assert regularizers.L1(0.01).get_config()["l1"] != 0.01  # stored as float32
    assert l1 == {"kind": "l1", "l1": 0.01, "l2": 0.0, "text": "L1(0.01)", "class": "L1"}
    both = C.describe_regularizer(regularizers.l1_l2(l1=0.01, l2=0.01))
    assert both["kind"] == "l1_l2" and both["text"] == "L1L2(l1=0.01, l2=0.01)"
    assert C.describe_regularizer(regularizers.L1(1e-3))["text"] == "L1(0.001)"
    assert C.describe_regularizer("l1")["l1"] == 0.01  # Keras default factor
    zero = C.describe_regularizer(regularizers.l1_l2())
    assert zero["kind"] == "zero" and zero["l1"] == 0.0 and zero["l2"] == 0.0
    assert C.describe_regularizer("L1L2")["kind"] == "zero"


def test_describe_regularizer_custom_and_unknown():
    def my_penalty(weights):
        return 0.0

    class MyRegularizer(regularizers.Regularizer):
        def __call__(self, x):
            return 0.0

    assert C.describe_regularizer(my_penalty)["kind"] == "custom"
    assert "my_penalty" in C.describe_regularizer(my_penalty)["text"]
    assert C.describe_regularizer(MyRegularizer())["kind"] == "custom"
    assert C.describe_regularizer("l3")["kind"] == "custom"
    ortho = C.describe_regularizer(regularizers.OrthogonalRegularizer(0.1))
    assert ortho["kind"] == "orthogonal" and ortho["factor"] == 0.1
    C.assert_regularizer(regularizers.OrthogonalRegularizer(0.1), ortho, "kernel_regularizer")
    with pytest.raises(
        AssertionError, match="is L2\\(0.01\\); expected OrthogonalRegularizer\\(factor=0.1\\)"
    ):
        C.assert_regularizer(regularizers.L2(0.01), ortho, "kernel_regularizer")
    assert C.describe_regularizer({"l1": None, "l2": 0.02})["text"] == "L2(0.02)"


def test_describe_regularizer_accepts_a_description():
    desc = C.describe_regularizer(regularizers.L2(0.05))
    assert C.describe_regularizer(desc) == desc


# ----------------------------------------------------------------------------------------------------------
# assert_regularizer
# ----------------------------------------------------------------------------------------------------------


def test_assert_regularizer_accepts_equivalent_forms():
    C.assert_regularizer(regularizers.L1L2(l2=0.01), {"l2": 0.01}, "kernel_regularizer of layer 1")
    C.assert_regularizer(regularizers.L2(0.01), {"l1": 0.0, "l2": 0.01}, "kernel_regularizer of layer 1")
    C.assert_regularizer(regularizers.L1(0.001), {"l1": 1e-3}, "activity_regularizer of layer 1")
    C.assert_regularizer(regularizers.l1_l2(0.01, 0.01), {"l1": 0.01, "l2": 0.01}, "kernel_regularizer")
    C.assert_regularizer(C.describe_regularizer("l2"), regularizers.L2(0.01), "kernel_regularizer")
    C.assert_regularizer(None, None, "bias_regularizer of layer 2")
    C.assert_regularizer(regularizers.l1_l2(), None, "bias_regularizer of layer 2")


@pytest.mark.parametrize(
    ("found", "expected", "words"),
    [
        (
            regularizers.L2(0.01),
            {"l1": 0.01, "l2": 0.01},
            ["is L2(0.01)", "expected L1L2 with l1=0.01 and l2=0.01"],
        ),
        (regularizers.L2(0.1), {"l2": 0.01}, ["is L2(0.1)", "expected L2(0.01)"]),
        (regularizers.L1(0.01), {"l2": 0.01}, ["is L1(0.01)", "expected L2(0.01)"]),
        (None, {"l2": 0.01}, ["is not set", "expected L2(0.01)"]),
        (regularizers.L2(0.01), None, ["is L2(0.01)", "expected no regularizer"]),
        (
            regularizers.l1_l2(),
            {"l1": 0.01, "l2": 0.01},
            ["zero penalty", "l1_l2() without arguments", "l1=..."],
        ),
        (lambda w: 0.0, {"l2": 0.01}, ["custom regularizer", "expected L2(0.01)"]),
    ],
)
def test_assert_regularizer_messages(found, expected, words):
    with pytest.raises(AssertionError) as excinfo:
        C.assert_regularizer(found, expected, "kernel_regularizer of layer 1")
    text = message(excinfo)
    assert text.startswith("kernel_regularizer of layer 1 ")
    for word in words:
        assert word in text


def test_assert_regularizer_tolerance():
    C.assert_regularizer(regularizers.L2(0.0100001), {"l2": 0.01}, "k", rel_tol=1e-4)
    with pytest.raises(AssertionError):
        C.assert_regularizer(regularizers.L2(0.0101), {"l2": 0.01}, "k", rel_tol=1e-4)


# ----------------------------------------------------------------------------------------------------------
# layer_specs
# ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("build", [chapter_with_input, chapter_input_shape, chapter_functional])
def test_layer_specs_same_for_every_form(build):
    specs = C.layer_specs(build())
    assert [s["type"] for s in specs] == ["Dense", "BatchNormalization", "Dropout", "Dense"]
    dense, bn, drop, out = specs
    assert dense["units"] == 64 and dense["activation"] == "relu" and dense["use_bias"] is True
    assert dense["kernel_regularizer"]["kind"] == "l1_l2"
    assert dense["bias_regularizer"] is None and dense["activity_regularizer"] is None
    assert bn["epsilon"] == 0.001 and bn["momentum"] == 0.99 and bn["axis"] == -1
    assert bn["center"] is True and bn["scale"] is True
    assert drop["rate"] == 0.5 and "units" not in drop
    assert out["units"] == 3 and out["activation"] == "softmax" and out["kernel_regularizer"] is None


def test_layer_specs_unbuilt_sequential_and_activation_spellings():
    import tensorflow as tf

    model = keras.Sequential(
        [
            layers.Dense(8, activation=tf.nn.relu),
            layers.Dense(8, activation=keras.activations.tanh),
            layers.Dense(8),
            layers.Activation("relu"),
            layers.Dense(2, activation=tf.nn.softmax),
            layers.ReLU(),
        ]
    )
    assert not model.built
    specs = C.layer_specs(model)
    assert [s["activation"] for s in specs] == ["relu", "tanh", "linear", "relu", "softmax", "relu"]
    folded = C.layer_specs(model, fold_activations=True)
    assert [(s["type"], s["activation"]) for s in folded] == [
        ("Dense", "relu"),
        ("Dense", "tanh"),
        ("Dense", "relu"),
        ("Dense", "softmax"),
        ("ReLU", "relu"),
    ]


def test_layer_specs_expands_nested_models():
    inner = keras.Sequential([layers.Dense(4, activation="relu"), layers.Dropout(0.2)])
    model = keras.Sequential([keras.Input(shape=(5,)), inner, layers.Dense(2, activation="softmax")])
    assert [s["type"] for s in C.layer_specs(model)] == ["Dense", "Dropout", "Dense"]


def test_canonical_activation():
    import tensorflow as tf

    assert C.canonical_activation("ReLU") == "relu"
    assert C.canonical_activation(None) == "linear"
    assert C.canonical_activation(tf.nn.softmax) == "softmax"
    assert C.canonical_activation("swish") == C.canonical_activation(keras.activations.swish) == "silu"
    assert C.canonical_activation(layers.LeakyReLU()) == "leaky_relu"


# ----------------------------------------------------------------------------------------------------------
# Single layers: layer_spec
# ----------------------------------------------------------------------------------------------------------

PENALIZED = {
    "kernel_regularizer": "L2(0.01)",
    "bias_regularizer": "L2(0.01)",
    "activity_regularizer": "L1(0.001)",
}


def test_layer_spec_reads_equivalent_spellings():
    import tensorflow as tf

    first = layers.Dense(
        16,
        activation="relu",
        kernel_regularizer="l2",
        bias_regularizer=regularizers.L2(0.01),
        activity_regularizer=regularizers.L1(0.001),
    )
    second = layers.Dense(
        units=16,
        activation=tf.nn.relu,
        kernel_regularizer=regularizers.L1L2(l2=0.01),
        bias_regularizer=regularizers.l2(0.01),
        activity_regularizer=regularizers.l1_l2(l1=0.001),
    )
    for layer in (first, second):
        spec = C.layer_spec(layer)
        assert spec["type"] == "Dense" and spec["units"] == 16 and spec["activation"] == "relu"
        assert {key: spec[key]["text"] for key in PENALIZED} == PENALIZED


# ----------------------------------------------------------------------------------------------------------
# input_dim_of / assert_input_dim
# ----------------------------------------------------------------------------------------------------------


def test_input_dim_of_every_form():
    assert C.input_dim_of(chapter_with_input()) == 20
    assert C.input_dim_of(chapter_input_shape()) == 20
    assert C.input_dim_of(chapter_functional()) == 20
    unbuilt = keras.Sequential([layers.Dense(3)])
    assert C.input_dim_of(unbuilt) is None
    unbuilt.build((None, 7))
    assert C.input_dim_of(unbuilt) == 7


def test_assert_input_dim_messages():
    C.assert_input_dim(chapter_with_input(), 20, "build_model(20, 3)")
    with pytest.raises(AssertionError, match=r"inputs of 20 features; expected 30 \(use the input_dim"):
        C.assert_input_dim(chapter_with_input(), 30, "build_model(30, 3)")
    with pytest.raises(AssertionError, match=r"no input shape: start it with `keras.Input\(shape=\(20,\)\)`"):
        C.assert_input_dim(keras.Sequential([layers.Dense(3)]), 20, "build_model(20, 3)")
    with pytest.raises(AssertionError, match="returned None"):
        C.assert_input_dim(None, 20, "build_model(20, 3)")


# ----------------------------------------------------------------------------------------------------------
# assert_layer_sequence
# ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build", [chapter_with_input, chapter_input_shape, chapter_functional, chapter_separate_activations]
)
def test_layer_sequence_accepts_every_correct_form(build):
    C.assert_layer_sequence(build(), CHAPTER, "build_model(20, 3)")


def test_layer_sequence_accepts_l2_spellings():
    expected = [{"type": "Dense", "units": 8, "kernel_regularizer": {"l2": 0.01}}]
    for reg in (regularizers.l2(0.01), regularizers.L2(0.01), regularizers.L1L2(l2=0.01), "l2"):
        model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, kernel_regularizer=reg)])
        C.assert_layer_sequence(model, expected, "build_regularized_model(4, 3)")


def test_layer_sequence_unbuilt_model_is_checked():
    model = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(3, activation="softmax")])
    C.assert_layer_sequence(model, [{"type": "Dense", "units": 64}, {"units": 3}], "f()")
    with pytest.raises(AssertionError, match="units=3; expected units=5"):
        C.assert_layer_sequence(model, [{"type": "Dense"}, {"units": 5}], "f()")


def check_sequence_error(model, expected=CHAPTER):
    """Run assert_layer_sequence expecting a failure and return its message."""
    with pytest.raises(AssertionError) as excinfo:
        C.assert_layer_sequence(model, expected, "build_model(20, 3)")
    text = message(excinfo)
    assert text.startswith("build_model(20, 3): ")
    assert "\n" not in text
    return text


def test_layer_sequence_wrong_type():
    model = chapter_with_input(i2=layers.BatchNormalization())
    text = check_sequence_error(model)
    assert "layer 3 should be Dropout(rate=0.5), found BatchNormalization" in text


def test_layer_sequence_rate_kept_instead_of_dropped():
    expected = [{"type": "Dense"}, {"type": "Dropout", "rate": 0.2}]
    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8), layers.Dropout(0.8)])
    text = check_sequence_error(model, expected)
    assert "layer 2 (Dropout) has rate=0.8; expected rate=0.2 (rate is the fraction of units DROPPED" in text
    plain = check_sequence_error(chapter_with_input(i2=layers.Dropout(0.3)))
    assert "layer 3 (Dropout) has rate=0.3; expected rate=0.5." in plain


def test_layer_sequence_missing_last_layer():
    model = keras.Sequential(
        [keras.Input(shape=(20,)), layers.Dense(64, activation="relu"), layers.BatchNormalization()]
    )
    model2 = keras.Sequential(
        [
            keras.Input(shape=(20,)),
            layers.Dense(64, activation="relu", kernel_regularizer=regularizers.l1_l2(0.01, 0.01)),
            layers.BatchNormalization(),
            layers.Dropout(0.5),
        ]
    )
    text = check_sequence_error(model2)
    assert (
        "the model has 3 layers after the input, expected 4: layer 4 (Dense(3, activation='softmax'))" in text
    )
    assert "is missing" in text
    assert "kernel_regularizer of layer 1 (Dense) is not set" in check_sequence_error(model)


def test_layer_sequence_counts_in_words():
    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, activation="relu")])
    expected = [{"type": "Dense", "units": 8}, {"type": "Dense", "units": 2, "activation": "softmax"}]
    text = check_sequence_error(model, expected)
    assert (
        "the model has 1 layer after the input, expected 2: layer 2 (Dense(2, activation='softmax'))" in text
    )


def test_layer_sequence_regularizer_none_on_layers_without_kernel():
    expected = [
        {"type": "Dense", "kernel_regularizer": None},
        {"type": "Dropout", "kernel_regularizer": None},
    ]
    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8), layers.Dropout(0.5)])
    C.assert_layer_sequence(model, expected, "f()")
    with pytest.raises(
        AssertionError, match=r"layer 2 \(Dropout\) takes no kernel_regularizer; expected L2\(0.01\)"
    ):
        C.assert_layer_sequence(model, [{"type": "Dense"}, {"kernel_regularizer": {"l2": 0.01}}], "f()")


def test_layer_sequence_extra_layer_after_output():
    model = keras.Sequential(
        [
            keras.Input(shape=(20,)),
            layers.Dense(64, activation="relu", kernel_regularizer=regularizers.l1_l2(l1=0.01, l2=0.01)),
            layers.BatchNormalization(),
            layers.Dropout(0.5),
            layers.Dense(3, activation="softmax"),
            layers.Dropout(0.5),
        ]
    )
    text = check_sequence_error(model)
    assert "layer 5 (Dropout) comes after the output layer" in text
    assert "must be the last layer" in text


def test_layer_sequence_extra_layer_generic():
    expected = [{"type": "Dense", "units": 8}, {"type": "Dense", "units": 2}]
    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8), layers.Dense(2), layers.Dense(2)])
    text = check_sequence_error(model, expected)
    assert "has 3 layers after the input, expected 2: remove layer 3 (Dense)" in text


def test_layer_sequence_swapped_missing_and_extra_layers():
    swapped = keras.Sequential(
        [
            keras.Input(shape=(20,)),
            layers.Dense(64, activation="relu", kernel_regularizer=regularizers.l1_l2(l1=0.01, l2=0.01)),
            layers.Dropout(0.5),
            layers.BatchNormalization(),
            layers.Dense(3, activation="softmax"),
        ]
    )
    assert "layers 2 and 3 are in the wrong order" in check_sequence_error(swapped)
    missing = keras.Sequential(
        [
            keras.Input(shape=(20,)),
            layers.Dense(64, activation="relu", kernel_regularizer=regularizers.l1_l2(l1=0.01, l2=0.01)),
            layers.Dropout(0.5),
            layers.Dense(3, activation="softmax"),
        ]
    )
    text = check_sequence_error(missing)
    assert (
        "layer 2 should be BatchNormalization(), found Dropout (a BatchNormalization layer is missing" in text
    )
    extra = keras.Sequential(
        [
            keras.Input(shape=(20,)),
            layers.Dense(64, activation="relu", kernel_regularizer=regularizers.l1_l2(l1=0.01, l2=0.01)),
            layers.Dropout(0.2),
            layers.BatchNormalization(),
            layers.Dropout(0.5),
            layers.Dense(3, activation="softmax"),
        ]
    )
    assert "layer 2 is one layer too many: remove it" in check_sequence_error(extra)


def test_layer_sequence_wrong_arguments():
    text = check_sequence_error(chapter_with_input(i0=layers.Dense(32, activation="relu")))
    assert "layer 1 (Dense) has units=32; expected units=64." in text
    text = check_sequence_error(
        chapter_with_input(i0=layers.Dense(64, kernel_regularizer=regularizers.l1_l2(0.01, 0.01)))
    )
    assert (
        "layer 1 (Dense) has activation='linear'; expected activation='relu' (pass activation='relu')" in text
    )
    text = check_sequence_error(chapter_with_input(i3=layers.Dense(3, activation="sigmoid")))
    assert "layer 4 (Dense) has activation='sigmoid'; expected activation='softmax' (the output layer" in text
    text = check_sequence_error(chapter_with_input(i3=layers.Dense(10, activation="softmax")))
    assert "units=10; expected units=3 (the output layer needs one unit per class)" in text


def test_layer_sequence_regularizer_mistakes():
    zero = chapter_with_input(i0=layers.Dense(64, activation="relu", kernel_regularizer=regularizers.l1_l2()))
    text = check_sequence_error(zero)
    assert (
        "kernel_regularizer of layer 1 (Dense) is a zero penalty: l1_l2() without arguments adds nothing"
        in text
    )
    l2_only = chapter_with_input(
        i0=layers.Dense(64, activation="relu", kernel_regularizer=regularizers.l2(0.01))
    )
    text = check_sequence_error(l2_only)
    assert "kernel_regularizer of layer 1 (Dense) is L2(0.01); expected L1L2 with l1=0.01 and l2=0.01" in text
    on_output = chapter_with_input(i3=layers.Dense(3, activation="softmax", kernel_regularizer="l2"))
    text = check_sequence_error(on_output)
    assert "kernel_regularizer of layer 4 (Dense) is L2(0.01); expected no regularizer" in text


def test_layer_sequence_missing_regularizer_key_is_not_checked():
    model = chapter_with_input(i3=layers.Dense(3, activation="softmax", bias_regularizer="l1"))
    C.assert_layer_sequence(model, CHAPTER, "build_model(20, 3)")


def test_layer_sequence_batchnorm_arguments_and_type_alternatives():
    model = keras.Sequential([keras.Input(shape=(4,)), layers.BatchNormalization(momentum=0.9)])
    C.assert_layer_sequence(model, [{"type": ("BatchNormalization", "LayerNormalization")}], "f()")
    with pytest.raises(AssertionError, match="has momentum=0.9; expected momentum=0.99"):
        C.assert_layer_sequence(model, [{"type": "BatchNormalization", "momentum": 0.99}], "f()")
    with pytest.raises(AssertionError, match="has no argument 'units'"):
        C.assert_layer_sequence(model, [{"units": 3}], "f()")


def test_layer_sequence_rejects_non_models():
    with pytest.raises(AssertionError, match="returned None"):
        C.assert_layer_sequence(None, CHAPTER, "build_model(20, 3)")
    with pytest.raises(AssertionError, match="Dense layer, not a model"):
        C.assert_layer_sequence(layers.Dense(3), CHAPTER, "build_model(20, 3)")


# ----------------------------------------------------------------------------------------------------------
# compile_spec / assert_compiled
# ----------------------------------------------------------------------------------------------------------


def compiled(*args, **kwargs):
    """A small model compiled with the given arguments."""
    model = small_model()
    model.compile(*args, **kwargs)
    return model


@pytest.mark.parametrize(
    "loss",
    [
        "categorical_crossentropy",
        "CategoricalCrossentropy",
        keras.losses.CategoricalCrossentropy(),
        keras.losses.categorical_crossentropy,
        keras.losses.CategoricalCrossentropy,
    ],
)
def test_every_categorical_loss_spelling_is_canonical(loss):
    spec = C.compile_spec(compiled(optimizer="adam", loss=loss, metrics=["accuracy"]))
    assert spec["loss"] == "categorical_crossentropy"
    C.assert_compiled(compiled(optimizer="adam", loss=loss, metrics=["accuracy"]), what="build_model")


@pytest.mark.parametrize(
    "metric",
    [
        "accuracy",
        "acc",
        "categorical_accuracy",
        keras.metrics.CategoricalAccuracy(),
        keras.metrics.categorical_accuracy,
    ],
)
def test_every_accuracy_spelling_is_canonical(metric):
    model = compiled(optimizer=keras.optimizers.Adam(), loss="categorical_crossentropy", metrics=[metric])
    assert C.compile_spec(model)["metrics"] == ["accuracy"]
    C.assert_compiled(model, what="build_model")


def test_compile_spec_values():
    spec = C.compile_spec(compiled(optimizer="Adam", loss="categorical_crossentropy", metrics=["accuracy"]))
    assert spec["compiled"] is True and spec["optimizer"] == "adam"
    assert spec["learning_rate"] == 0.001 and spec["loss_weights"] is None and spec["from_logits"] is False
    spec = C.compile_spec(compiled(optimizer=keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"]))
    assert spec["optimizer"] == "sgd" and spec["learning_rate"] == 0.05
    assert spec["loss"] == "mean_squared_error" and spec["metrics"] == ["mean_absolute_error"]
    assert C.compile_spec(compiled(loss=keras.losses.MeanSquaredError()))["loss"] == "mean_squared_error"
    spec = C.compile_spec(
        compiled(
            optimizer="rmsprop",
            loss="sparse_categorical_crossentropy",
            metrics=["sparse_categorical_accuracy", "categorical_accuracy"],
        )
    )
    assert spec["optimizer"] == "rmsprop" and spec["loss"] == "sparse_categorical_crossentropy"
    assert spec["metrics"] == ["accuracy", "categorical_accuracy"]
    assert C.compile_spec(compiled(loss="binary_crossentropy", metrics=["binary_accuracy"]))["metrics"] == [
        "accuracy"
    ]
    assert C.compile_spec(compiled(loss="categorical_crossentropy", metrics=[keras.metrics.Accuracy()]))[
        "metrics"
    ] == ["exact_accuracy"]
    assert C.compile_spec(compiled(loss=lambda y, p: 0.0))["loss"] == "lambda"
    spec = C.compile_spec(
        compiled(optimizer="adam", loss="categorical_crossentropy", weighted_metrics=["acc"])
    )
    assert spec["weighted_metrics"] == ["accuracy"]


def test_compile_spec_uncompiled():
    spec = C.compile_spec(small_model())
    assert spec["compiled"] is False and spec["optimizer"] is None and spec["metrics"] == []


def test_assert_compiled_uncompiled_model():
    with pytest.raises(AssertionError) as excinfo:
        C.assert_compiled(small_model(), what="build_model")
    assert message(excinfo) == (
        "build_model must compile the model before returning it: call model.compile(...)."
    )


def test_assert_compiled_positional_metrics_mistake():
    model = compiled("adam", "categorical_crossentropy", ["accuracy"])
    assert C.compile_spec(model)["loss_weights"] == ["accuracy"]
    with pytest.raises(
        AssertionError,
        match=r"third positional argument of compile\(\) is loss_weights in Keras 3: "
        r"write metrics=\['accuracy'\]",
    ):
        C.assert_compiled(model, what="build_model")


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        (
            {"optimizer": "sgd", "loss": "categorical_crossentropy", "metrics": ["accuracy"]},
            ["optimizer='sgd'", "expected optimizer='adam'"],
        ),
        (
            {"optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
            ["loss='sparse_categorical_crossentropy'", "expected loss='categorical_crossentropy'"],
        ),
        ({"optimizer": "adam", "loss": "mse", "metrics": ["accuracy"]}, ["loss='mean_squared_error'"]),
        (
            {"optimizer": "adam", "loss": "categorical_crossentropy"},
            ["without the 'accuracy' metric", "metrics=['accuracy']"],
        ),
        (
            {"optimizer": "adam", "loss": "categorical_crossentropy", "metrics": ["mae"]},
            ["'accuracy' metric"],
        ),
        (
            {"optimizer": "adam", "loss": "categorical_crossentropy", "metrics": [keras.metrics.Accuracy()]},
            ["keras.metrics.Accuracy()", "exact matches", "metrics=['accuracy']"],
        ),
        (
            {
                "optimizer": "adam",
                "loss": keras.losses.CategoricalCrossentropy(from_logits=True),
                "metrics": ["accuracy"],
            },
            ["from_logits=True on a softmax output"],
        ),
        ({"optimizer": "adam", "metrics": ["accuracy"]}, ["without a loss"]),
        ({"optimizer": "adam", "loss": lambda y, p: 0.0, "metrics": ["accuracy"]}, ["loss='lambda'"]),
    ],
)
def test_assert_compiled_mistakes(kwargs, words):
    with pytest.raises(AssertionError) as excinfo:
        C.assert_compiled(compiled(**kwargs), what="build_model")
    text = message(excinfo)
    assert text.startswith("build_model ")
    for word in words:
        assert word in text


def test_assert_compiled_other_settings_and_bad_inputs():
    model = compiled(
        optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["sparse_categorical_accuracy"]
    )
    C.assert_compiled(model, optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    C.assert_compiled(model, optimizer=keras.optimizers.SGD, loss=None, metrics=None)
    with pytest.raises(AssertionError, match="returned None"):
        C.assert_compiled(None, what="build_model")


# ----------------------------------------------------------------------------------------------------------
# call_learner
# ----------------------------------------------------------------------------------------------------------


def test_call_learner_returns_the_result_silently(capfd):
    def build_model(input_dim, num_classes):
        warnings.warn("noisy", UserWarning, stacklevel=1)
        os.write(2, b"c-level noise\n")
        return keras.Sequential(
            [layers.Dense(8, input_shape=(input_dim,)), layers.Dense(num_classes, activation="softmax")]
        )

    model = C.call_learner(build_model, 20, num_classes=3)
    assert C.input_dim_of(model) == 20
    assert capfd.readouterr().err == ""


def test_call_learner_not_implemented():
    def build_model(input_dim, num_classes):
        raise NotImplementedError()

    with pytest.raises(AssertionError) as excinfo:
        C.call_learner(build_model, 20, 3)
    assert message(excinfo) == (
        "build_model is not written yet: replace `raise NotImplementedError()` with your code."
    )
    assert isinstance(excinfo.value.__cause__, NotImplementedError)


def test_call_learner_other_exception_names_the_call():
    def generalization_gap(history, metric="accuracy"):
        return history["nope"]

    with pytest.raises(AssertionError) as excinfo:
        C.call_learner(generalization_gap, {"accuracy": [0.5]}, metric="accuracy")
    assert message(excinfo) == (
        "generalization_gap(<dict of 1 items>, metric='accuracy') raised KeyError: 'nope'"
    )
    assert isinstance(excinfo.value.__cause__, KeyError)

    def dropout_forward(x, rate, rng=None):
        raise ValueError("first line\nsecond line")

    with pytest.raises(
        AssertionError,
        match=r"^dropout_forward\(<ndarray of shape \(2, 3\)>, 0.5\) raised ValueError: "
        r"first line$",
    ):
        C.call_learner(dropout_forward, np.zeros((2, 3)), 0.5)
    with pytest.raises(AssertionError, match=r"^my call raised ValueError"):
        C.call_learner(dropout_forward, 1, 2, what="my call")


def test_call_learner_keeps_learner_assertions_and_catches_sys_exit():
    def f():
        raise AssertionError("learner's own assert")

    with pytest.raises(AssertionError, match="learner's own assert"):
        C.call_learner(f)

    def g():
        sys.exit(1)

    with pytest.raises(AssertionError, match=r"g\(\) called sys.exit\(\)"):
        C.call_learner(g)


def test_call_learner_bad_functions():
    with pytest.raises(AssertionError, match="the function is None"):
        C.call_learner(None, 20, 3, what="build_model(20, 3)")
    with pytest.raises(AssertionError, match="is a int, not a function"):
        C.call_learner(5, what="build_model")


def test_call_learner_explains_the_positional_compile_mistake():
    x = np.zeros((8, 4), dtype="float32")
    y = np.eye(3, dtype="float32")[np.arange(8) % 3]

    def train(x, y):
        model = small_model()
        model.compile("adam", "categorical_crossentropy", ["accuracy"])
        model.fit(x, y, epochs=1, verbose=0)
        return model

    with pytest.raises(AssertionError) as excinfo:
        C.call_learner(train, x, y)
    text = message(excinfo)
    assert "the third positional argument of compile() is loss_weights in Keras 3" in text
    assert "metrics=['accuracy']" in text


# ----------------------------------------------------------------------------------------------------------
# Callbacks
# ----------------------------------------------------------------------------------------------------------


def test_assert_early_stopping():
    good = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
    C.assert_early_stopping(good, patience=5, what="make_early_stopping(5)")
    cases = [
        (
            keras.callbacks.EarlyStopping(monitor="loss", patience=5, restore_best_weights=True),
            "monitors 'loss'",
        ),
        (
            keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True),
            "patience=3; expected patience=5",
        ),
        (
            keras.callbacks.EarlyStopping(patience=5),
            "restore_best_weights=False; expected restore_best_weights",
        ),
        (None, "returned None"),
        (keras.callbacks.EarlyStopping, "the class EarlyStopping"),
        (keras.callbacks.History(), "returned a History; expected keras.callbacks.EarlyStopping"),
    ]
    for callback, words in cases:
        with pytest.raises(AssertionError) as excinfo:
            C.assert_early_stopping(callback, patience=5, what="make_early_stopping(5)")
        assert words in message(excinfo)
