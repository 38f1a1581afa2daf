"""The nbgrader assignments, checked through nbgrader itself (``nbgrader validate`` exits 0 even when tests fail).

For every ``source/NN_name/NN_name.ipynb``:
- metadata: valid notebook and nbgrader schema, python3 kernelspec, cell ids, unique grade ids, points on every
  grade cell, each test cell named ``test_<name>`` after a function (or quiz variable) of an answer cell, the
  course's graded names all present and tested, consistent checksums in the release;
- release/: up to date with source/, stored without outputs, no solution or hidden test leaked;
- autograded (slow): the source passes every test cell (hidden ones included) with nothing on stderr; the blank
  release, graded like a real submission (hidden tests restored), fails every test cell with a readable
  message; the release filled with the source's solutions passes every test cell.

Both editions are checked alike: the English course at the top of the repository and the French one under
``fr/`` (same assignment ids and grade ids, French text). One temporary course folder and gradebook per edition
serve the whole module (per process: ``make assignments`` spreads the tests over two).
"""

from __future__ import annotations

import ast
import filecmp
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from tools.build_assignments import assignment_ids, build
from tools.classroom import Classroom

ROOT = Path(__file__).resolve().parent.parent

IDS = assignment_ids(ROOT)
# Each edition's course folder: the English one, and the French one when it has been built.
EDITIONS = {"en": ROOT, **({"fr": ROOT / "fr"} if (ROOT / "fr" / "source").is_dir() else {})}
CASES = [pytest.param(edition, a, id=f"{edition}-{a}") for edition in EDITIONS for a in IDS]
# The graded names that COURSE_SPEC.md fixes for each assignment (others may be added).
SPEC_NAMES = {
    "01_overfitting": ["generalization_gap", "best_epoch", "diagnose_fit"],
    "02_regularizers": [
        "l1_penalty",
        "l2_penalty",
        "elastic_net_penalty",
        "build_regularized_model",
        "build_penalized_layer",
        "sparsity",
    ],
    "03_dropout": ["dropout_forward", "build_dropout_model", "mc_dropout_predict"],
    "04_batch_normalization": ["batchnorm_forward", "update_moving_average", "build_batchnorm_model"],
    "05_in_practice": ["build_model", "build_tuned_model"],
    "06_monitoring": ["make_early_stopping", "summarize_runs"],
    "07_quiz": ["q1", "q2", "q3", "q4", "q5", "q6"],
}
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "BEGIN MARK SCHEME")
REGION = re.compile(r"^[ \t]*### BEGIN (SOLUTION|HIDDEN TESTS)[ \t]*$(.*?)^[ \t]*### END \1", re.M | re.S)
# A leaked line must be long enough to be telling (``return model`` may well appear in a lesson sentence).
MIN_LEAK_CHARS = 12
TIMINGS: dict[str, float] = {}


def nbg(cell: nbformat.NotebookNode) -> dict:
    """The cell's nbgrader metadata (empty when it has none)."""
    return cell.metadata.get("nbgrader", {})


def is_test(cell: nbformat.NotebookNode) -> bool:
    """An autograder test cell: graded, not an answer."""
    return bool(nbg(cell).get("grade")) and not nbg(cell).get("solution")


def is_answer(cell: nbformat.NotebookNode) -> bool:
    """A cell the learner writes in."""
    return bool(nbg(cell).get("solution"))


def read(folder: str, assignment: str, edition: str = "en") -> nbformat.NotebookNode:
    """A committed notebook of the course (of ``edition``)."""
    path = EDITIONS[edition] / folder / assignment / f"{assignment}.ipynb"
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing: run `make build`"
    return nbformat.read(path, as_version=4)


def answer_names(nb: nbformat.NotebookNode) -> set[str]:
    """Top-level functions and variables that the answer cells define (markers are comments, so it parses)."""
    names: set[str] = set()
    for cell in nb.cells:
        if cell.cell_type != "code" or not is_answer(cell):
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.FunctionDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def strip_solution_markers(source: str) -> str:
    """An answer cell's source as a learner would write it: the solution without nbgrader's marker lines."""
    return "\n".join(
        line
        for line in source.splitlines()
        if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line
    )


def telling(lines: str) -> set[str]:
    """The lines of a text long enough to identify it."""
    return {s for s in (line.strip() for line in lines.splitlines()) if len(s) >= MIN_LEAK_CHARS}


def is_readable(output: dict) -> bool:
    """A readable failure: an AssertionError whose message is a sentence (at least four words, no traceback),
    not a bare ``assert`` nor a NameError or NotImplementedError traceback."""
    message = str(output.get("evalue", ""))
    return (
        output.get("ename") == "AssertionError" and len(message.split()) >= 4 and "Traceback" not in message
    )


@pytest.fixture(scope="module")
def rooms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Classroom]:
    """Per edition, made when first needed: a temporary course folder (copy of its source/) with its gradebook
    and generated assignments."""

    class Rooms(dict):
        def __missing__(self, edition: str) -> Classroom:
            course = tmp_path_factory.mktemp(f"course-{edition}")
            shutil.copytree(EDITIONS[edition] / "source", course / "source")
            classroom = Classroom(course, exchange=course / "exchange")
            classroom.generate(IDS)
            self[edition] = classroom
            return classroom

    return Rooms()


def graded(room: Classroom, assignment: str, student: str, nb: nbformat.NotebookNode) -> dict:
    """Autograde ``nb`` as a submission and time it (each autograde must fit the notebook budget)."""
    start = time.perf_counter()
    result = room.grade_notebook(assignment, student, nb)
    TIMINGS[f"{room.course.name}: {assignment} ({student})"] = seconds = time.perf_counter() - start
    assert seconds < 900, f"autograding {assignment} ({student}) used up the notebook time budget"
    return result


def test_there_are_assignments() -> None:
    assert IDS, "no source/NN_name/NN_name.ipynb found"


@pytest.mark.parametrize(("edition", "assignment"), CASES)
def test_metadata(edition: str, assignment: str) -> None:
    from nbgrader.nbgraderformat import MetadataValidator

    source = read("source", assignment, edition)
    for folder in ("source", "release", "solutions"):
        if folder == "solutions" and not (EDITIONS[edition] / folder / assignment).exists():
            continue
        nb = read(folder, assignment, edition)
        path = f"{folder}/{assignment}"
        nbformat.validate(nb)
        MetadataValidator().validate_nb(nb)
        assert (nb.nbformat, nb.nbformat_minor) >= (4, 5), f"{path}: nbformat 4.5 needed for cell ids"
        ids = [cell.get("id") for cell in nb.cells]
        assert all(ids) and len(set(ids)) == len(ids), f"{path}: every cell needs a unique id"
        spec = nb.metadata.get("kernelspec", {})
        assert spec.get("name") == "python3" and spec.get("language") == "python", (
            f"{path}: kernelspec {spec}"
        )

    grade_ids = [nbg(c)["grade_id"] for c in source.cells if nbg(c).get("grade_id")]
    assert len(set(grade_ids)) == len(grade_ids), f"duplicate grade ids: {sorted(grade_ids)}"
    names = answer_names(source)
    tested = set()
    for cell in source.cells:
        if nbg(cell).get("grade"):
            assert nbg(cell).get("points", 0) > 0, f"grade cell {nbg(cell)['grade_id']} has no points"
        if is_test(cell):
            grade_id = nbg(cell)["grade_id"]
            owner = [n for n in names if grade_id == f"test_{n}" or grade_id.startswith(f"test_{n}_")]
            assert owner, f"test cell {grade_id} is not named test_<name> after an answer cell's function"
            tested |= set(owner)
    missing = [n for n in SPEC_NAMES.get(assignment, []) if n not in names]
    assert not missing, f"graded names of the course spec not defined in an answer cell: {missing}"
    untested = [n for n in SPEC_NAMES.get(assignment, []) if n not in tested]
    assert not untested, f"graded names without a test cell: {untested}"

    from nbgrader.utils import compute_checksum

    for cell in read("release", assignment, edition).cells:
        if "checksum" in nbg(cell):
            assert nbg(cell)["checksum"] == compute_checksum(cell), (
                f"stale checksum in {nbg(cell)['grade_id']}"
            )


@pytest.mark.parametrize(("edition", "assignment"), CASES)
def test_release_has_no_solutions_or_hidden_tests(edition: str, assignment: str) -> None:
    source, release = read("source", assignment, edition), read("release", assignment, edition)
    raw = (EDITIONS[edition] / "release" / assignment / f"{assignment}.ipynb").read_text()
    for marker in MARKERS:
        assert marker not in raw, f"release/{assignment} still contains '{marker}'"
    secret: set[str] = set()
    public: set[str] = set()
    for cell in source.cells:
        regions = [m.group(2) for m in REGION.finditer(cell.source)]
        if not regions and cell.cell_type == "markdown" and is_answer(cell):
            regions = [cell.source]  # a model answer to a written question, replaced as a whole
            public_text = ""
        else:
            public_text = REGION.sub("", cell.source)
        for region in regions:
            secret |= telling(region)
        public |= telling(public_text)
    shown = set().union(*(telling(c.source) for c in release.cells))
    leaked = sorted((secret - public) & shown)
    assert not leaked, f"release/{assignment} shows solution or hidden-test lines: {leaked[:5]}"


@pytest.mark.parametrize("folder", ["source", "release"])
@pytest.mark.parametrize(("edition", "assignment"), CASES)
def test_assignment_folder_holds_only_the_notebook(folder: str, edition: str, assignment: str) -> None:
    """nbgrader copies every file of source/<id>/ into release/<id>/: nothing but the notebook may sit there."""
    where = EDITIONS[edition] / folder / assignment
    found = sorted(str(p.relative_to(where)) for p in where.rglob("*"))
    assert found == [f"{assignment}.ipynb"], (
        f"{folder}/{assignment} holds {found}: only {assignment}.ipynb belongs there (learners receive every file "
        "of source/<assignment>/; keep solutions and instructor files elsewhere)"
    )


@pytest.mark.parametrize("edition", list(EDITIONS))
def test_release_is_up_to_date(edition: str, tmp_path: Path) -> None:
    """release/ is exactly what tools/build_assignments.py generates from source/ (solutions: `make drift`)."""
    shutil.copytree(EDITIONS[edition] / "source", tmp_path / "source")
    build(tmp_path, "release", IDS)
    cmp = filecmp.dircmp(tmp_path / "release", EDITIONS[edition] / "release")
    stale = []

    def walk(d: filecmp.dircmp, prefix: str) -> None:
        stale.extend(f"{prefix}{n}" for n in d.left_only + d.right_only + d.diff_files + d.funny_files)
        for name, sub in d.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(cmp, "release/")
    assert not stale, f"{stale} differ from what source/ generates: run `make release`"


@pytest.mark.parametrize(("edition", "assignment"), CASES)
def test_solutions_show_no_error_and_nothing_on_stderr(edition: str, assignment: str) -> None:
    """The executed solutions a learner reads: every cell ran, none failed or wrote to stderr (make drift
    re-executes them and requires these very outputs)."""
    nb = read("solutions", assignment, edition)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert code and all(c.execution_count for c in code), (
        f"{edition} solutions/{assignment}: cells not executed"
    )
    bad = [
        (nbg(c).get("grade_id") or c.id, o.get("ename") or o.get("name"))
        for c in code
        for o in c.outputs
        if o.output_type == "error" or (o.output_type == "stream" and o.get("name") == "stderr")
    ]
    assert not bad, f"{edition} solutions/{assignment}: errors or stderr in {bad}"


@pytest.mark.parametrize("folder", ["notebooks", "source", "release"])
@pytest.mark.parametrize("edition", list(EDITIONS))
def test_stored_without_outputs(edition: str, folder: str) -> None:
    paths = [str(p) for p in sorted((EDITIONS[edition] / folder).rglob("*.ipynb"))]
    assert paths, f"no notebooks in {(EDITIONS[edition] / folder).relative_to(ROOT)}"
    done = subprocess.run(
        [sys.executable, "-m", "nbstripout", "--verify", "--keep-id", *paths], capture_output=True, text=True
    )
    assert done.returncode == 0, f"notebooks with outputs: {done.stdout}{done.stderr}"


@pytest.mark.slow
@pytest.mark.parametrize(("edition", "assignment"), CASES)
def test_source_passes_every_test(rooms: dict[str, Classroom], edition: str, assignment: str) -> None:
    room = rooms[edition]
    cells = graded(room, assignment, "source-solution", read("source", assignment, edition))
    for grade_id, cell in cells.items():
        if not cell["auto"]:
            continue
        stderr = [o.get("text") for o in cell["outputs"] if o.get("name") == "stderr"]
        errors = [f"{o['ename']}: {o['evalue']}" for o in cell["outputs"] if o["output_type"] == "error"]
        assert not stderr, f"{grade_id} writes to stderr (scores 0 in nbgrader): {stderr}"
        assert not errors, f"{grade_id} fails on the solution: {errors}"
        assert cell["score"] == cell["max_score"], f"{grade_id}: {cell['score']} of {cell['max_score']}"
    nb = nbformat.read(room.course / "autograded" / "source-solution" / assignment / f"{assignment}.ipynb", 4)
    broken = [
        (i, o["ename"])
        for i, c in enumerate(nb.cells)
        for o in c.get("outputs", [])
        if o.output_type == "error"
    ]
    assert not broken, f"cells of the solution raise: {broken}"


@pytest.mark.slow
@pytest.mark.parametrize(("edition", "assignment"), CASES)
def test_blank_release_fails_every_test_readably(
    rooms: dict[str, Classroom], edition: str, assignment: str
) -> None:
    cells = graded(rooms[edition], assignment, "blank", read("release", assignment, edition))
    tests = {g: c for g, c in cells.items() if c["auto"]}
    assert tests, "no test cell graded"
    for grade_id, cell in tests.items():
        assert cell["score"] == 0, f"{grade_id} gives {cell['score']} points to a blank notebook"
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        assert errors, f"{grade_id} fails without an error output"
        assert is_readable(errors[0]), (
            f"{grade_id} fails with `{errors[0]['ename']}: {errors[0]['evalue']}`; expected an AssertionError with "
            "a sentence telling the learner what to do"
        )


@pytest.mark.slow
@pytest.mark.parametrize(("edition", "assignment"), CASES)
def test_release_filled_with_solutions_passes(
    rooms: dict[str, Classroom], edition: str, assignment: str
) -> None:
    source = {nbg(c)["grade_id"]: c for c in read("source", assignment, edition).cells if is_answer(c)}
    nb = read("release", assignment, edition)
    for cell in nb.cells:
        if is_answer(cell):
            cell.source = strip_solution_markers(source[nbg(cell)["grade_id"]].source)
    cells = graded(rooms[edition], assignment, "filled", nb)
    failing = {
        g: [f"{o['ename']}: {o['evalue']}" for o in c["outputs"] if o["output_type"] == "error"]
        or c["outputs"]
        for g, c in cells.items()
        if c["auto"] and c["score"] != c["max_score"]
    }
    assert not failing, f"the release filled with the solutions loses points: {failing}"


@pytest.mark.slow
def test_grading_time_report() -> None:
    """Prints the time of every autograde this process ran (shown with -rA; each is checked where it runs)."""
    if not TIMINGS:
        pytest.skip("no notebook was autograded in this process")
    width = max(map(len, TIMINGS))
    print("\n".join(f"{name:<{width}}  {seconds:6.1f} s" for name, seconds in TIMINGS.items()))
    assert all(seconds < 900 for seconds in TIMINGS.values())
