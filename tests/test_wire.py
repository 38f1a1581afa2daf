"""Answers as data: what the checker receives of a learner's values, and the checker process itself."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.grading import remote, wire

ROOT = Path(__file__).resolve().parents[1]


def through_json(value):
    """What the other side rebuilds of ``value`` after it crossed as JSON text."""
    return wire.decode(json.loads(json.dumps(wire.encode(value))))


@pytest.mark.parametrize(
    "value",
    [None, True, 3, -(2**70), 0.1, float("inf"), "x é", [1, (2.5, "a")], {"a": [1, 2], 3: None}],
    ids=repr,
)
def test_plain_values_come_back_equal_and_of_the_same_type(value) -> None:
    back = through_json(value)
    assert back == value and type(back) is type(value)


def test_nan_and_numpy_values_keep_their_type_dtype_and_shape() -> None:
    assert math.isnan(through_json(float("nan")))
    scalar = through_json(np.float32(1.5))
    assert type(scalar) is np.float32 and scalar == np.float32(1.5)
    for array in (np.arange(12.0).reshape(3, 4), np.array([[True, False]]), np.zeros((2, 0, 3), np.int16)):
        back = through_json(array)
        assert back.dtype == array.dtype and back.shape == array.shape and np.array_equal(back, array)
    strided = np.arange(20.0)[::3]
    assert np.array_equal(through_json(strided), strided)


def test_an_object_that_claims_equality_arrives_as_a_stand_in_or_its_plain_value() -> None:
    class Always:
        def __eq__(self, other):
            return True

    class EqualFloat(float):
        def __eq__(self, other):
            return True

    back = through_json(Always())
    assert type(back).__name__ == "Always" and back != 0 and not (back == 1)
    number = through_json(EqualFloat(0.0))
    assert type(number) is float and number == 0.0 and number != 1.0


def test_an_array_subclass_that_lies_arrives_as_the_values_it_holds() -> None:
    class Liar(np.ndarray):
        def __eq__(self, other):
            return np.ones(np.shape(other), dtype=bool)

        def __sub__(self, other):
            return np.zeros(np.shape(other))

    back = through_json(np.zeros(4).view(Liar))
    assert type(back) is np.ndarray and not np.allclose(back, np.ones(4))


def test_tables_generators_and_histories() -> None:
    frame = pd.DataFrame(
        {"val_accuracy": [0.9, 0.8], "best_epoch": [3, 7]}, index=pd.Index(["b", "a"], name="run")
    )
    back = through_json(frame)
    assert back.equals(frame) and back.index.name == "run" and back["best_epoch"].dtype == np.int64
    rng = np.random.default_rng(5)
    assert np.array_equal(through_json(rng).random(3), np.random.default_rng(5).random(3))


def test_keras_objects_are_rebuilt_from_their_configuration_and_weights() -> None:
    keras = pytest.importorskip("keras")
    model = keras.Sequential(
        [
            keras.Input(shape=(5,)),
            keras.layers.Dense(
                4, activation="relu", kernel_regularizer=keras.regularizers.L1L2(l1=0.01, l2=0.02)
            ),
            keras.layers.BatchNormalization(),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    back = through_json(model)
    assert [type(layer).__name__ for layer in back.layers] == [
        "Dense",
        "BatchNormalization",
        "Dropout",
        "Dense",
    ]
    assert back.layers[0].kernel_regularizer.get_config() == pytest.approx({"l1": 0.01, "l2": 0.02})
    assert back.loss == "categorical_crossentropy" and type(back.optimizer).__name__ == "Adam"
    x = np.random.default_rng(0).normal(size=(3, 5)).astype("float32")
    assert np.allclose(back.predict(x, verbose=0), model.predict(x, verbose=0))
    stopper = through_json(keras.callbacks.EarlyStopping(patience=4, restore_best_weights=True))
    assert (
        type(stopper) is keras.callbacks.EarlyStopping
        and stopper.patience == 4
        and stopper.restore_best_weights
    )


def test_configurations_naming_code_outside_keras_are_not_rebuilt() -> None:
    pytest.importorskip("keras")
    data = {
        "t": "layer",
        "config": {"module": "os", "class_name": "system", "config": {}, "registered_name": None},
        "weights": [],
    }
    assert isinstance(wire.decode(data), wire.Opaque)


def test_arguments_changed_in_place_are_seen_by_the_caller() -> None:
    def scale_in_place(x):
        x *= 2
        return None

    x = np.ones(3)
    remote.invoke(scale_in_place, x)
    assert np.array_equal(x, [2.0, 2.0, 2.0])
    with pytest.raises(ValueError, match="bad rate"):
        remote.invoke(lambda: (_ for _ in ()).throw(ValueError("bad rate")))


def ask_in(namespace: dict):
    """Answers to the checker's requests computed from ``namespace``, as the kernel would (JSON both ways)."""

    def ask(request: dict) -> dict:
        return json.loads(json.dumps(remote.answer(json.loads(json.dumps(request)), namespace)))

    return ask


def test_the_checker_process_speaks_json_lines() -> None:
    """The checker as the grader starts it: a cell in, requests out, answers in, a verdict out."""
    namespace: dict = {"q1": " B "}
    exec("def l1_penalty(weights, factor):\n    return 0.0\n", namespace)
    cells = (
        'assert globals().get("q1").strip().lower() == "b"',
        "assert q2 == 'a'",
        "from helpers.grading import check_l1_penalty\nassert check_l1_penalty(l1_penalty)",
    )
    saved = math.isclose, np.allclose, np.isclose
    proc = subprocess.Popen(
        [sys.executable, "-m", "helpers.grading.remote"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    try:
        assert json.loads(proc.stdout.readline()) == {"op": "ready"}
        verdicts = []
        # This process plays the learner's kernel, whose answer cell made every comparison agree.
        math.isclose = np.allclose = np.isclose = lambda *args, **kwargs: True
        for cell in cells:
            proc.stdin.write(json.dumps({"op": "cell", "source": cell}) + "\n")
            proc.stdin.flush()
            while True:
                message = json.loads(proc.stdout.readline())
                if message["op"] == "verdict":
                    verdicts.append(message)
                    break
                proc.stdin.write(json.dumps({"answer": ask_in(namespace)(message["request"])}) + "\n")
                proc.stdin.flush()
    finally:
        math.isclose, np.allclose, np.isclose = saved
        proc.kill()
        proc.wait()
    assert verdicts[0]["ok"] is True
    assert verdicts[2]["ok"] is False and "returned 0; expected" in verdicts[2]["evalue"]
    assert (
        verdicts[1]["ok"] is False and verdicts[1]["ename"] == "NameError" and "q2" in verdicts[1]["evalue"]
    )
