"""The instructor's grading run with nbgrader, one step at a time or end to end.

    python -m tools.classroom setup --students students.csv   # gradebook: assignments and students
    python -m tools.classroom release [ASSIGNMENT ...]        # generate_assignment + release to the exchange
    python -m tools.classroom collect [ASSIGNMENT ...]        # submissions from the exchange into submitted/
    python -m tools.classroom autograde [ASSIGNMENT ...]      # grade every collected submission, timed
    python -m tools.classroom feedback [ASSIGNMENT ...]       # generate_feedback + release_feedback
    python -m tools.classroom export [--out grades.csv]       # totals (nbgrader's CSV) and scores per test cell

Options (before the step): ``--course DIR`` nbgrader's course folder (default: this repository, whose
``source/`` holds the assignments), ``--exchange DIR`` the local exchange (default ``<course>/exchange``; any
folder works offline), ``--db URL`` the gradebook (default ``sqlite:///<course>/gradebook.db``; any SQLAlchemy
URL). Students fetch and submit with nbgrader's own commands (``nbgrader fetch_assignment``, ``submit``); this
module can also act for them (``Classroom.fetch`` / ``submit``), which the class test uses. Manual grading of
the written answers happens in between, in JupyterLab's Formgrader (Nbgrader menu), started in the course folder.
The kernels that run submissions are sandboxed and limited as ``nbgrader_config.py`` and
``tools/grading_kernel.py`` say: ``autograde`` first checks that the sandbox (bubblewrap) starts here and stops
with the cause and the fix when it does not, unless ``--unsafe-no-sandbox`` is given (UNSAFE: submissions can
then read the course's files and the gradebook, and use the network).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.build_assignments import ROOT, assignment_ids, load_config, venv_on_path

STUDENT_FIELDS = ("id", "first_name", "last_name", "email")
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
    def setup(self, students: list[dict[str, str]], ids: list[str] | None = None) -> None:
        """Create the assignments and students in the gradebook (idempotent)."""
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

    def autograde(self, ids: list[str] | None = None, students: list[str] | None = None) -> dict[str, str]:
        """Autograde every collected submission, one at a time, timing each; return failures by submission.

        A failure of one submission is logged and the run goes on with the next one. Nothing is graded when
        the sandbox cannot start (``check_sandbox`` raises).
        """
        if not self._sandbox_checked:
            self.check_sandbox()
        api = self.api()
        failures = {}
        for assignment in self.assignments(ids):
            for student in students or self.submitted_students(assignment):
                start = time.perf_counter()
                result = api.autograde(assignment, student, force=True, create=True)
                self.timings[(assignment, student)] = time.perf_counter() - start
                if not result.get("success"):
                    failures[f"{student}/{assignment}"] = result.get("log", "") + result.get("error", "")
                    print(f"autograde {student}/{assignment} FAILED (see the log below)", file=sys.stderr)
                else:
                    print(f"autograded {student}/{assignment} in {self.timings[(assignment, student)]:.1f} s")
        return failures

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


def main(argv: list[str] | None = None) -> int:
    """Command line for the instructor's steps."""
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
    export = steps.add_parser("export", help="grades as CSV")
    export.add_argument("--out", type=Path, default=Path("grades.csv"))
    args = parser.parse_args(argv)

    room = Classroom(args.course, args.exchange, args.db, args.cell_timeout, args.unsafe_no_sandbox)
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
        failures = room.autograde(args.assignments, args.student)
        for name, log in failures.items():
            print(f"--- {name}\n{log}", file=sys.stderr)
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
