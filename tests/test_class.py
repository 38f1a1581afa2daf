"""A whole class through nbgrader: release, fetch and submit, collect, autograde, feedback, export.

The students live in ``tests/class_fixture/students.yaml``: each submits the release notebooks their case needs,
built at test time from the fetched notebook plus a few answer snippets and edits. The score expected for
every test cell is in ``tests/class_fixture/expected_scores.csv``. The run happens in a temporary copy of the
course with a temporary exchange and gradebook, through ``tools/classroom.py`` (the instructor's tool) with the
course's ``nbgrader_config.py`` (resource-limited grading kernels, restored test cells, feedback without hidden
tests), except for a shorter per-cell timeout so that the endless loops of the class cost less time.
A report of the grading time per submission is printed (shown with ``pytest -rA``) and written to
``build/class_report.md``.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import nbformat
import pytest
import yaml

from tools.classroom import Classroom

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "class_fixture"

pytestmark = pytest.mark.slow

# Per-cell timeout of this run (the course's is 120 s); the class's notebooks need far less per cell.
CELL_TIMEOUT = 30
HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*$(.*?)^[ \t]*### END HIDDEN TESTS", re.M | re.S)


def nbg(cell: Any) -> dict:
    """The cell's nbgrader metadata (empty when it has none)."""
    return cell.metadata.get("nbgrader", {})


def load_class() -> dict[str, Any]:
    """The fixture class: students, each with the submissions their case needs."""
    return yaml.safe_load((FIXTURE / "students.yaml").read_text())["students"]


def load_expected() -> dict[tuple[str, str], dict[str, str]]:
    """Expected scores by (student, assignment): grade id (or ``*`` for every other test cell) -> expected."""
    expected: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    with (FIXTURE / "expected_scores.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            expected[(row["student"], row["assignment"])][row["grade_id"]] = row["expected"]
    return expected


def solutions(course: Path, assignment: str) -> dict[str, str]:
    """The source's answer cells by grade id, without nbgrader's solution markers."""
    nb = nbformat.read(course / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    marker = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.M)
    return {nbg(c)["grade_id"]: marker.sub("", c.source) for c in nb.cells if nbg(c).get("solution")}


def find(nb: Any, grade_id: str) -> int:
    """Index of the cell with ``grade_id`` (the fixture must name existing cells)."""
    for index, cell in enumerate(nb.cells):
        if nbg(cell).get("grade_id") == grade_id:
            return index
    raise KeyError(f"no cell {grade_id!r} in the notebook")


def make_submission(nb: Any, case: dict[str, Any], solution: dict[str, str]) -> Any:
    """Turn the fetched release notebook into what this student submits."""
    if case.get("start", "solution") == "solution":
        for cell in nb.cells:
            if nbg(cell).get("solution"):
                cell.source = solution[nbg(cell)["grade_id"]]
    for grade_id, source in (case.get("answers") or {}).items():
        nb.cells[find(nb, grade_id)].source = source
    for edit in case.get("edits") or []:
        if "delete" in edit:
            del nb.cells[find(nb, edit["delete"])]
        elif "replace" in edit:
            nb.cells[find(nb, edit["replace"])].source = edit["source"]
        elif "retype" in edit:
            index = find(nb, edit["retype"])
            old = nb.cells[index]
            new = (
                nbformat.v4.new_markdown_cell(old.source)
                if edit["to"] == "markdown"
                else nbformat.v4.new_code_cell(old.source)
            )
            new.metadata, new.id = old.metadata, old.id
            nb.cells[index] = new
        elif "after" in edit:
            cell = nbformat.v4.new_code_cell(edit["source"])
            cell.id = edit.get("id", cell.id)
            nb.cells.insert(find(nb, edit["after"]) + 1, cell)
        else:
            raise ValueError(f"unknown edit {edit}")
    return nb


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Push the fixture class through the whole grading run once; return what the tests look at."""
    students = load_class()
    assignments = sorted({a for s in students.values() for a in s["submissions"]})
    base = tmp_path_factory.mktemp("class")
    course = base / "course"
    course.mkdir()
    for assignment in assignments:
        shutil.copytree(ROOT / "source" / assignment, course / "source" / assignment)
    room = Classroom(course, exchange=base / "exchange", cell_timeout=CELL_TIMEOUT)
    room.setup([{"id": name} for name in students], assignments)
    room.release(assignments)
    start = time.perf_counter()
    for name, student in students.items():
        home = base / "home" / name
        for assignment, case in student["submissions"].items():
            folder = room.fetch(assignment, name, home)
            path = folder / f"{assignment}.ipynb"
            nb = make_submission(nbformat.read(path, as_version=4), case or {}, solutions(course, assignment))
            nbformat.write(nb, path)
            room.submit(assignment, name, home)
    room.collect(assignments)
    failures = room.autograde(assignments)
    room.feedback(assignments)
    feedback = {}
    for name, student in students.items():
        for assignment in student["submissions"]:
            files = room.fetch_feedback(assignment, name, base / "home" / name)
            feedback[(name, assignment)] = "\n".join(page_text(f.read_text()) for f in files)
    totals, by_cell = room.export(base / "grades.csv")
    total_time = time.perf_counter() - start
    report = write_report(room, students, total_time)
    print(report)
    return {
        "room": room,
        "students": students,
        "failures": failures,
        "feedback": feedback,
        "totals": list(csv.DictReader(totals.open())),
        "cells": list(csv.DictReader(by_cell.open())),
    }


def page_text(page: str) -> str:
    """What a learner reads on a feedback page: the HTML without tags (syntax highlighting splits code)."""
    body = page.split("<body", 1)[-1]
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<(style|script)\b.*?</\1>", "", body, flags=re.S)))


def write_report(room: Classroom, students: dict[str, Any], total: float) -> str:
    """Grading time per submission, as Markdown, printed and saved to build/class_report.md."""
    lines = [
        "# Fixture class: autograding time per submission",
        "",
        f"Per-cell timeout {CELL_TIMEOUT} s; whole run (submit to export) {total:.0f} s.",
        "",
        "| student | assignment | seconds | case |",
        "|---|---|---:|---|",
    ]
    for (assignment, student), seconds in sorted(room.timings.items(), key=lambda kv: -kv[1]):
        about = str(students[student].get("about", "")).strip().replace("\n", " ")
        lines.append(f"| {student} | {assignment} | {seconds:.1f} | {about} |")
    text = "\n".join(lines) + "\n"
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "class_report.md").write_text(text)
    return text


def test_every_submission_is_graded(run: dict[str, Any]) -> None:
    assert not run["failures"], f"autograde failed for {sorted(run['failures'])}"
    graded = {(r["student_id"], r["assignment"]) for r in run["totals"] if r["timestamp"]}
    wanted = {(s, a) for s, student in run["students"].items() for a in student["submissions"]}
    assert wanted <= graded, f"no gradebook row for {sorted(wanted - graded)}"
    students_in_export = {r["student_id"] for r in run["totals"]}
    assert set(run["students"]) <= students_in_export, "every student has a row in the exported grades"


def test_expected_scores(run: dict[str, Any]) -> None:
    expected = load_expected()
    wanted = {(s, a) for s, student in run["students"].items() for a in student["submissions"]}
    assert set(expected) == wanted, (
        f"expected_scores.csv and students.yaml disagree: {set(expected) ^ wanted}"
    )
    room: Classroom = run["room"]
    wrong = []
    for (student, assignment), table in sorted(expected.items()):
        cells = room.results(assignment, student)
        unknown = set(table) - set(cells) - {"*"}
        assert not unknown, f"{student}/{assignment}: expected_scores.csv names unknown cells {unknown}"
        for grade_id, cell in cells.items():
            if not cell["auto"]:
                continue
            want = table.get(grade_id, table.get("*"))
            assert want is not None, f"{student}/{assignment}: no expected score for {grade_id}"
            target = cell["max_score"] if want == "full" else float(want)
            if abs(cell["score"] - target) > 1e-9:
                errors = [
                    f"{o['ename']}: {o['evalue']}"[:300]
                    for o in cell["outputs"]
                    if o["output_type"] == "error"
                ]
                wrong.append(
                    f"{student}/{assignment}/{grade_id}: {cell['score']} instead of {target} {errors}"
                )
    assert not wrong, "unexpected scores:\n" + "\n".join(wrong)


def test_feedback_shows_messages_not_hidden_tests(run: dict[str, Any]) -> None:
    room: Classroom = run["room"]
    for (student, assignment), text in sorted(run["feedback"].items()):
        assert text, f"no feedback released for {student}/{assignment}"
        source = nbformat.read(room.course / "source" / assignment / f"{assignment}.ipynb", as_version=4)
        for cell in source.cells:
            for region in HIDDEN.findall(cell.source):
                for line in (s.strip() for s in region.splitlines()):
                    assert len(line) < 12 or line not in text, (
                        f"{student}/{assignment} feedback shows hidden: {line}"
                    )
        for grade_id, cell in room.results(assignment, student).items():
            for out in cell["outputs"]:
                if out["output_type"] == "error" and out["ename"] == "AssertionError" and out["evalue"]:
                    first = str(out["evalue"]).splitlines()[0].strip()
                    assert first in text, (
                        f"{student}/{assignment} feedback lacks the message of {grade_id}: {first}"
                    )


def test_broken_cells_show_their_error(run: dict[str, Any]) -> None:
    """Each failure the fixture provokes (timeout, dead kernel, memory limit, sys.exit, import error) is the
    one recorded in the graded notebook (cells named by grade id, or by cell id for inserted cells): the limits
    are enforced, not merely survived."""
    room: Classroom = run["room"]
    checked = 0
    for student, info in run["students"].items():
        for assignment, case in info["submissions"].items():
            wanted = (case or {}).get("errors") or {}
            if not wanted:
                continue
            path = room.course / "autograded" / student / assignment / f"{assignment}.ipynb"
            cells = {nbg(c).get("grade_id") or c.id: c for c in nbformat.read(path, as_version=4).cells}
            for grade_id, ename in wanted.items():
                found = [
                    o.get("ename") for o in cells[grade_id].get("outputs", []) if o.output_type == "error"
                ]
                assert ename in found, f"{student}/{assignment}/{grade_id}: expected {ename}, found {found}"
                checked += 1
    assert checked, "the fixture declares no expected errors"
