"""A whole class through nbgrader: release, fetch and submit, collect, autograde, feedback, export.

The students live in ``tests/class_fixture/students.yaml``: each submits the release notebooks their case needs,
built at test time from the fetched notebook plus a few answer snippets and edits. The score expected for
every test cell is in ``tests/class_fixture/expected_scores.csv``. The run happens in a temporary copy of the
course with a temporary exchange and gradebook, through ``tools/classroom.py`` (the instructor's tool) with the
course's ``nbgrader_config.py`` (resource-limited grading kernels, restored test cells, feedback without hidden
tests, every kernel in its bubblewrap sandbox), except for a shorter per-cell timeout so that the endless loops
of the class cost less time and a smaller file-size limit so that the oversized write costs less disk.
The class is graded twice, by two grading workers each time: on the English course with a SQLite gradebook,
and on the French course (``fr/``) with a PostgreSQL gradebook on a server the test starts and stops. Both must
give every expected score, and the same scores cell by cell. A report of the grading time per submission is
printed (shown with ``pytest -rA``) and written to ``build/class_report_<edition>.md``.

The hostile students (``hostile-*``) try to reach out of their kernel: the instructor's notebooks, the checks
on disk, the gradebook, another student's work, the network, the process table, the disk. Besides their own
expected scores, the run checks that they left no trace: the course's files hash as before, the repository's
``helpers``, ``source/`` and ``solutions/`` carry no payload, the loopback listener was never reached, no
process they started survives, and no sandbox folder is left behind.
"""

from __future__ import annotations

import csv
import hashlib
import html
import re
import shutil
import socket
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import nbformat
import psutil
import pytest
import yaml

from tools.classroom import Classroom
from tools.pgserver import running_postgres

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "class_fixture"

pytestmark = pytest.mark.slow

# Per-cell timeout of this run (the course's is 120 s); the class's notebooks need far less per cell.
CELL_TIMEOUT = 30
# File-size limit of this run's kernels in MiB (the course's is 512): what hostile-bigfile-01 writes to disk.
FILE_LIMIT_MB = 32
# What the hostile fixtures write or start, to be found if any of it got out.
PAYLOAD_MARKER = "hostile-fixture"
SLEEP_MARKER = "86398.5"
# Files of the repository the hostile fixtures try to append to (restored if that ever succeeds).
TARGETS = [ROOT / "helpers" / "grading" / "__init__.py", ROOT / "helpers" / "grading" / "overfitting.py"]
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


def fill(source: str, places: dict[str, str]) -> str:
    """A fixture's source with its placeholders (``@COURSE@``, ``@PORT@``, ...) replaced."""
    for key, value in places.items():
        source = source.replace(key, value)
    return source


def make_submission(
    nb: Any, case: dict[str, Any], solution: dict[str, str], places: dict[str, str] | None = None
) -> Any:
    """Turn the fetched release notebook into what this student submits."""
    places = places or {}
    if case.get("start", "solution") == "solution":
        for cell in nb.cells:
            if nbg(cell).get("solution"):
                cell.source = solution[nbg(cell)["grade_id"]]
    for grade_id, source in (case.get("answers") or {}).items():
        nb.cells[find(nb, grade_id)].source = fill(source, places)
    for edit in case.get("edits") or []:
        if "delete" in edit:
            del nb.cells[find(nb, edit["delete"])]
        elif "replace" in edit:
            nb.cells[find(nb, edit["replace"])].source = fill(edit["source"], places)
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
            cell = nbformat.v4.new_code_cell(fill(edit["source"], places))
            cell.id = edit.get("id", cell.id)
            nb.cells.insert(find(nb, edit["after"]) + 1, cell)
        else:
            raise ValueError(f"unknown edit {edit}")
    return nb


class Listener:
    """A server on 127.0.0.1 that hands the instructor's answers to whoever connects, and counts them."""

    def __init__(self, payload: str) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.payload = payload.encode()
        self.connections: list[Any] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, addr = self.server.accept()
            except OSError:
                continue
            self.connections.append(addr)
            with conn:
                conn.sendall(self.payload)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


def tree_hashes(*folders: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folders``, by path."""
    return {
        str(path): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in folders
        if folder.is_dir()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def payload_carriers(*folders: Path) -> list[str]:
    """Files under ``folders`` that contain the hostile fixtures' payload marker."""
    return [
        str(path)
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file()
        and path.suffix in (".py", ".ipynb")
        and PAYLOAD_MARKER in path.read_text(errors="ignore")
    ]


def survivors() -> list[str]:
    """Processes the hostile fixtures started that are still alive (none should outlive their jail)."""
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        if SLEEP_MARKER in " ".join(proc.info["cmdline"] or []):
            found.append(f"{proc.pid}: {' '.join(proc.info['cmdline'])}")
    return found


# The class is graded twice: the English course with a SQLite gradebook, and the French course (fr/) with a
# PostgreSQL gradebook that a server started for the test keeps; both by two grading workers.
RUNS = {
    "en": {"edition": ROOT, "db": "sqlite", "workers": 2},
    "fr": {"edition": ROOT / "fr", "db": "postgresql", "workers": 2},
}


@pytest.fixture(scope="module")
def postgres() -> Any:
    """A PostgreSQL server for the French class's gradebook, stopped and deleted after the module."""
    with running_postgres() as server:
        yield server


@pytest.fixture(scope="module")
def run_en(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The English class, graded on SQLite."""
    return grade_class(tmp_path_factory.mktemp("class-en"), "en", None)


@pytest.fixture(scope="module")
def run_fr(tmp_path_factory: pytest.TempPathFactory, postgres: Any) -> dict[str, Any]:
    """The French class, graded on PostgreSQL."""
    return grade_class(tmp_path_factory.mktemp("class-fr"), "fr", postgres.url)


@pytest.fixture(scope="module", params=sorted(RUNS))
def run(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Each graded class in turn."""
    return request.getfixturevalue(f"run_{request.param}")


def grade_class(base: Path, run_name: str, db_url: str | None) -> dict[str, Any]:
    """Push the fixture class through the whole grading run once; return what the tests look at."""
    setting = RUNS[run_name]
    edition: Path = setting["edition"]
    students = load_class()
    assignments = sorted({a for s in students.values() for a in s["submissions"]})
    course = base / "course"
    course.mkdir()
    jails = base / "jails"
    jails.mkdir()
    for assignment in assignments:
        shutil.copytree(edition / "source" / assignment, course / "source" / assignment)
    if edition != ROOT:  # the edition's own settings (its course id), which read the course's
        config = edition / "nbgrader_config.py"
        (course / "nbgrader_config.py").write_text(f"load_subconfig({str(config)!r})  # noqa: F821\n")
    sandbox = {"file_size_limit_mb": FILE_LIMIT_MB, "sandbox_dir": str(jails)}
    room = Classroom(
        course,
        exchange=base / "exchange",
        db_url=db_url,
        cell_timeout=CELL_TIMEOUT,
        overrides={"LimitedKernelManager": sandbox},
    )
    room.setup([{"id": name} for name in students], assignments)
    room.release(assignments)
    listener = Listener("".join(f"{code}\n" for code in solutions(course, "01_overfitting").values()))
    places = {"@COURSE@": str(course), "@ROOT@": str(ROOT), "@EXCHANGE@": str(base / "exchange")}
    places["@PORT@"] = str(listener.port)
    targets = {path: path.read_bytes() for path in TARGETS}
    start = time.perf_counter()
    try:
        for name, student in students.items():
            home = base / "home" / name
            for assignment, case in student["submissions"].items():
                folder = room.fetch(assignment, name, home)
                path = folder / f"{assignment}.ipynb"
                nb = nbformat.read(path, as_version=4)
                nb = make_submission(nb, case or {}, solutions(course, assignment), places)
                nbformat.write(nb, path)
                room.submit(assignment, name, home)
        room.collect(assignments)
        kept = (course / "source", course / "release", course / "submitted", base / "exchange")
        before = tree_hashes(*kept)
        grading = time.perf_counter()
        failures = room.autograde(assignments, workers=setting["workers"])
        grading = time.perf_counter() - grading
        room.feedback(assignments)
        feedback = {}
        for name, student in students.items():
            for assignment in student["submissions"]:
                files = room.fetch_feedback(assignment, name, base / "home" / name)
                feedback[(name, assignment)] = "\n".join(page_text(f.read_text()) for f in files)
        totals, by_cell = room.export(base / "grades.csv")
    finally:
        listener.close()
        tampered = [str(path) for path, data in targets.items() if PAYLOAD_MARKER in path.read_text()]
        for path in tampered:  # only if the sandbox failed: put the repository's checks back as they were
            path.write_bytes(targets[path])
    after = tree_hashes(*kept)
    total_time = time.perf_counter() - start
    report = write_report(room, students, total_time, grading, run_name)
    print(report)
    return {
        "room": room,
        "name": run_name,
        "grading_seconds": grading,
        "students": students,
        "failures": failures,
        "feedback": feedback,
        "totals": list(csv.DictReader(totals.open())),
        "cells": list(csv.DictReader(by_cell.open())),
        "changed": sorted(p for p in before if before[p] != after.get(p)),
        "tampered": tampered,
        "carriers": payload_carriers(
            ROOT / "helpers", ROOT / "source", ROOT / "solutions", course / "source"
        ),
        "connections": list(listener.connections),
        "survivors": survivors(),
        "jails_left": sorted(p.name for p in jails.iterdir()),
    }


def page_text(page: str) -> str:
    """What a learner reads on a feedback page: the HTML without tags (syntax highlighting splits code)."""
    body = page.split("<body", 1)[-1]
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<(style|script)\b.*?</\1>", "", body, flags=re.S)))


def write_report(room: Classroom, students: dict[str, Any], total: float, grading: float, name: str) -> str:
    """Grading time per submission, as Markdown, printed and saved to build/class_report_<name>.md."""
    setting = RUNS[name]
    lines = [
        f"# Fixture class ({name}): autograding time per submission",
        "",
        f"Gradebook {setting['db']}, {setting['workers']} grading workers, per-cell timeout {CELL_TIMEOUT} s. "
        f"Autograde {grading:.0f} s of wall time for {sum(room.timings.values()):.0f} s of grading; "
        f"whole run (submit to export) {total:.0f} s.",
        "",
        "| student | assignment | seconds | case |",
        "|---|---|---:|---|",
    ]
    for (assignment, student), seconds in sorted(room.timings.items(), key=lambda kv: -kv[1]):
        about = str(students[student].get("about", "")).strip().replace("\n", " ")
        lines.append(f"| {student} | {assignment} | {seconds:.1f} | {about} |")
    text = "\n".join(lines) + "\n"
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / f"class_report_{name}.md").write_text(text)
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
                assert set(ename.split("|")) & set(found), (
                    f"{student}/{assignment}/{grade_id}: expected {ename}, found {found}"
                )
                checked += 1
    assert checked, "the fixture declares no expected errors"


def test_hostile_submissions_reach_nothing_and_leave_no_trace(run: dict[str, Any]) -> None:
    """The sandbox held: the hostile students' scores are checked with everyone's (test_expected_scores); here,
    what they tried to touch outside their kernel."""
    assert any(name.startswith("hostile-") for name in run["students"]), "the fixture has hostile students"
    assert not run["tampered"], f"a submission appended to the repository's checks: {run['tampered']}"
    assert not run["carriers"], f"the hostile payload reached {run['carriers']}"
    assert not run["changed"], f"grading changed the course's files: {run['changed'][:10]}"
    assert not run["connections"], "a submission reached the grader's loopback network"
    assert not run["survivors"], f"processes outlived their sandbox: {run['survivors'][:5]}"
    assert not run["jails_left"], f"sandbox folders left behind: {run['jails_left']}"


def test_two_workers_grade_each_cell_once_and_both_gradebooks_agree(
    run_en: dict[str, Any], run_fr: dict[str, Any]
) -> None:
    """Every (student, assignment, cell) row exists exactly once in each gradebook, SQLite and PostgreSQL, with
    the same scores in both editions; the two workers did grade side by side."""
    tables = {}
    for graded in (run_en, run_fr):
        keys = [(r["student"], r["assignment"], r["grade_id"]) for r in graded["cells"]]
        doubled = sorted({k for k in keys if keys.count(k) > 1})
        assert not doubled, f"{graded['name']}: rows graded twice {doubled[:5]}"
        room: Classroom = graded["room"]
        for student, info in graded["students"].items():
            for assignment in info["submissions"]:
                source = nbformat.read(room.course / "source" / assignment / f"{assignment}.ipynb", 4)
                cells = {nbg(c)["grade_id"] for c in source.cells if nbg(c).get("grade")}
                found = {k[2] for k in keys if k[:2] == (student, assignment)}
                assert found == cells, f"{graded['name']} {student}/{assignment}: rows {found ^ cells} differ"
        tables[graded["name"]] = {
            (r["student"], r["assignment"], r["grade_id"]): (float(r["score"]), float(r["max_score"]))
            for r in graded["cells"]
        }
        busy = sum(room.timings.values())
        assert graded["grading_seconds"] < 0.8 * busy, (
            f"{graded['name']}: {graded['grading_seconds']:.0f} s of wall time for {busy:.0f} s of grading: "
            "the workers did not grade side by side"
        )
    assert run_fr["room"].db_url.startswith("postgresql"), "the French class is graded on PostgreSQL"
    differ = sorted(k for k in tables["en"] if tables["en"][k] != tables["fr"].get(k))
    assert not differ and tables["en"].keys() == tables["fr"].keys(), (
        f"the editions' gradebooks disagree: {[(k, tables['en'][k], tables['fr'].get(k)) for k in differ[:5]]}"
    )
