"""The instructor's grading commands on bad input, and grading on several workers with a PostgreSQL gradebook.

A small class of one assignment goes through ``python -m tools.classroom`` (what ``make grade-*`` runs) with a
PostgreSQL server started for the module. Each bad input gets a message that says what to fix, with no Python
traceback: a student id with a space (ids in other alphabets are fine, and one is graded end to end), a
submission without its notebook, an exchange nobody has submitted to, a gradebook URL that points nowhere.
A grading worker is killed in the middle of a run: the grades already saved stay, and the next run grades only
what is left. Two workers then grade exactly as one worker does, cell by cell.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
import psutil
import pytest
from test_class import solutions

from tools.classroom import LOST, Classroom
from tools.pgserver import free_port, running_postgres

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "01_overfitting"
pytestmark = pytest.mark.slow

# ana and élodie-ü answer correctly (the second id is not ASCII), bo's gap uses abs() (one test fails),
# dan submits his notebook under another name.
STUDENTS = ["ana", "élodie-ü", "bo", "dan"]
WRONG_GAP = """def generalization_gap(history, metric="accuracy"):
    h = getattr(history, "history", history)
    return abs(h[metric][-1] - h["val_" + metric][-1])
"""


def classroom(args: list[str], course: Path, exchange: Path, db: str, **popen: Any) -> Any:
    """Run ``python -m tools.classroom`` as the Makefile does; a finished process, or a running one."""
    command = [sys.executable, "-m", "tools.classroom", "--course", str(course), "--exchange", str(exchange)]
    command += ["--db", db, "--cell-timeout", "60", *args]
    if popen:
        return subprocess.Popen(command, cwd=ROOT, text=True, **popen)
    return subprocess.run(command, cwd=ROOT, text=True, capture_output=True, timeout=540)


def cell_rows(room: Classroom) -> dict[tuple[str, str], tuple[float, float]]:
    """Score and max score by (student, grade id), failing on a row stored twice."""
    rows = room.cell_scores()
    keys = [(r["student"], r["grade_id"]) for r in rows]
    assert len(keys) == len(set(keys)), f"rows stored twice: {sorted(k for k in keys if keys.count(k) > 1)}"
    return {(r["student"], r["grade_id"]): (r["score"], r["max_score"]) for r in rows}


def graded_mtimes(course: Path) -> dict[str, float]:
    """Modification time of each finished grading's autograded notebook, by student."""
    done = {path.stem for path in (course / ".graded" / ASSIGNMENT).glob("*.sha256")}
    found = (course / "autograded").glob(f"*/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
    return {path.parents[1].name: path.stat().st_mtime for path in found if path.parents[1].name in done}


@pytest.fixture(scope="module")
def postgres() -> Any:
    """A PostgreSQL server for the module's gradebook."""
    with running_postgres() as server:
        yield server


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory, postgres: Any) -> dict[str, Any]:
    """A course of one assignment, released; nobody has submitted yet."""
    base = tmp_path_factory.mktemp("grading-input")
    folder = base / "course"
    (folder / "source").mkdir(parents=True)
    shutil.copytree(ROOT / "source" / ASSIGNMENT, folder / "source" / ASSIGNMENT)
    room = Classroom(folder, exchange=base / "exchange", db_url=postgres.url, cell_timeout=60)
    room.setup([{"id": name} for name in STUDENTS], [ASSIGNMENT])
    room.release([ASSIGNMENT])
    return {"room": room, "course": folder, "exchange": base / "exchange", "db": postgres.url, "base": base}


def test_a_student_id_with_a_space_is_refused_with_the_fix(course: dict[str, Any], tmp_path: Path) -> None:
    csv = tmp_path / "students.csv"
    csv.write_text("id,first_name,last_name\njean dupont,Jean,Dupont\nzoé,Zoé,Martin\n", encoding="utf-8")
    done = classroom(["setup", "--students", str(csv)], course["course"], course["exchange"], course["db"])
    assert done.returncode == 2, done.stdout + done.stderr
    assert "'jean dupont' cannot be used: it contains a space" in done.stderr, done.stderr
    assert "'jean.dupont'" in done.stderr, "the message suggests an id that works"
    assert "Traceback" not in done.stderr, done.stderr
    with course["room"].gradebook() as gb:
        ids = {s.id for s in gb.students}
    assert "zoé" not in ids and "jean dupont" not in ids, "a refused list adds nobody"
    with pytest.raises(ValueError, match="contains a space, '/'"):
        Classroom.check_student_id("a b/c")
    assert Classroom.check_student_id(" élodie-ü ") == "élodie-ü"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql+psycopg://grader:secret@127.0.0.1:{port}/gradebook", "cannot reach the gradebook"),
        ("sqlite:////nonexistent-folder/gradebook.db", "folder that does not exist"),
        ("not a url", "is not a database URL"),
    ],
)
def test_a_gradebook_that_points_nowhere_stops_before_grading(
    course: dict[str, Any], url: str, says: str
) -> None:
    url = url.format(port=free_port())
    done = classroom(["autograde"], course["course"], course["exchange"], url)
    assert done.returncode == 2, done.stdout + done.stderr
    assert says in done.stderr, done.stderr
    assert "secret" not in done.stderr, "the password is never printed"
    assert "Traceback" not in done.stderr, done.stderr
    assert not (course["course"] / "autograded").exists(), "nothing was graded"


def test_an_empty_exchange_is_said_plainly(course: dict[str, Any]) -> None:
    done = classroom(["collect", ASSIGNMENT], course["course"], course["exchange"], course["db"])
    assert done.returncode == 0, done.stderr
    assert f"{ASSIGNMENT}: nobody has submitted yet" in done.stdout, done.stdout
    done = classroom(["autograde", ASSIGNMENT], course["course"], course["exchange"], course["db"])
    assert done.returncode == 0, done.stderr
    assert "nothing to grade" in done.stdout, done.stdout


@pytest.fixture(scope="module")
def graded(course: dict[str, Any]) -> dict[str, Any]:
    """Everyone submits; a first two-worker run loses a worker; a second run finishes the class."""
    room: Classroom = course["room"]
    solution = solutions(course["course"], ASSIGNMENT)
    for student in STUDENTS:
        home = course["base"] / "home" / student
        folder = room.fetch(ASSIGNMENT, student, home)
        path = folder / f"{ASSIGNMENT}.ipynb"
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = WRONG_GAP if student == "bo" and "gap" in grade_id else solution[grade_id]
        nbformat.write(nb, path)
        if student == "dan":
            path.rename(folder / "my_answers.ipynb")
        room.submit(ASSIGNMENT, student, home)
    room.collect([ASSIGNMENT])

    first = classroom(
        ["autograde", "--workers", "2", ASSIGNMENT],
        course["course"],
        course["exchange"],
        course["db"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    killed = kill_a_busy_worker(first)
    out, err = first.communicate(timeout=300)
    after_kill = cell_rows(room)
    kept = graded_mtimes(course["course"])
    second = classroom(
        ["autograde", "--workers", "2", ASSIGNMENT], course["course"], course["exchange"], course["db"]
    )
    return {
        "room": room,
        "killed": killed,
        "first": (first.returncode, out, err),
        "after_kill": after_kill,
        "kept": kept,
        "second": second,
        "after_second": cell_rows(room),
        "mtimes_second": graded_mtimes(course["course"]),
    }


def kill_a_busy_worker(run: subprocess.Popen) -> int:
    """Once a first submission is graded (its done mark written), SIGKILL a worker that is grading (it has a
    kernel)."""
    deadline = time.monotonic() + 240
    parent = psutil.Process(run.pid)
    course = Path(run.args[run.args.index("--course") + 1])
    while time.monotonic() < deadline:
        if list((course / ".graded").glob("*/*.sha256")):
            for worker in parent.children():
                if "multiprocessing" in " ".join(worker.cmdline()) and worker.children():
                    worker.kill()
                    return worker.pid
        time.sleep(0.2)
    run.kill()
    raise AssertionError("no grading worker was seen grading after a first submission was graded")


def test_a_killed_worker_loses_no_saved_grade_and_the_next_run_grades_the_rest(
    graded: dict[str, Any],
) -> None:
    code, out, err = graded["first"]
    assert code == 1, out + err
    assert LOST in err, err
    assert "Traceback" not in err.split("---")[0], err
    saved = {student for student, _ in graded["after_kill"]}
    assert saved and saved != set(STUDENTS), f"the kill came too late or too early to test anything: {saved}"
    second = graded["second"]
    assert second.returncode == 1, second.stdout + second.stderr  # dan's submission still has no notebook
    assert LOST not in second.stderr, second.stderr
    regraded = {
        line.split()[1].split("/")[0] for line in second.stdout.splitlines() if line.startswith("autograded")
    }
    assert regraded == set(STUDENTS) - set(graded["kept"]) - {"dan"}, (
        f"the second run graded {regraded}, not exactly those without a complete grading"
    )
    for student, mtime in graded["kept"].items():
        assert graded["mtimes_second"][student] == mtime, f"{student} was graded again"
    for key, value in graded["after_kill"].items():
        if key[0] in graded["kept"]:
            assert graded["after_second"][key] == value, f"{key}: a saved grade changed"
    everyone = {student for student, _ in graded["after_second"]}
    assert everyone == set(STUDENTS) - {"dan"}, "every student with a notebook has grades"


def test_scores_of_the_class(graded: dict[str, Any]) -> None:
    rows = graded["after_second"]
    for student in ("ana", "élodie-ü"):
        auto = {k: v for k, v in rows.items() if k[0] == student and k[1].startswith("test_")}
        assert auto and all(score == top for score, top in auto.values()), f"{student}: {auto}"
    bo = {k[1]: v for k, v in rows.items() if k[0] == "bo" and v[0] < v[1]}
    assert bo and all(name.startswith("test_generalization_gap") for name in bo), f"bo lost {bo}"
    assert not [k for k in rows if k[0] == "dan"], "dan's submission has no notebook: nothing to record"
    said = f"dan/{ASSIGNMENT}: the submission has no {ASSIGNMENT}.ipynb (it holds my_answers.ipynb), so it is"
    for err in (graded["first"][2], graded["second"].stderr):
        assert said in err, err
        assert "NbGraderException" not in err, "the learner's mistake is said, not nbgrader's traceback"


def test_one_worker_grades_as_two_workers(graded: dict[str, Any], course: dict[str, Any]) -> None:
    """The whole class graded again by one worker: the same rows, cell by cell."""
    done = classroom(
        ["autograde", "--workers", "1", "--regrade", ASSIGNMENT],
        course["course"],
        course["exchange"],
        course["db"],
    )
    assert done.returncode == 1 and "dan/" in done.stderr, done.stdout + done.stderr
    assert sum(line.startswith("autograded") for line in done.stdout.splitlines()) == len(STUDENTS) - 1
    assert cell_rows(graded["room"]) == graded["after_second"]


def test_no_kernel_outlives_the_runs(graded: dict[str, Any]) -> None:
    mark = str(graded["room"].course)
    left = [p.pid for p in psutil.process_iter(["cmdline"]) if mark in " ".join(p.info["cmdline"] or [])]
    assert not left, f"processes of the killed run still alive: {left}"
