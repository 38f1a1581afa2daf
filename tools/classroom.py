"""The instructor's grading run with nbgrader, one step at a time or end to end.

    python -m tools.classroom setup --students students.csv   # gradebook: assignments and students
    python -m tools.classroom release [ASSIGNMENT ...]        # generate_assignment + release to the exchange
    python -m tools.classroom collect [ASSIGNMENT ...]        # submissions from the exchange into submitted/
    python -m tools.classroom autograde [ASSIGNMENT ...]      # grade the collected submissions not graded yet
    python -m tools.classroom autograde --workers 2           # ... two at a time (one kernel each)
    python -m tools.classroom autograde --shard 3/8           # ... only the 3rd of 8 shards of the students
    python -m tools.classroom feedback [ASSIGNMENT ...]       # generate_feedback + release_feedback
    python -m tools.classroom export [--out grades.csv]       # totals (nbgrader's CSV) and scores per test cell

Options (before the step): ``--course DIR`` nbgrader's course folder (default: this repository, whose
``source/`` holds the assignments), ``--exchange DIR`` the local exchange (default ``<course>/exchange``; any
folder works offline), ``--db URL`` the gradebook (default ``sqlite:///<course>/gradebook.db``; any SQLAlchemy
URL: ``postgresql+psycopg://user:password@host:port/db`` for a PostgreSQL server, which several grading
workers or machines can share). Students fetch and submit with nbgrader's own commands (``nbgrader fetch_assignment``, ``submit``); this
module can also act for them (``Classroom.fetch`` / ``submit``), which the class test uses. Manual grading of
the written answers happens in between, in JupyterLab's Formgrader (Nbgrader menu), started in the course folder.
The kernels that run submissions are sandboxed and limited as ``nbgrader_config.py`` and
``tools/grading_kernel.py`` say: ``autograde`` first checks that the sandbox (bubblewrap) starts here and stops
with the cause and the fix when it does not, unless ``--unsafe-no-sandbox`` is given (UNSAFE: submissions can
then read the course's files and the gradebook, and use the network).

``autograde`` grades each submission that has no complete grading yet: one whose autograded notebooks are
missing, or older than what was collected (``--regrade``: every submission again). A grading run that stops
(a worker killed, the machine rebooted) loses nothing already saved, and the next run grades the rest.
``--workers N`` grades N submissions at a time on this machine (one process and one kernel each; count
~800 MB per worker); ``--shard I/N`` grades only the students of shard I of N (by a stable hash of the student
id), so that N machines sharing the exchange and a PostgreSQL gradebook can split a class between them.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import multiprocessing
import os
import re
import shutil
import sys
import time
import warnings
import zlib
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.build_assignments import ROOT, assignment_ids, load_config, venv_on_path

STUDENT_FIELDS = ("id", "first_name", "last_name", "email")
# A student id names folders (submitted/<id>/) and exchange files (<id>+<assignment>+<time>): letters of any
# alphabet, digits and . _ @ - only.
STUDENT_ID = re.compile(r"^[^\W][\w.@-]*$")
LOST = (
    "a grading worker stopped before this submission was graded (killed, or out of memory). The grades saved so "
    "far are kept: run autograde again to grade the submissions left."
)
# nbgrader's gradebook trips an SQLAlchemy autoflush warning on every new submission; it is harmless.
warnings.filterwarnings("ignore", message=r"Object of type <Submitted", module=r"nbgrader\.api")


class GradingError(RuntimeError):
    """An nbgrader step failed; the message carries nbgrader's log."""


@dataclass
class Classroom:
    """One course folder, one exchange, one gradebook: nbgrader's steps for the instructor and the students."""

    course: Path = ROOT
    exchange: Path | None = None
    db_url: str | None = None
    cell_timeout: int | None = None
    unsafe_no_sandbox: bool = False
    # More configuration, section -> {trait: value}, merged over the course's (e.g. the sandbox's folder).
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    timings: dict[tuple[str, str], float] = field(default_factory=dict)
    _sandbox_checked: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        self.course = Path(self.course).resolve()
        self.exchange = Path(self.exchange).resolve() if self.exchange else self.course / "exchange"
        self.db_url = self.db_url or f"sqlite:///{self.course / 'gradebook.db'}"
        self.exchange.mkdir(parents=True, exist_ok=True)
        venv_on_path()

    # -- plumbing --------------------------------------------------------------------------------------------
    def config(self, student_home: Path | None = None) -> Any:
        """nbgrader's configuration for this classroom (and for one student's side when ``student_home``)."""
        exchange = {"root": str(self.exchange)}
        extra: dict[str, dict[str, Any]] = (
            {"Execute": {"timeout": self.cell_timeout}} if self.cell_timeout else {}
        )
        if self.unsafe_no_sandbox:
            extra["LimitedKernelManager"] = {"unsafe_no_sandbox": True}
        for section, values in self.overrides.items():
            extra[section] = {**extra.get(section, {}), **values}
        if student_home is not None:
            exchange |= {"assignment_dir": str(student_home), "cache": str(student_home / ".nbgrader_cache")}
        return load_config(
            self.course,
            db_url=self.db_url,
            Exchange=exchange,
            # The simulated students all belong to the user running the tests; nbgrader would warn.
            ExchangeCollect={"check_owner": False},
            **extra,
        )

    def api(self, student_home: Path | None = None, **coursedir: Any) -> Any:
        """An NbGraderAPI bound to this classroom."""
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        config = self.config(student_home)
        course_dir = CourseDirectory(config=config)
        for key, value in coursedir.items():
            setattr(course_dir, key, value)
        return NbGraderAPI(course_dir, config=config)

    @staticmethod
    def check(result: dict[str, Any], what: str) -> dict[str, Any]:
        """Raise GradingError with nbgrader's log when a step failed."""
        if not result.get("success"):
            raise GradingError(f"{what} failed:\n{result.get('log', '')}\n{result.get('error', '')}")
        return result

    def gradebook(self) -> Any:
        """The gradebook (use as a context manager)."""
        from nbgrader.api import Gradebook

        return Gradebook(self.db_url, self.config().CourseDirectory.course_id)

    def assignments(self, ids: list[str] | None = None) -> list[str]:
        """The requested assignments, or every assignment of the course."""
        return ids or assignment_ids(self.course)

    # -- instructor ------------------------------------------------------------------------------------------
    def check_gradebook(self) -> None:
        """Raise GradingError, saying what to fix, when the gradebook cannot be opened (before any work)."""
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        try:
            url = make_url(self.db_url)
        except Exception as exc:
            raise GradingError(
                f"the gradebook URL '{self.db_url}' is not a database URL ({exc}); give for instance "
                "sqlite:////path/gradebook.db or postgresql+psycopg://user:password@host:5432/gradebook"
            ) from None
        shown = url.render_as_string(hide_password=True)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            folder = Path(url.database).resolve().parent
            if not folder.is_dir():
                raise GradingError(f"the gradebook {shown} is in a folder that does not exist: {folder}")
        connect_args = {"connect_timeout": 10} if url.get_backend_name() == "postgresql" else {}
        try:
            engine = create_engine(url, connect_args=connect_args)
        except Exception as exc:  # a driver that is not installed, a malformed URL
            raise GradingError(f"cannot open the gradebook {shown}: {exc}") from None
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as exc:
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            raise GradingError(
                f"cannot reach the gradebook {shown}: {reason}. Check the URL (DB=..., or --db) and that "
                "its server runs and accepts this user; nothing was graded or changed."
            ) from None
        finally:
            engine.dispose()

    @staticmethod
    def check_student_id(student: str) -> str:
        """The id, stripped; raise ValueError saying how to fix an id nbgrader cannot use."""
        clean = str(student).strip()
        if not STUDENT_ID.match(clean):
            bad = sorted({ch for ch in clean if not re.match(r"[\w.@-]", ch)}) or ["(empty)"]
            shown = ", ".join("a space" if ch == " " else repr(ch) for ch in bad)
            suggestion = re.sub(r"[^\w.@-]+", ".", clean).strip(".") or "student1"
            raise ValueError(
                f"student id {student!r} cannot be used: it contains {shown}. An id names the student's "
                "folders and exchange files: use letters (any alphabet), digits and . _ @ - only, for instance "
                f"{suggestion!r}; keep the full name in the "
                "first_name and last_name columns."
            )
        return clean

    def setup(self, students: list[dict[str, str]], ids: list[str] | None = None) -> None:
        """Create the assignments and students in the gradebook (idempotent); every id is checked first."""
        problems = []
        for student in students:
            try:
                student["id"] = self.check_student_id(student["id"])
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            raise ValueError("\n".join(problems))
        self.check_gradebook()
        with self.gradebook() as gb:
            for assignment in self.assignments(ids):
                gb.update_or_create_assignment(assignment)
            for student in students:
                info = {k: v for k, v in student.items() if k in STUDENT_FIELDS[1:] and v}
                gb.update_or_create_student(student["id"], **info)

    def generate(self, ids: list[str] | None = None) -> None:
        """Generate the student version of each assignment into ``release/`` (and record it in the gradebook)."""
        api = self.api()
        for assignment in self.assignments(ids):
            self.check(api.generate_assignment(assignment, force=True), f"generate_assignment {assignment}")

    def release(self, ids: list[str] | None = None) -> None:
        """Generate the student version of each assignment and release it to the exchange."""
        api = self.api()
        for assignment in self.assignments(ids):
            self.generate([assignment])
            outbound = self.exchange / api.course_id / "outbound" / assignment
            if outbound.exists():  # a re-release replaces the previous one
                self.check(api.unrelease(assignment), f"unrelease {assignment}")
            self.check(api.release_assignment(assignment), f"release_assignment {assignment}")

    def collect(self, ids: list[str] | None = None) -> None:
        """Copy the latest submission of every student from the exchange into ``submitted/``."""
        api = self.api()
        for assignment in self.assignments(ids):
            self.check(api.collect(assignment, update=True), f"collect {assignment}")
            count = len(self.submitted_students(assignment))
            if count:
                print(f"{assignment}: {count} submission(s) in {self.course / 'submitted'}")
            else:
                inbound = self.exchange / api.course_id / "inbound"
                print(f"{assignment}: nobody has submitted yet (nothing for it in {inbound})")

    def submitted_students(self, assignment: str) -> list[str]:
        """Students with a collected submission of ``assignment``."""
        submitted = self.course / "submitted"
        return (
            sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir())
            if submitted.is_dir()
            else []
        )

    def check_sandbox(self) -> str:
        """Check that grading kernels can start in their sandbox here; say how they will run.

        Raises ``SandboxUnavailable`` (from ``tools/grading_kernel.py``) with the cause and the fix when the
        sandbox cannot start, unless the configuration sets ``LimitedKernelManager.unsafe_no_sandbox``."""
        guard = self.grading_guard()
        said = guard.check_sandbox(guard.LimitedKernelManager(config=self.config(), kernel_name="python3"))
        self._sandbox_checked = True
        return said

    def grading_guard(self) -> Any:
        """``tools/grading_kernel.py`` as the course's ``nbgrader_config.py`` loads it (its classes, e.g.
        ``SandboxUnavailable``, are that copy's)."""
        self.config()
        return sys.modules["grading_kernel"]

    def settings(self) -> dict[str, Any]:
        """What a grading worker needs to open this classroom in its own process."""
        return {
            "course": str(self.course),
            "exchange": str(self.exchange),
            "db_url": self.db_url,
            "cell_timeout": self.cell_timeout,
            "unsafe_no_sandbox": self.unsafe_no_sandbox,
            "overrides": self.overrides,
        }

    def submission_problem(self, assignment: str, student: str) -> str | None:
        """Why ``student``'s collected ``assignment`` cannot be graded as it is (None: it can)."""
        folder = self.course / "submitted" / student / assignment
        wanted = f"{assignment}.ipynb"
        if (folder / wanted).is_file():
            return None
        found = sorted(p.name for p in folder.glob("*.ipynb"))
        return (
            f"{student}/{assignment}: the submission has no {wanted} "
            f"({'it holds ' + ', '.join(found) if found else 'it holds no notebook'}), so it is not graded. The "
            f"learner should submit {wanted} under that name (or rename the file in {folder}), then collect "
            "and autograde again."
        )

    def is_graded(self, assignment: str, student: str) -> bool:
        """Whether the submission now in ``submitted/`` was graded to the end (its mark, written after nbgrader
        saved the grades, names exactly this submission) and the gradebook holds it."""
        mark = done_mark(self.course, assignment, student)
        if not mark.is_file() or mark.read_text() != submission_digest(self.course, assignment, student):
            return False
        with self.gradebook() as gb:
            try:
                gb.find_submission(assignment, student)
            except Exception:  # MissingEntry: not in this gradebook (a new one since)
                return False
        return True

    def autograde(
        self,
        ids: list[str] | None = None,
        students: list[str] | None = None,
        workers: int = 1,
        regrade: bool = True,
        shard: tuple[int, int] | None = None,
    ) -> dict[str, str]:
        """Autograde the collected submissions, timing each; return failures by submission.

        ``workers`` submissions at a time, each in its own process; ``regrade=False`` skips the submissions
        already graded (``is_graded``); ``shard=(i, n)`` keeps the students of shard i of n (1-based, by a stable
        hash). A failure of one submission is logged and the run goes on; a worker that dies fails the
        submissions not graded yet with ``LOST`` (the saved grades stay). Nothing is graded when the sandbox
        cannot start (``check_sandbox`` raises) or the gradebook cannot be reached (``GradingError``).
        """
        if not self._sandbox_checked:
            self.check_sandbox()
        self.check_gradebook()
        failures: dict[str, str] = {}
        jobs = []
        for assignment in self.assignments(ids):
            for student in students or self.submitted_students(assignment):
                if shard and not in_shard(student, shard):
                    continue
                problem = self.submission_problem(assignment, student)
                if problem:  # nbgrader would stop on it with a traceback: say what to do instead
                    failures[f"{student}/{assignment}"] = problem
                    print(f"autograde: {problem}", file=sys.stderr)
                    continue
                if not regrade and self.is_graded(assignment, student):
                    continue
                jobs.append((assignment, student))
        if not jobs:
            print(
                "autograde: nothing to grade (every collected submission is graded; --regrade grades again)"
            )
            return failures
        if workers <= 1:
            api = self.api()
            results = (grade_one(api, assignment, student) for assignment, student in jobs)
            for job, result in zip(jobs, results, strict=True):
                self._record(job, result, failures)
            return failures
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            min(workers, len(jobs)), mp_context=context, initializer=start_worker, initargs=(self.settings(),)
        ) as pool:
            futures = {pool.submit(grade_in_worker, *job): job for job in jobs}
            for future in as_completed(futures):
                try:
                    result = future.result()
                except BrokenProcessPool:
                    result = (False, LOST, 0.0)
                self._record(futures[future], result, failures)
        return failures

    def _record(
        self, job: tuple[str, str], result: tuple[bool, str, float], failures: dict[str, str]
    ) -> None:
        """Keep one submission's time and outcome, and say it."""
        (assignment, student), (ok, log, seconds) = job, result
        if ok:
            self.timings[job] = seconds
            print(f"autograded {student}/{assignment} in {seconds:.1f} s", flush=True)
        else:
            failures[f"{student}/{assignment}"] = log
            print(f"autograde {student}/{assignment} FAILED (see the log below)", file=sys.stderr, flush=True)

    def grade_notebook(self, assignment: str, student: str, nb: Any) -> dict[str, dict[str, Any]]:
        """Autograde ``nb`` as ``student``'s submission of ``assignment`` (the course has one notebook per
        assignment); return the graded cells by grade id (see ``results``)."""
        import nbformat

        folder = self.course / "submitted" / student / assignment
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{assignment}.ipynb")
        failures = self.autograde([assignment], [student])
        if failures:
            raise GradingError(
                f"autograde {student}/{assignment} failed:\n{failures[f'{student}/{assignment}']}"
            )
        return self.results(assignment, student)

    def results(self, assignment: str, student: str) -> dict[str, dict[str, Any]]:
        """Graded cells of a student's autograded notebook, by grade id: score and max score from the
        gradebook, and the cell's type, source and outputs from the autograded notebook."""
        import nbformat

        nb = nbformat.read(
            self.course / "autograded" / student / assignment / f"{assignment}.ipynb", as_version=4
        )
        cells = {
            c.metadata["nbgrader"]["grade_id"]: c
            for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade")
        }
        out = {}
        with self.gradebook() as gb:
            for grade_id, cell in cells.items():
                grade = gb.find_grade(grade_id, assignment, assignment, student)
                out[grade_id] = {
                    "score": grade.score,
                    "max_score": grade.max_score,
                    "auto": not cell.metadata["nbgrader"].get("solution", False),
                    "cell_type": cell.cell_type,
                    "source": cell.source,
                    "outputs": cell.get("outputs", []),
                }
        return out

    def feedback(self, ids: list[str] | None = None) -> None:
        """Generate the HTML feedback of every graded submission and release it to the exchange."""
        api = self.api()
        for assignment in self.assignments(ids):
            self.check(api.generate_feedback(assignment, force=True), f"generate_feedback {assignment}")
            self.check(api.release_feedback(assignment), f"release_feedback {assignment}")

    def export(self, out: Path) -> tuple[Path, Path]:
        """Write nbgrader's CSV of totals to ``out`` and the score of every graded cell next to it."""
        from nbgrader.plugins import CsvExportPlugin

        out = Path(out).resolve()
        out.parent.mkdir(parents=True, exist_ok=True)
        with self.gradebook() as gb:
            CsvExportPlugin(config=self.config(), to=str(out)).export(gb)
        by_cell = out.with_name(out.stem + "_by_cell.csv")
        rows = self.cell_scores()
        with by_cell.open("w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["student"])
            writer.writeheader()
            writer.writerows(rows)
        return out, by_cell

    def cell_scores(self) -> list[dict[str, Any]]:
        """One row per student, assignment and graded cell: score, max score, manual grading needed."""
        rows = []
        with self.gradebook() as gb:
            for student in gb.students:
                for assignment in gb.assignments:
                    try:
                        submission = gb.find_submission(assignment.name, student.id)
                    except Exception:  # MissingEntry: this student did not submit this assignment
                        continue
                    for notebook in submission.notebooks:
                        for grade in notebook.grades:
                            rows.append(
                                {
                                    "student": student.id,
                                    "assignment": assignment.name,
                                    "notebook": notebook.name,
                                    "grade_id": grade.name,
                                    "score": grade.score,
                                    "max_score": grade.max_score,
                                    "needs_manual_grade": grade.needs_manual_grade,
                                }
                            )
        return sorted(rows, key=lambda r: (r["student"], r["assignment"], r["notebook"], r["grade_id"]))

    # -- students (what ``nbgrader fetch_assignment`` / ``submit`` / ``fetch_feedback`` do for them) -----------
    def fetch(self, assignment: str, student: str, home: Path) -> Path:
        """Fetch ``assignment`` into the student's home; return the folder with the notebooks."""
        home.mkdir(parents=True, exist_ok=True)
        target = home / assignment
        if target.exists():
            shutil.rmtree(target)
        api = self.api(home, student_id=student, assignment_id=assignment)
        from nbgrader.exchange.default import ExchangeFetchAssignment

        app = ExchangeFetchAssignment(
            coursedir=api.coursedir, authenticator=api.authenticator, config=api.config
        )
        app.start()
        return target

    def submit(self, assignment: str, student: str, home: Path) -> None:
        """Submit the student's copy of ``assignment`` from their home to the exchange."""
        api = self.api(home, student_id=student, assignment_id=assignment)
        from nbgrader.exchange.default import ExchangeSubmit

        ExchangeSubmit(coursedir=api.coursedir, authenticator=api.authenticator, config=api.config).start()

    def fetch_feedback(self, assignment: str, student: str, home: Path) -> list[Path]:
        """Fetch the released feedback of ``assignment`` into the student's home; return the HTML files."""
        api = self.api(home, student_id=student, assignment_id=assignment)
        self.check(api.fetch_feedback(assignment, student), f"fetch_feedback {student}/{assignment}")
        return sorted((home / assignment / "feedback").rglob("*.html"))


def in_shard(student: str, shard: tuple[int, int]) -> bool:
    """Whether ``student`` belongs to shard ``(i, n)`` (1-based): a hash of the id that every machine agrees on."""
    return zlib.crc32(student.encode("utf-8")) % shard[1] == shard[0] - 1


def done_mark(course: Path, assignment: str, student: str) -> Path:
    """Where a finished grading of a submission is marked (outside the folders nbgrader copies to feedback)."""
    return Path(course) / ".graded" / assignment / f"{student}.sha256"


def submission_digest(course: Path, assignment: str, student: str) -> str:
    """A hash of the collected submission: its notebooks and nbgrader's time stamp."""
    folder = Path(course) / "submitted" / student / assignment
    digest = hashlib.sha256()
    for path in sorted([*folder.glob("*.ipynb"), folder / "timestamp.txt"]):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def grade_one(api: Any, assignment: str, student: str) -> tuple[bool, str, float]:
    """Autograde one submission with nbgrader: (success, nbgrader's log on failure, seconds). The submission is
    marked done only once nbgrader has finished with it (its sanitized notebook is written before grading, so
    the autograded folder alone does not tell a finished grading from an interrupted one)."""
    course = Path(api.coursedir.root)
    mark = done_mark(course, assignment, student)
    mark.unlink(missing_ok=True)
    digest = submission_digest(course, assignment, student)
    start = time.perf_counter()
    result = api.autograde(assignment, student, force=True, create=True)
    seconds = time.perf_counter() - start
    ok = bool(result.get("success"))
    if ok:
        mark.parent.mkdir(parents=True, exist_ok=True)
        mark.write_text(digest)
    return ok, "" if ok else result.get("log", "") + result.get("error", ""), seconds


_WORKER: dict[str, Any] = {}


def start_worker(settings: dict[str, Any]) -> None:
    """In a grading worker's process: open the classroom once (the parent has checked the sandbox)."""
    room = Classroom(**settings)
    room._sandbox_checked = True
    _WORKER["api"] = room.api()


def grade_in_worker(assignment: str, student: str) -> tuple[bool, str, float]:
    """In a grading worker's process: autograde one submission."""
    return grade_one(_WORKER["api"], assignment, student)


def read_students(path: Path) -> list[dict[str, str]]:
    """Students from a CSV with an ``id`` column (and optionally first_name, last_name, email)."""
    if not Path(path).is_file():
        raise SystemExit(
            f"no student list at '{path}': give a CSV with an 'id' column (make grade-setup STUDENTS=...)"
        )
    with Path(path).open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows or "id" not in rows[0]:
        raise SystemExit(f"{path}: expected a CSV with a header line and an 'id' column")
    return rows


def build_parser() -> argparse.ArgumentParser:
    """The command line of the instructor's steps."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__,
    )
    parser.add_argument("--course", type=Path, default=Path(os.environ.get("COURSE_DIR", ROOT)))
    parser.add_argument("--exchange", type=Path, default=os.environ.get("NBGRADER_EXCHANGE") or None)
    parser.add_argument("--db", default=os.environ.get("NBGRADER_DB_URL") or None, help="gradebook URL")
    parser.add_argument(
        "--cell-timeout", type=int, help="seconds per cell when autograding (course default: 120)"
    )
    parser.add_argument(
        "--unsafe-no-sandbox",
        action="store_true",
        default=os.environ.get("UNSAFE_NO_SANDBOX", "") not in ("", "0"),
        help="UNSAFE: autograde without the bubblewrap sandbox (submissions can read source/, other students' "
        "work and the gradebook, write the course's files, use the network); env UNSAFE_NO_SANDBOX=1",
    )
    steps = parser.add_subparsers(dest="step", required=True)
    setup = steps.add_parser("setup", help="assignments and students in the gradebook")
    setup.add_argument(
        "--students", type=Path, required=True, help="CSV with id[,first_name,last_name,email]"
    )
    for name in ("release", "collect", "autograde", "feedback"):
        step = steps.add_parser(name)
        step.add_argument("assignments", nargs="*")
        if name == "autograde":
            step.add_argument("--student", action="append", help="only this student (repeatable)")
            step.add_argument(
                "--workers", type=int, default=int(os.environ.get("WORKERS") or 1),
                help="submissions graded at a time on this machine (env WORKERS; ~800 MB each)",
            )  # fmt: skip
            step.add_argument(
                "--shard", type=parse_shard, default=os.environ.get("SHARD") or None,
                help="I/N: grade only the students of shard I of N (env SHARD), one shard per machine",
            )  # fmt: skip
            step.add_argument("--regrade", action="store_true", help="grade every submission again")
    export = steps.add_parser("export", help="grades as CSV")
    export.add_argument("--out", type=Path, default=Path("grades.csv"))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Command line for the instructor's steps."""
    args = build_parser().parse_args(argv)

    room = Classroom(args.course, args.exchange, args.db, args.cell_timeout, args.unsafe_no_sandbox)
    try:
        return run_step(room, args)
    except (GradingError, ValueError) as exc:
        print(f"{args.step}: {exc}", file=sys.stderr)
        return 2


def parse_shard(text: str) -> tuple[int, int]:
    """``I/N`` (1 <= I <= N) as a pair; argparse reports a ValueError as a bad value."""
    index, _, count = str(text).partition("/")
    shard = (int(index), int(count))
    if not 1 <= shard[0] <= shard[1]:
        raise ValueError(f"shard {text!r}: expected I/N with 1 <= I <= N, e.g. 2/4")
    return shard


def run_step(room: Classroom, args: argparse.Namespace) -> int:
    """One step of the command line; its exit status."""
    room.check_gradebook()
    if args.step == "setup":
        room.setup(read_students(args.students))
    elif args.step == "release":
        room.release(args.assignments)
    elif args.step == "collect":
        room.collect(args.assignments)
    elif args.step == "autograde":
        guard = room.grading_guard()
        try:
            print(room.check_sandbox())
        except guard.SandboxUnavailable as exc:
            print(f"autograde: not started. {exc}", file=sys.stderr)
            return 2
        shard = parse_shard(args.shard) if isinstance(args.shard, str) else args.shard
        failures = room.autograde(
            args.assignments, args.student, workers=args.workers, regrade=args.regrade, shard=shard
        )
        for name, log in failures.items():
            print(f"--- {name}\n{log}", file=sys.stderr)
        lost = sorted(name for name, log in failures.items() if log == LOST)
        if lost:
            print(f"autograde: {len(lost)} submission(s) not graded: {LOST}", file=sys.stderr)
        if failures:
            return 1
    elif args.step == "feedback":
        room.feedback(args.assignments)
    elif args.step == "export":
        totals, by_cell = room.export(args.out)
        print(f"wrote {totals} and {by_cell}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
