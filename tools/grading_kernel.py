"""Guard rails for autograding: a resource-limited kernel and an executor that survives broken submissions.

Two roles in one file:

- As a script it is the kernel launcher: ``python grading_kernel.py --data-mb N --fsize-mb M -- CMD...`` sets
  resource limits on itself and then ``exec``s the kernel command, so the kernel and anything it starts
  inherit them.
- As a module (imported by ``nbgrader_config.py``) it provides ``RestoreCells`` (nbgrader's OverwriteCells,
  whose re-insertion of deleted test cells fails when the cell before it was deleted too; this one puts back
  every deleted test cell and read-only course cell after the nearest cell still there), ``HideHiddenTests``
  for the feedback (test cells without their hidden region, their errors reduced to the message, since
  IPython's traceback quotes the failing line of the test) and ``GuardedExecute``, nbgrader's ``Execute`` preprocessor with four
  additions:

  * every grading kernel starts through the launcher (``LimitedKernelManager``), with a memory ceiling
    (``RLIMIT_DATA``: heap and private mappings; an over-large allocation raises ``MemoryError`` in the cell)
    and a file-size ceiling (``RLIMIT_FSIZE``); core dumps are off;
  * a kernel that dies (``os._exit``, a crash in native code) or that ignores the interrupt sent after a
    cell timeout is restarted, the cells that ran before are run again silently (test cells, and cells that
    died or timed out, excepted), and grading goes on with the next cell: the broken cell scores nothing and
    the rest of the notebook is graded for what it does right (at most ``max_restarts`` times per notebook);
  * a time budget per notebook (``notebook_timeout``): once spent, the remaining cells are not run and
    carry an error, so one submission cannot hold up the class;
  * before each test cell, builtins and IPython's code transformers are put back as they were when the
    kernel started, and the course's ``helpers`` modules are dropped from ``sys.modules`` so that the test
    imports them afresh from disk: an answer cell that patched ``helpers.checks``, ``helpers.grading``, a
    builtin, or that hooked IPython to blank out the cells that follow, gets no point for it, visible tests
    included (the hidden tests also reload ``helpers.grading`` themselves). The reset is evaluated as a user
    expression, which IPython runs without transformers. Code that patches NumPy, Keras, the IPython shell's
    methods or files on disk is out of reach of a check running in the same process.

``RLIMIT_AS`` is not used: TensorFlow reserves ~3 GB of address space for a small model while its data
segment stays under 600 MB, so an address-space cap low enough to matter would break correct answers.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from typing import Any

MiB = 1024 * 1024

# Run in the grading kernel before the first cell, while it is still the course's: it keeps the builtins and
# IPython's code transformers as they are then, and installs a private ``reset()`` that puts them back.
SNAPSHOT = """
def _install_guard():
    import builtins, sys, types
    from IPython import get_ipython

    shell = get_ipython()
    saved_builtins = dict(builtins.__dict__)
    lists = ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")
    saved_lists = {name: list(getattr(shell, name)) for name in lists}

    def reset():
        for name, value in saved_builtins.items():
            if builtins.__dict__.get(name) is not value:
                builtins.__dict__[name] = value
        for name in [n for n in sys.modules if n == "helpers" or n.startswith("helpers.")]:
            del sys.modules[name]
        for name, items in saved_lists.items():
            getattr(shell, name)[:] = items
        return "reset"

    guard = types.ModuleType("_course_grading_guard")
    guard.reset = reset
    sys.modules[guard.__name__] = guard

_install_guard()
del _install_guard
"""
# Evaluated before each test cell as a user expression, which IPython evaluates without its transformers.
RESET = '__import__("sys").modules["_course_grading_guard"].reset()'


def set_limits(data_mb: int, fsize_mb: int) -> None:
    """Apply the memory and file-size ceilings to the current process (0 means no limit)."""
    for limit, mb in ((resource.RLIMIT_DATA, data_mb), (resource.RLIMIT_FSIZE, fsize_mb)):
        if mb > 0:
            resource.setrlimit(limit, (mb * MiB, mb * MiB))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(argv: list[str]) -> None:
    """Launcher entry point: parse the limits, apply them, exec the kernel command."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-mb", type=int, default=0)
    parser.add_argument("--fsize-mb", type=int, default=0)
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        parser.error("no kernel command given")
    set_limits(args.data_mb, args.fsize_mb)
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    main(sys.argv[1:])
else:
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from nbformat.notebooknode import NotebookNode
    from nbgrader.preprocessors import ClearHiddenTests, Execute, OverwriteCells
    from nbgrader.utils import is_grade, is_solution
    from traitlets import Bool, Integer

    class LimitedKernelManager(AsyncKernelManager):
        """A kernel manager that starts the kernel through this file's launcher, under resource limits."""

        memory_limit_mb = Integer(
            2048, help="Ceiling of the kernel's data segment in MiB (RLIMIT_DATA); 0 for none."
        ).tag(config=True)
        file_size_limit_mb = Integer(
            512, help="Largest file the kernel may write, in MiB (RLIMIT_FSIZE); 0 for none."
        ).tag(config=True)

        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            """The kernelspec's command, prefixed with the launcher and the limits."""
            cmd = super().format_kernel_cmd(extra_arguments)
            launcher = [sys.executable, os.path.abspath(__file__)]
            limits = ["--data-mb", str(self.memory_limit_mb), "--fsize-mb", str(self.file_size_limit_mb)]
            return [*launcher, *limits, "--", *cmd]

    def _error_output(ename: str, evalue: str) -> NotebookNode:
        """An error output as nbgrader reads it (any error output gives the cell zero points)."""
        return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])

    class GuardedExecute(Execute):
        """nbgrader's Execute with limited kernels, restart after a dead kernel, and a notebook time budget."""

        max_restarts = Integer(
            3, help="Kernel restarts allowed per notebook before the remaining cells are skipped."
        ).tag(config=True)
        notebook_timeout = Integer(
            900, help="Seconds of execution allowed per notebook; later cells are skipped. 0 for none."
        ).tag(config=True)

        guard_tests = Bool(
            True, help="Restore builtins and re-import the course's helpers before each test cell."
        ).tag(config=True)

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("kernel_manager_class", LimitedKernelManager)
            super().__init__(*args, **kwargs)

        def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None) -> Any:
            """Run the notebook with fresh bookkeeping (replayable cells, restarts, deadline)."""
            self._replayable: list[str] = []
            self._restarts = 0
            self._deadline = time.monotonic() + self.notebook_timeout if self.notebook_timeout else None
            self._stopped_reason = ""
            self._snapshot_taken = False
            return super().preprocess(nb, resources, km)

        def _silent(self, code: str, expression: str = "") -> None:
            """Run course code, or evaluate an expression, in the kernel without output or history."""
            expressions = {"guard": expression} if expression else {}
            msg_id = self.kc.execute(
                code, silent=True, store_history=False, stop_on_error=False, user_expressions=expressions
            )
            run_sync(self.async_wait_for_reply)(msg_id)

        def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> Any:
            """Execute one cell; on a dead or stuck kernel, record the error, restart and go on."""
            if cell.cell_type != "code" or not cell.source.strip():
                return super().preprocess_cell(cell, resources, index)
            if not self._stopped_reason and self._deadline and time.monotonic() > self._deadline:
                self._stopped_reason = (
                    f"The notebook used up its grading time ({self.notebook_timeout} s); "
                    "this cell and the ones after it were not run."
                )
            if self._stopped_reason:
                cell.outputs = [_error_output("GradingStopped", self._stopped_reason)]
                cell.execution_count = None
                return cell, self.resources
            try:
                if self.guard_tests and not self._snapshot_taken:
                    self._silent(SNAPSHOT)
                    self._snapshot_taken = True
                if self.guard_tests and is_grade(cell) and not is_solution(cell):
                    self._silent("", RESET)
                cell, resources = super().preprocess_cell(cell, resources, index)
            except (DeadKernelError, CellTimeoutError) as err:
                died = isinstance(err, DeadKernelError)
                why = (
                    "The kernel died while running this cell (os._exit, a crash, or memory exhausted)."
                    if died
                    else f"This cell ran past its time limit ({self.timeout} s) and could not be interrupted."
                )
                self.log.warning("Cell %d: %s Restarting the kernel.", index, why)
                cell.outputs = [*cell.get("outputs", []), _error_output("KernelRestarted", why)]
                self._restart_and_replay()
                return cell, self.resources
            timed_out = any(o.get("ename") == "CellTimeoutError" for o in cell.outputs)
            if not timed_out and not (is_grade(cell) and not is_solution(cell)):
                self._replayable.append(cell.source)
            return cell, resources

        def _restart_and_replay(self) -> None:
            """Restart the kernel and silently re-run the cells that ran before (or stop if out of restarts)."""
            if self._restarts >= self.max_restarts:
                self._stopped_reason = f"The kernel had to be restarted {self._restarts} times; the remaining cells were not run."
                return
            self._restarts += 1
            run_sync(self.km.restart_kernel)(now=True)
            run_sync(self.kc.wait_for_ready)(timeout=self.startup_timeout)
            try:
                if self.guard_tests:
                    self._silent(SNAPSHOT)
                for source in self._replayable:
                    msg_id = self.kc.execute(source, silent=True, store_history=False, stop_on_error=False)
                    if run_sync(self.async_wait_for_reply)(msg_id) is None:
                        break  # timed out again: stop replaying and grade the rest as it stands
            except DeadKernelError:
                self._stopped_reason = "The kernel died again while the earlier cells were re-run."

    class HideHiddenTests(ClearHiddenTests):
        """Feedback filter: test cells lose their hidden region, and their errors keep only the message."""

        def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> Any:
            """Strip one test cell; other cells are left as graded."""
            if cell.cell_type == "code" and is_grade(cell) and not is_solution(cell):
                self._remove_hidden_test_region(cell)
                for output in cell.outputs:
                    if output.output_type == "error":
                        output.traceback = [f"{output.ename}: {output.evalue}"]
            return cell, resources

    class RestoreCells(OverwriteCells):
        """OverwriteCells that puts back every deleted test cell and read-only course cell, wherever it was."""

        def add_missing_grade_cells(self, nb: NotebookNode, resources: Any) -> Any:
            """Re-insert missing locked or test cells after the nearest earlier source cell still present."""
            source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
            points = {cell.name: cell.max_score for cell in source_nb.grade_cells}
            present = {
                c.metadata["nbgrader"]["grade_id"]
                for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id")
            }
            previous: str | None = None
            for source_cell in source_nb.source_cells:
                name = source_cell.name
                is_answer = any(cell.name == name for cell in source_nb.solution_cells)
                if name not in present and not is_answer and (source_cell.locked or name in points):
                    self.log.warning("Cell %s was deleted from the submission; putting it back", name)
                    cell = self._course_cell(source_cell, points.get(name))
                    index = self._index_after(nb, previous)
                    nb.cells.insert(index, cell)
                    present.add(name)
                if name in present:
                    previous = name
            return nb, resources

        def _index_after(self, nb: NotebookNode, grade_id: str | None) -> int:
            """Position just after the cell ``grade_id`` (the top of the notebook if None)."""
            for index, cell in enumerate(nb.cells):
                if grade_id is not None and cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                    return index + 1
            return 0

        def _course_cell(self, source_cell: Any, points: float | None) -> NotebookNode:
            """A read-only copy of a course cell as the gradebook stores it (a test cell when it has points)."""
            import nbformat

            make = (
                nbformat.v4.new_code_cell
                if source_cell.cell_type == "code"
                else nbformat.v4.new_markdown_cell
            )
            note = "# This cell was deleted from the submission and put back for grading.\n"
            cell = make((note if source_cell.cell_type == "code" else "") + source_cell.source)
            meta = {
                "grade": points is not None,
                "grade_id": source_cell.name,
                "locked": True,
                "schema_version": 3,
                "solution": False,
                "checksum": source_cell.checksum,
            }
            if points is not None:
                meta["points"] = points
            cell.metadata.update(deletable=False, editable=False, nbgrader=meta)
            return cell
