"""What a learner sees first when a test cell fails: the check's message, not the course's internal frames.

A failing check raises ``AssertionError`` deep inside ``helpers/`` (``_common.py``'s quiet wrapper, the
checker module, ``grading/_core.py``, ``checks/``). IPython formats what the kernel sends to JupyterLab, to
nbgrader's Validate dialog and into the graded notebooks, so the tests run failing checks in IPython itself:

- an ``InteractiveShell`` in this process, whose structured traceback is exactly what a kernel sends;
- a real ``ipykernel`` started from the course's kernelspec (through jupyter_client), as JupyterLab starts it.

Every failure must start with ``AssertionError: <the check's message>`` and show no ``helpers/`` frame before
it. The ``__tracebackhide__`` markers are checked too, with IPython's ordinary formatter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
HELPERS_FRAME = re.compile(r"helpers[/\\]")

# Failing test cells, as a learner's notebook runs them, with the message each must show first.
CELLS = {
    "visible quiz test": (
        "from helpers.grading import check_quiz_format\n"
        'q1 = "e"\n'
        'assert check_quiz_format(q1, "q1", "abcd")\n',
        "q1 is 'e'; set it to one letter, one of 'a', 'b', 'c', 'd'.",
    ),
    "hidden quiz test": (
        "import importlib\n"
        'grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()\n'
        'why = {"a": "A sum of absolute values is the L1 formula.", "b": "No half.", "d": "No root."}\n'
        'assert grading.check_quiz_answer(" A ", "q10", "abcd", "c", why=why)\n',
        "q10 = 'a' is not the right answer: A sum of absolute values is the L1 formula.",
    ),
    "answer not written (through call_learner)": (
        "from helpers.grading import check_generalization_gap\n"
        "def generalization_gap(history, metric='accuracy'):\n"
        "    raise NotImplementedError()\n"
        "assert check_generalization_gap(generalization_gap)\n",
        "generalization_gap is not written yet: replace `raise NotImplementedError()` with your code.",
    ),
}


def plain(lines: list[str]) -> list[str]:
    """Structured traceback lines as text: ANSI colours removed, split into single lines."""
    return [line for chunk in lines for line in ANSI.sub("", chunk).splitlines()]


def assert_message_first(lines: list[str], message: str) -> None:
    """The first non-blank line is ``AssertionError: <message>``, and no helpers/ frame comes before it."""
    text = [line for line in plain(lines) if line.strip()]
    assert text, "IPython showed nothing"
    where = next((i for i, line in enumerate(text) if f"AssertionError: {message}" in line), None)
    assert where is not None, "the message is missing:\n" + "\n".join(text)
    before = [line for line in text[:where] if HELPERS_FRAME.search(line)]
    assert not before, "helpers/ frames come before the message:\n" + "\n".join(text)
    assert where == 0, "the message is not the first line:\n" + "\n".join(text)


@pytest.fixture(scope="module")
def shell() -> Iterator[object]:
    """IPython's shell, recording each structured traceback it would send instead of printing it."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config, colors="nocolor")
    shell.recorded = []
    shell._showtraceback = lambda etype, evalue, stb: shell.recorded.append((etype, evalue, stb))
    try:
        yield shell
    finally:
        InteractiveShell.clear_instance()


def run(shell, source: str) -> tuple[type, BaseException, list[str]]:
    """Run one cell in the shell; return the failure it shows (type, value, structured traceback)."""
    shell.recorded.clear()
    result = shell.run_cell(source, store_history=False)
    assert not result.success and shell.recorded, f"the cell did not fail:\n{source}"
    return shell.recorded[-1]


@pytest.mark.parametrize("label", list(CELLS))
def test_a_failed_check_shows_its_message_first_in_ipython(shell, label: str) -> None:
    source, message = CELLS[label]
    etype, value, stb = run(shell, source)
    assert etype is AssertionError and str(value) == message
    assert_message_first(stb, message)


@pytest.mark.parametrize("label", list(CELLS))
def test_ipythons_own_formatter_skips_the_wrappers(shell, label: str) -> None:
    """Without the message-first rendering, IPython's formatter still leaves out every frame marked
    ``__tracebackhide__``: no quiet wrapper (``_common.py``), and for the quiz only the frame that raised
    (IPython always shows that one, which is why failed checks render as their message)."""
    source, message = CELLS[label]
    etype, value, _ = run(shell, source)
    text = "\n".join(plain(shell.InteractiveTB.structured_traceback(etype, value, value.__traceback__)))
    assert "skipping hidden" in text, text
    assert "_common.py" not in text and "in wrapper" not in text, text
    if "quiz" in label:
        assert len(HELPERS_FRAME.findall(text)) == 1, text
    assert text.rstrip().endswith(f"AssertionError: {message}"), text


def test_other_errors_keep_their_ordinary_traceback(shell) -> None:
    """Only the checks' failures are shortened: a learner's own error keeps IPython's full traceback."""
    etype, value, stb = run(shell, "def f():\n    raise ValueError('mine')\nf()\n")
    text = "\n".join(plain(stb))
    assert etype is ValueError and "----> 3 f()" in text and text.rstrip().endswith("ValueError: mine")
    etype, value, stb = run(shell, "assert 1 == 2, 'a plain assert in a cell'\n")
    assert "Traceback" in "\n".join(plain(stb))


@pytest.mark.slow
def test_a_failed_check_shows_its_message_first_in_a_real_kernel() -> None:
    """The course's python3 kernel, started as JupyterLab starts it: the error message it sends for each
    failing test cell begins with the check's message."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", cwd=str(ROOT))
    try:
        for label, (source, message) in CELLS.items():
            errors: list[dict] = []

            def keep(msg: dict, errors: list[dict] = errors) -> None:
                if msg["header"]["msg_type"] == "error":
                    errors.append(msg["content"])

            reply = kc.execute_interactive(source, output_hook=keep, timeout=120)
            assert reply["content"]["status"] == "error", f"{label}: the cell passed"
            assert len(errors) == 1, f"{label}: {errors}"
            error = errors[0]
            assert (error["ename"], error["evalue"]) == ("AssertionError", message), label
            assert_message_first(error["traceback"], message)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
