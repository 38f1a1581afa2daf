"""The maintainer walkthroughs of README.md, performed on a temporary copy of the course.

1. Fix a typo in a lesson: edit its authoring file, `make build`, `make lint`.
2. Add a hidden test to an exercise: one new cell in its authoring file (and the points in its heading),
   `make build ASSIGNMENTS=...`, `make points-table`, `make lint`, then `make assignments ASSIGNMENTS=...`
   (tests/test_assignments.py on that assignment: the source passes the new test, the blank release fails it).

Each step is the command the README gives; the copy shares this checkout's .venv (make is told not to
rebuild it). Afterwards exactly the files the walkthrough names have changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

NEW_HIDDEN_TEST = '''
# %% nbgrader={"grade": true, "grade_id": "test_l1_penalty_hidden_negative", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Hidden test of l1_penalty: weights that are all negative."""
### BEGIN HIDDEN TESTS
import importlib

grading = importlib.reload(importlib.import_module("helpers.grading")).fresh()

assert grading.check_l1_penalty(lambda w, f: l1_penalty(-abs(w), f), seed=5, shapes=[(4, 4)], factors=(0.5,))
### END HIDDEN TESTS
'''


def course_copy(dest: Path) -> Path:
    """The checkout's files (tracked, or new and not ignored) copied to ``dest``, with this .venv linked in."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split("\0")  # fmt: skip
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    (dest / ".venv").symlink_to(ROOT / ".venv")
    return dest


def make(root: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    """``make`` in the copy, without rebuilding the shared environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "PYTEST"))}
    done = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", *args],
        cwd=root, capture_output=True, text=True, timeout=timeout, env=env,
    )  # fmt: skip
    assert done.returncode == 0, (
        f"make {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done


def digests(root: Path) -> dict[str, str]:
    """Hash of every file of the copy (its .venv and build products aside)."""
    skip = {".venv", "build", ".pytest_cache", ".ruff_cache", "__pycache__"}
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file() and not skip & set(p.relative_to(root).parts)
    }


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    """Files added, removed or modified between two ``digests``."""
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return course_copy(tmp_path_factory.mktemp("course"))


def test_fix_a_typo_in_a_lesson(course: Path) -> None:
    src = course / "course" / "lessons" / "03_dropout.py"
    text = src.read_text(encoding="utf-8")
    assert "# # Lesson 3" in text
    before = digests(course)
    src.write_text(text.replace("# # Lesson 3", "# # Lesson 3 (fixed)", 1), encoding="utf-8")
    make(course, "build")
    make(course, "lint")
    assert changed(before, digests(course)) == {"course/lessons/03_dropout.py", "notebooks/03_dropout.ipynb"}
    assert "# Lesson 3 (fixed)" in (course / "notebooks" / "03_dropout.ipynb").read_text()


def test_add_a_hidden_test_to_an_exercise(course: Path) -> None:
    name = "02_regularizers"
    src = course / "course" / "exercises" / f"{name}.py"
    before = digests(course)
    text = src.read_text(encoding="utf-8")
    anchor = text.index("### END HIDDEN TESTS\n", text.index('"grade_id": "test_l1_penalty_hidden"'))
    anchor += len("### END HIDDEN TESTS\n")
    headings = [
        "## 2.1 - 2.3 The penalties in NumPy (9 points)",
        "## 2.1 - 2.3 Les pénalités en NumPy (9 points)",
    ]
    assert all(heading in text for heading in headings)
    text = text[:anchor] + NEW_HIDDEN_TEST + text[anchor:]
    for heading in headings:  # the English heading and its French twin
        text = text.replace(heading, heading.replace("(9 points)", "(10 points)"))
    src.write_text(text, encoding="utf-8")
    make(course, "build", f"ASSIGNMENTS={name}")
    make(course, "points-table")
    make(course, "lint")
    assert changed(before, digests(course)) == {
        f"course/exercises/{name}.py",
        f"source/{name}/{name}.ipynb",
        f"release/{name}/{name}.ipynb",
        f"solutions/{name}/{name}.ipynb",
        f"fr/source/{name}/{name}.ipynb",
        f"fr/release/{name}/{name}.ipynb",
        f"fr/solutions/{name}/{name}.ipynb",
        "README.md",
    }
    released = nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4)
    cell = next(c for c in released.cells if c.id == "test_l1_penalty_hidden_negative")
    assert "abs(w)" not in cell.source, "the hidden test shows in the release"
    checks = make(course, "assignments", f"ASSIGNMENTS={name}")
    assert " passed" in checks.stdout and "failed" not in checks.stdout
