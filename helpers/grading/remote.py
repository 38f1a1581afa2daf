"""Test cells judged outside the learner's kernel: answers leave it as data, the verdict is reached elsewhere.

While a class is autograded, nbgrader's process does not run a test cell in the learner's kernel. It hands the
cell's course text to a *checker*: a process of its own (``python -m helpers.grading.remote``), started by the
grader from the read-only course, in which no learner code ever runs. The checker runs the cell there, with
every name the cell takes from the notebook (``l1_penalty``, ``q1``...) standing for the learner's object:

* a value (a quiz answer) is fetched once, as data (:mod:`helpers.grading.wire`);
* a function becomes a :class:`Learner`: calling it sends the arguments to the kernel as data, the kernel runs
  the learner's function on them (:func:`reply`) and sends back the result, and the new state of any argument
  the call changed in place (an array, a generator, a model's weights), as data.

The checks themselves, and every expectation they compute, run in the checker; whatever the learner's code
did to NumPy, pandas, Keras, ``math`` or ``AssertionError`` in its own kernel, it can only change what its own
answer is. nbgrader records the checker's verdict (see ``GuardedExecute`` in ``tools/grading_kernel.py``).

In a learner's JupyterLab the checks run in the kernel as before, but call the learner's function through
the same round trip (:func:`invoke`), so a test cell gives the same verdict and message in both places.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import json
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any

from helpers.grading import wire

MIME = "application/vnd.course.answer+json"


# --- both sides -----------------------------------------------------------------------------------------------


class Learner:
    """A learner's function that lives in the kernel: calling it asks the kernel (see :func:`reply`)."""

    _course_remote = True  # what invoke() looks for (private copies of this module have their own class)

    def __init__(
        self, name: str, info: dict[str, Any], ask: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> None:
        self._name = name
        self._ask = ask
        self.__name__ = self.__qualname__ = str(info.get("fn_name") or name)

    def __repr__(self) -> str:
        return f"<function {self.__name__}>"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return invoke(self, *args, **kwargs)

    def _call(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        """The kernel's answer to one call, as data."""
        request = {
            "op": "call",
            "name": self._name,
            "args": wire.encode(list(args)),
            "kwargs": wire.encode(kwargs),
        }
        return self._ask(request)


def _local_call(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """What :func:`reply` answers for a call, computed here: the call on copies of the arguments sent as data."""
    sent_args = wire.roundtrip(list(args))
    sent_kwargs = wire.roundtrip(kwargs)
    return _answer_call(fn, sent_args, sent_kwargs)


def _answer_call(fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    """Run the learner's function and describe what happened as data (result or exception, and new states)."""
    answer: dict[str, Any] = {}
    try:
        result = fn(*args, **kwargs)
    except BaseException as exc:  # noqa: BLE001 (SystemExit, KeyboardInterrupt: all become data)
        answer["error"] = wire.exception_info(exc)
    else:
        answer["result"] = wire.encode(result)
        answer["ref"] = _reference(result)
    answer["states"] = [wire.state_of(a) for a in args]
    answer["kwstates"] = {k: wire.state_of(v) for k, v in kwargs.items()}
    return answer


# Keras objects the learner's functions returned, by reference number: a function that returns the same layer
# twice is seen doing so. Kept per test cell (the kernel's helpers are imported afresh before each one).
_RETURNED: dict[int, tuple[int, Any]] = {}
_REBUILT: dict[int, Any] = {}


def _reference(result: Any) -> int | None:
    """A number standing for a returned Keras object's identity (None for other values)."""
    if not hasattr(result, "get_config") or not hasattr(result, "weights"):
        return None
    if id(result) not in _RETURNED or _RETURNED[id(result)][1] is not result:
        _RETURNED[id(result)] = (len(_RETURNED) + 1, result)
    return _RETURNED[id(result)][0]


def invoke(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a learner's function as a check does: arguments and result go through :mod:`wire` (in the kernel
    or across to it); arguments the call changed in place are updated; an exception is raised again here."""
    remote = getattr(type(fn), "_course_remote", False) is True
    if not remote and (getattr(fn, "__module__", None) or "").startswith("helpers."):
        return fn(*args, **kwargs)  # the course's own code (a check trains a model with it), not an answer
    answer = fn._call(args, kwargs) if remote else _local_call(fn, args, kwargs)
    if "fatal" in answer:
        raise GradingInterrupted(str(answer["fatal"]))
    for target, state in zip(args, answer.get("states", []), strict=False):
        wire.apply_state(target, state)
    for key, state in answer.get("kwstates", {}).items():
        if key in kwargs:
            wire.apply_state(kwargs[key], state)
    if "error" in answer:
        raise wire.rebuild_exception(answer["error"])
    ref = answer.get("ref")
    if isinstance(ref, int) and ref in _REBUILT:
        return _REBUILT[ref]
    result = wire.decode(answer["result"])
    if isinstance(ref, int):
        _REBUILT[ref] = result
    return result


class GradingInterrupted(BaseException):
    """The kernel could not answer (it died or ran out of time): the test cell fails with this message."""


# --- kernel side ----------------------------------------------------------------------------------------------


def _user_namespace() -> dict[str, Any]:
    """The notebook's global names (IPython's user namespace, or ``__main__``'s outside IPython)."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    return shell.user_ns if shell is not None else vars(sys.modules["__main__"])


def answer(request: dict[str, Any], namespace: dict[str, Any]) -> dict[str, Any]:
    """The kernel's answer to one request of the checker, as data."""
    name = str(request.get("name", ""))
    if request.get("op") == "describe":
        if name not in namespace:
            return {"kind": "missing"}
        obj = namespace[name]
        if callable(obj) and not isinstance(obj, type):
            return {"kind": "function", "fn_name": str(getattr(obj, "__name__", name))}
        return {"kind": "value", "value": wire.encode(obj)}
    if request.get("op") == "call":
        fn = namespace.get(name)
        if not callable(fn):
            return {"error": {"type": "NameError", "message": f"name '{name}' is not defined"}}
        return _answer_call(fn, wire.decode(request["args"]), wire.decode(request["kwargs"]))
    return {"error": {"type": "ValueError", "message": "unknown request"}}


class Reply:
    """An answer as the kernel hands it back: only in the course's MIME type (and a short text)."""

    def __init__(self, text: str) -> None:
        self._text = text

    def __repr__(self) -> str:
        return "<answer to the grader>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {MIME: self._text, "text/plain": repr(self)}


def reply(request_text: str) -> Reply:
    """Kernel side: answer one request of the checker (evaluated by the grader as a user expression of an
    empty, silent execution: nothing is echoed, parsed as a cell or kept in the history)."""
    from helpers._common import quiet

    with quiet():
        data = answer(json.loads(request_text), _user_namespace())
    return Reply(json.dumps(data))


def request_expression(request: dict[str, Any]) -> str:
    """The expression the grader has the kernel evaluate to answer one request."""
    return (
        f"__import__('helpers.grading.remote', fromlist=['reply']).reply({json.dumps(json.dumps(request))})"
    )


# --- checker side ---------------------------------------------------------------------------------------------


class Notebook(dict):
    """The globals of a test cell run by the checker: a name the cell does not define or import is looked up
    in the learner's kernel, once (a function becomes a :class:`Learner`, a value arrives as data)."""

    def __init__(self, ask: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        super().__init__({"__name__": "__main__", "__builtins__": builtins})
        self._ask = ask
        self._fetched: dict[str, Any] = {}

    def _fetch(self, name: str) -> tuple[bool, Any]:
        if name not in self._fetched:
            info = self._ask({"op": "describe", "name": name})
            if "fatal" in info:
                raise GradingInterrupted(str(info["fatal"]))
            if info.get("kind") == "function":
                self._fetched[name] = (True, Learner(name, info, self._ask))
            elif info.get("kind") == "value":
                self._fetched[name] = (True, wire.decode(info["value"]))
            else:
                self._fetched[name] = (False, None)
        return self._fetched[name]

    def __missing__(self, name: str) -> Any:
        if hasattr(builtins, name):
            raise KeyError(name)
        found, value = self._fetch(name)
        if not found:
            raise KeyError(name)
        return value

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        if name in self:
            return self[name]
        found, value = (False, None) if hasattr(builtins, name) else self._fetch(name)
        return value if found else default


def run_cell(
    source: str,
    ask: Callable[[dict[str, Any]], dict[str, Any]],
    names: dict[str, Any] | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """Run a test cell's course text here, the learner's objects asked of the kernel through ``ask`` (``names``
    are given to the cell as they are), with messages in ``lang``; return the verdict as data:
    ``{"ok": True}`` or ``{"ok": False, "ename": ..., "evalue": ...}``."""
    from helpers.i18n import set_language

    set_language(lang)
    namespace = Notebook(ask)
    namespace.update(names or {})
    _REBUILT.clear()
    out = io.StringIO()
    try:
        code = compile(source, "<test cell>", "exec")
        with contextlib.redirect_stdout(out):
            exec(code, namespace)  # noqa: S102 (the course's own test cell, restored from the gradebook)
    except GradingInterrupted as exc:
        return {"ok": False, "ename": "KernelRestarted", "evalue": str(exc), "stdout": out.getvalue()}
    except NameError as exc:
        return {"ok": False, "ename": "NameError", "evalue": str(exc), "stdout": out.getvalue()}
    except AssertionError as exc:
        return {"ok": False, "ename": "AssertionError", "evalue": str(exc), "stdout": out.getvalue()}
    except BaseException as exc:  # noqa: BLE001 (any failure of the cell is a failed test, never a crash)
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return {"ok": False, "ename": type(exc).__name__, "evalue": detail.partition(": ")[2] or detail}
    finally:
        _tidy()
    return {"ok": True, "stdout": out.getvalue()}


def _tidy() -> None:
    """Reset Keras's global state (layer names, graphs) before the next cell. Without ``free_memory`` (which
    runs a full garbage collection, 0.17 s a cell): what the cell built is freed by Python's own collector."""
    keras = sys.modules.get("keras")
    if keras is not None and hasattr(keras, "backend"):
        with contextlib.suppress(Exception):
            keras.backend.clear_session(free_memory=False)


def main() -> None:
    """The checker process: JSON lines on stdin/stdout with the grader (stdout of the checks goes to stderr).

    The grader sends ``{"op": "cell", "source": ..., "lang": ...}``; the checker asks ``{"op": "ask", "request": ...}`` as
    often as the cell needs and gets ``{"answer": ...}`` back, then sends ``{"op": "verdict", ...}``."""
    channel_in = os.fdopen(os.dup(0), "r", encoding="utf-8")
    channel_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def send(message: dict[str, Any]) -> None:
        channel_out.write(json.dumps(message) + "\n")
        channel_out.flush()

    def ask(request: dict[str, Any]) -> dict[str, Any]:
        send({"op": "ask", "request": request})
        line = channel_in.readline()
        if not line:
            raise SystemExit(0)
        return json.loads(line)["answer"]

    import helpers.grading  # noqa: F401 (the checks, and Keras with TensorFlow, before the first cell)
    from helpers._common import import_keras

    import_keras()

    send({"op": "ready"})
    for line in channel_in:
        message = json.loads(line)
        if message.get("op") == "cell":
            send({"op": "verdict", **run_cell(message["source"], ask, lang=message.get("lang", "en"))})


if __name__ == "__main__":
    # Run as the package's module, not as __main__: the checks reach this module's state through its import.
    from helpers.grading import remote

    remote.main()
