"""The authoring files in course/ and the notebooks built from them (tools/build.py).

- every lesson and exercise has exactly one authoring file, and its notebook is what the file builds;
- cell ids and grade ids survive a cell inserted above them and an edited text;
- `python -m tools.build --check` (what `make lint` runs) writes nothing and names the file to edit;
- JupyterLab's contents manager (jupytext's) opens an authoring file as a notebook with its nbgrader
  metadata, and saving it back changes nothing but what was edited.
"""

from __future__ import annotations

import asyncio
import inspect
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

from tools import build

ROOT = Path(__file__).resolve().parent.parent


def copy_course(tmp: Path) -> Path:
    """A copy of the course's authoring files and built notebooks (both editions) under ``tmp``."""
    for folder in ("course", "notebooks", "source", "fr/notebooks", "fr/source"):
        shutil.copytree(ROOT / folder, tmp / folder)
    return tmp


def ids(path: Path) -> list[tuple[str, str | None]]:
    """(cell id, grade id) of every cell of a built notebook."""
    nb = nbformat.read(path, as_version=4)
    return [(c.id, c.metadata.get("nbgrader", {}).get("grade_id")) for c in nb.cells]


def test_every_notebook_has_one_authoring_file() -> None:
    lessons = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
    sources = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir())
    assert build.lessons() == lessons and lessons, f"lessons {build.lessons()} against notebooks {lessons}"
    assert build.assignments() == sources and sources, f"exercises {build.assignments()} against {sources}"


def test_notebooks_are_what_their_files_build() -> None:
    stale = [f"{out.relative_to(ROOT)} (from {src.relative_to(ROOT)})" for src, out, _lang in build.stale()]
    assert not stale, f"stale notebooks: {stale}: run `make build`"


def test_ids_survive_an_inserted_cell_and_an_edited_text(tmp_path: Path) -> None:
    root = copy_course(tmp_path)
    before = {out: ids(out) for _, out, _lang in build.pairs(root)}
    for src in {src for src, _, _lang in build.pairs(root)}:
        text = src.read_text(encoding="utf-8")
        header_end = text.index("# ---\n", 4) + len("# ---\n")
        inserted = (
            '\n# %% [markdown] id="inserted-note"\n# A note added above every other cell.\n'
            '\n# %% [markdown] lang="fr"\n# Une note ajoutée au-dessus de toutes les autres.\n'
        )
        edited = text[header_end:].replace("# #", "# # Edited:", 1)  # the first heading's text changes
        src.write_text(text[:header_end] + inserted + edited, encoding="utf-8")
    assert len(build.write(root)) == len(before)
    for out, old in before.items():
        new = ids(out)
        assert new[0] == ("inserted-note", None), f"{out.name}: the inserted cell comes first"
        assert new[1:] == old, f"{out.name}: ids changed after inserting a cell and editing a heading"


def test_a_cell_without_id_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "lesson.py"
    path.write_text('# %% id="setup"\nx = 1\n\n# %% [markdown]\n# A new paragraph\n', encoding="utf-8")
    with pytest.raises(build.AuthoringError, match=r"cell 2 \('A new paragraph'\) has no id.*# %% id="):
        build.notebook(path)


def test_two_cells_with_one_id_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "lesson.py"
    path.write_text('# %% id="a"\nx = 1\n\n# %% id="a"\ny = 2\n', encoding="utf-8")
    with pytest.raises(build.AuthoringError, match="cells 1 and 2 share the id 'a'"):
        build.notebook(path)


def test_check_writes_nothing_and_names_the_file_to_edit(tmp_path: Path) -> None:
    root = copy_course(tmp_path)
    src = root / "course" / "lessons" / "03_dropout.py"
    src.write_text(src.read_text(encoding="utf-8").replace("Dropout", "Drop-out", 1), encoding="utf-8")
    before = {p: p.read_bytes() for p in root.rglob("*.ipynb")}
    done = subprocess.run(
        [sys.executable, "-m", "tools.build", "--check", "--root", str(root)],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "notebooks/03_dropout.ipynb differs from course/lessons/03_dropout.py" in done.stderr
    assert "make build" in done.stderr
    assert {p: p.read_bytes() for p in root.rglob("*.ipynb")} == before, "--check wrote a notebook"


def _sync(value):
    """The value of a contents-manager call, awaited when the manager is asynchronous."""
    return asyncio.run(value) if inspect.isawaitable(value) else value


@pytest.mark.parametrize("name", ["exercises/02_regularizers.py", "lessons/04_batch_normalization.py"])
def test_jupyterlab_opens_and_saves_an_authoring_file_as_a_notebook(tmp_path: Path, name: str) -> None:
    """JupyterLab reads and writes files through jupytext's contents manager (installed with the course)."""
    shutil.copy(ROOT / "course" / name, tmp_path / "file.py")
    manager = jupytext.TextFileContentsManager(root_dir=str(tmp_path))
    nb = _sync(manager.get("file.py", type="notebook"))["content"]
    built = build.notebook(ROOT / "course" / name)
    english = [c for c in nb.cells if "lang" not in c.metadata]  # the French twins show as cells of their own
    assert len(english) < len(nb.cells), "the file opens without its French twins"
    assert [c.source for c in english] == [c.source for c in built.cells]
    assert [c.metadata.get("nbgrader") for c in english] == [c.metadata.get("nbgrader") for c in built.cells]
    _sync(manager.save({"type": "notebook", "content": nb}, "file.py"))
    assert (tmp_path / "file.py").read_text() == (ROOT / "course" / name).read_text(), (
        "a save changed the file"
    )
    if not name.startswith("exercises/"):
        return
    # What the Create Assignment toolbar does: edit a cell's nbgrader metadata, then save.
    graded = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade"))
    graded.metadata["nbgrader"]["points"] = 7
    _sync(manager.save({"type": "notebook", "content": nb}, "file.py"))
    rebuilt = build.notebook(tmp_path / "file.py")
    changed = next(c for c in rebuilt.cells if c.id == graded.metadata["nbgrader"]["grade_id"])
    assert changed.metadata["nbgrader"]["points"] == 7


HEADING = re.compile(r"^(#+) .*\((\d+(?:\.\d+)?) points?\)\s*$")


def announced_points(nb: nbformat.NotebookNode) -> list[tuple[str, float, float]]:
    """(heading, points it announces, points of the grade cells below it up to the next heading as high)."""
    sections: list[list] = []
    for cell in nb.cells:
        first = cell.source.splitlines()[0] if cell.source else ""
        level = len(first) - len(first.lstrip("#")) if cell.cell_type == "markdown" else 0
        if level and first[level : level + 1] == " ":
            for section in sections:
                if level <= section[3]:
                    section[3] = 0  # closed: later cells no longer count towards it
            match = HEADING.match(first)
            if match:
                sections.append([first, float(match.group(2)), 0.0, level])
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            for section in sections:
                if section[3]:
                    section[2] += float(meta.get("points", 0))
    return [(heading, said, found) for heading, said, found, _ in sections]


@pytest.mark.parametrize("lang", build.LANGUAGES)
@pytest.mark.parametrize("name", build.assignments())
def test_points_in_headings_are_the_cells_points(name: str, lang: str) -> None:
    announced = announced_points(build.notebook(ROOT / "course" / "exercises" / f"{name}.py", lang))
    for heading, said, found in announced:
        assert said == found, (
            f"{name} ({lang}): {heading!r} announces {said:g} points, its cells carry {found:g}"
        )


def test_points_heading_check_can_fail() -> None:
    nb = nbformat.v4.new_notebook()
    grade = {"nbgrader": {"grade": True, "points": 2}}
    nb.cells = [
        nbformat.v4.new_markdown_cell("## 1.1 A function (3 points)"),
        nbformat.v4.new_code_cell("assert True", metadata=grade),
        nbformat.v4.new_markdown_cell("## 1.2 Another (2 points)"),
        nbformat.v4.new_code_cell("assert True", metadata=grade),
    ]
    assert announced_points(nb) == [
        ("## 1.1 A function (3 points)", 3, 2),
        ("## 1.2 Another (2 points)", 2, 2),
    ]


HINT = re.compile(r"<details><summary>(?:Hint|Indice) (\d)</summary>\n\n(.*?)\n\n</details>", re.S)
SOLUTION = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*$(.*?)^[ \t]*### END SOLUTION", re.M | re.S)


def _normal(text: str) -> str:
    """Text without spaces, quotes and backticks, for comparing code written in prose and in code."""
    return re.sub(r"[\s`'\"]", "", text)


def hint_problems(nb: nbformat.NotebookNode, functions: list[str]) -> list[str]:
    """What is wrong with the hints of ``functions``: missing, not collapsed, too many, or giving a solution line."""
    solution_lines = {
        _normal(line)
        for cell in nb.cells
        for region in SOLUTION.findall(cell.source)
        for line in region.splitlines()
        if len(_normal(line)) >= 12
    }
    order = [c.id for c in nb.cells]
    problems = []
    for name in functions:
        cell = next((c for c in nb.cells if c.id == f"hint-{name}"), None)
        if cell is None:
            problems.append(f"{name}: no hint cell (grade_id hint-{name})")
            continue
        hints = HINT.findall(cell.source)
        if not 1 <= len(hints) <= 2 or "<details open" in cell.source:
            problems.append(f"{name}: {len(hints)} collapsed hint(s), one or two expected")
        if name in order and order.index(cell.id) > order.index(name):
            problems.append(f"{name}: the hint comes after the answer cell")
        text = _normal(cell.source)
        problems += [
            f"{name}: a hint gives the solution line {line!r}" for line in solution_lines if line in text
        ]
    return problems


@pytest.mark.parametrize("lang", build.LANGUAGES)
@pytest.mark.parametrize("name", build.assignments())
def test_every_graded_function_offers_hints_without_its_solution(name: str, lang: str) -> None:
    functions = [n for n in build.answer_names(name) if not re.fullmatch(r"q\d+", n)]
    nb = build.notebook(ROOT / "course" / "exercises" / f"{name}.py", lang)
    problems = hint_problems(nb, functions)
    assert not problems, "\n".join(problems)
    released = nbformat.read(build.edition(ROOT, lang) / "release" / name / f"{name}.ipynb", as_version=4)
    shown = {c.id for c in released.cells}
    assert {f"hint-{f}" for f in functions} <= shown, f"release/{name} lacks hint cells: run `make build`"


def test_a_hint_that_gives_the_solution_is_caught() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "<details><summary>Hint 1</summary>\n\nTry `return float(x * 2)`.\n\n</details>"
        ),
        nbformat.v4.new_code_cell(
            "def f(x):\n    ### BEGIN SOLUTION\n    return float(x * 2)\n    ### END SOLUTION"
        ),
    ]
    nb.cells[0].id, nb.cells[1].id = "hint-f", "f"
    assert hint_problems(nb, ["f"]) == ["f: a hint gives the solution line 'returnfloat(x*2)'"]
    assert hint_problems(nb, ["g"]) == ["g: no hint cell (grade_id hint-g)"]


def test_the_course_jupyterlab_opens_authoring_files_as_notebooks() -> None:
    """jupytext's server extension (installed with the course) is what lets JupyterLab open a script as a notebook."""
    listed = subprocess.run(
        [sys.executable, "-m", "jupyter", "server", "extension", "list"], capture_output=True, text=True
    )
    text = re.sub(r"\x1b\[[0-9;]*m", "", listed.stdout + listed.stderr)
    assert re.search(r"jupyterlab_jupytext\s+enabled", text), text


# --- the French edition: twin cells ------------------------------------------------------------------------

TWINNED = """# %% id="setup"
from helpers.setup import setup_notebook

setup_notebook(seed=3)

# %% [markdown] id="intro" nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Overfitting

# %% [markdown] lang="fr"
# # Le surapprentissage

# %% id="code"
x = 1  # code exists once
"""


def test_a_french_twin_replaces_the_text_and_keeps_the_cell(tmp_path: Path) -> None:
    path = tmp_path / "lesson.py"
    path.write_text(TWINNED, encoding="utf-8")
    en, fr = build.notebook(path, "en"), build.notebook(path, "fr")
    assert [c.id for c in en.cells] == [c.id for c in fr.cells] == ["setup", "intro", "code"]
    assert en.cells[1].source == "# Overfitting" and fr.cells[1].source == "# Le surapprentissage"
    assert (
        en.cells[1].metadata == fr.cells[1].metadata
        and fr.cells[1].metadata["nbgrader"]["grade_id"] == "intro"
    )
    assert 'setup_notebook(seed=3, lang="fr")' in fr.cells[0].source
    assert en.cells[0].source == TWINNED.split("\n\n# %% [markdown]")[0].split("\n", 1)[1].strip()
    assert fr.cells[2].source == en.cells[2].source
    assert fr.metadata["course"] == {"lang": "fr"} and "course" not in en.metadata
    assert build.untranslated(path) == []


@pytest.mark.parametrize(
    ("edit", "error"),
    [
        (
            lambda t: t.replace('# %% [markdown] lang="fr"\n# # Le surapprentissage\n\n', ""),
            "without a fr twin",
        ),
        (
            lambda t: t.replace(
                "x = 1  # code", '# %% [markdown] lang="fr"\n# Encore\n\n# %% id="y"\nx = 1  # code'
            ),
            "right after the one English markdown cell",
        ),
        (
            lambda t: t.replace(
                "# # Le surapprentissage\n", '# # Le surapprentissage\n\n# %% [markdown] lang="fr"\n# Bis\n'
            ),
            "right after the one English markdown cell",
        ),
        (lambda t: t.replace('lang="fr"', 'lang="de"'), "right after the one English markdown cell"),
        (lambda t: t.replace("setup_notebook(seed=3)", "print(3)"), "no set-up cell"),
    ],
    ids=["missing-twin", "twin-of-code", "two-twins", "unknown-language", "no-setup"],
)
def test_a_broken_twin_is_refused_with_the_rule(tmp_path: Path, edit, error: str) -> None:
    path = tmp_path / "lesson.py"
    path.write_text(edit(TWINNED), encoding="utf-8")
    with pytest.raises(build.AuthoringError, match=error):
        build.notebook(path, "fr")


def test_untranslated_names_the_cells_without_a_twin(tmp_path: Path) -> None:
    path = tmp_path / "lesson.py"
    path.write_text(TWINNED + '\n# %% [markdown] id="outro"\n# The end\n', encoding="utf-8")
    assert build.untranslated(path) == ["outro"]


@pytest.mark.parametrize(
    "src", [src for src, _, _lang in build.pairs()], ids=lambda p: f"{p.parent.name}-{p.stem}"
)
def test_every_markdown_cell_has_its_french_twin(src: Path) -> None:
    missing = build.untranslated(src)
    assert not missing, f"{src.relative_to(ROOT)}: markdown cells without a French twin: {missing}"
