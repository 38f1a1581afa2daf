"""Cell constructors for the exercise notebooks: nbgrader metadata, stable ids, no outputs."""

from __future__ import annotations

import ast
import textwrap
from typing import Any

import nbformat

HIDDEN_IMPORT = (
    "import importlib\n\n"
    "# A fresh copy of the grading code, loaded from disk: answers cannot change what it checks.\n"
    'grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()\n'
)


def _clean(text: str) -> str:
    """Dedent and strip a cell's text."""
    return textwrap.dedent(text).strip("\n")


def _meta(grade_id: str, *, grade: bool, solution: bool, locked: bool, points: float | None = None) -> dict:
    """nbgrader cell metadata (schema 3)."""
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def md(cell_id: str, text: str) -> nbformat.NotebookNode:
    """A read-only markdown cell (text, statements, recaps)."""
    cell = nbformat.v4.new_markdown_cell(_clean(text), id=cell_id)
    cell.metadata = _meta(cell_id, grade=False, solution=False, locked=True)
    return cell


def code(cell_id: str, source: str) -> nbformat.NotebookNode:
    """A read-only code cell (set-up, demonstrations)."""
    cell = nbformat.v4.new_code_cell(_clean(source), id=cell_id)
    cell.metadata = _meta(cell_id, grade=False, solution=False, locked=True)
    return cell


def scratch(cell_id: str, source: str) -> nbformat.NotebookNode:
    """An ordinary editable code cell the learner may change freely (not graded). Its printed training
    results may differ in the last digits between machines, so nbval does not compare its output."""
    cell = nbformat.v4.new_code_cell(_clean(source), id=cell_id)
    cell.metadata = {"tags": ["nbval-ignore-output"]}
    return cell


def answer(grade_id: str, header: str, solution: str) -> nbformat.NotebookNode:
    """An autograded-answer cell: the ``def`` line and docstring, then the solution between the markers."""
    body = textwrap.indent(_clean(solution), "    ")
    text = f"{_clean(header)}\n    ### BEGIN SOLUTION\n{body}\n    ### END SOLUTION"
    cell = nbformat.v4.new_code_cell(text, id=grade_id)
    cell.metadata = _meta(grade_id, grade=False, solution=True, locked=False)
    return cell


def answer_lines(grade_id: str, prompt: str, solution: str) -> nbformat.NotebookNode:
    """An autograded-answer cell whose whole body is the solution (quiz answers), after a comment prompt."""
    text = f"{_clean(prompt)}\n### BEGIN SOLUTION\n{_clean(solution)}\n### END SOLUTION"
    cell = nbformat.v4.new_code_cell(text, id=grade_id)
    cell.metadata = _meta(grade_id, grade=False, solution=True, locked=False)
    return cell


def test(grade_id: str, points: float, doc: str, body: str) -> nbformat.NotebookNode:
    """A visible autograder test cell: a one-line docstring, then the checks (ending with an assert)."""
    text = f'"""{doc}"""\n{_clean(body)}'
    _assert_ends_with_assert(grade_id, text)
    cell = nbformat.v4.new_code_cell(text, id=grade_id)
    cell.metadata = _meta(grade_id, grade=True, solution=False, locked=True, points=points)
    return cell


def hidden_test(grade_id: str, points: float, doc: str, body: str) -> nbformat.NotebookNode:
    """A hidden autograder test cell: docstring, then everything between the hidden-test markers."""
    text = f'"""{doc}"""\n### BEGIN HIDDEN TESTS\n{HIDDEN_IMPORT}\n{_clean(body)}\n### END HIDDEN TESTS'
    _assert_ends_with_assert(grade_id, _clean(body))
    cell = nbformat.v4.new_code_cell(text, id=grade_id)
    cell.metadata = _meta(grade_id, grade=True, solution=False, locked=True, points=points)
    return cell


def written(grade_id: str, points: float, solution: str) -> nbformat.NotebookNode:
    """A manually graded written answer (markdown); the source holds an example answer."""
    cell = nbformat.v4.new_markdown_cell(_clean(solution), id=grade_id)
    cell.metadata = _meta(grade_id, grade=True, solution=True, locked=False, points=points)
    return cell


def _assert_ends_with_assert(grade_id: str, text: str) -> None:
    """Refuse a test cell whose last statement is not an assert (a trailing value reads as partial credit)."""
    last = ast.parse(text).body[-1]
    if not isinstance(last, ast.Assert):
        raise ValueError(f"test cell {grade_id} must end with an assert, ends with: {ast.unparse(last)!r}")


def make_notebook(cells: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    """A course notebook (nbformat 4.5, python3 kernel of the course, no outputs)."""
    nb = nbformat.v4.new_notebook()
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3 (course)", "language": "python"},
        "language_info": {"name": "python"},
    }
    ids = [cell.id for cell in cells]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"duplicate cell ids: {sorted(duplicates)}")
    nb.cells = cells
    return nb
