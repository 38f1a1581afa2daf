"""The course's messages in French: gettext catalogs complete and tidy, the language chosen by the set-up cell.

Every message of ``helpers/`` wrapped in ``_()`` (``helpers.i18n``) must have a French translation with the same
named fields, and every French entry must still translate a message of the code. The language reaches the
checks in the kernel (``setup_notebook(lang="fr")``) and in the grader's checker process (read from the
notebook's set-up cell).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from helpers import i18n
from helpers.grading import remote

ROOT = Path(__file__).resolve().parent.parent
FIELD = re.compile(r"\{[^{}]*\}")


def extracted() -> dict[str, list[str]]:
    """Every message wrapped in ``_()`` in helpers/ (or marked ``N_()``, the course's run names), or in ``tr()``
    in the grader (tools/grading_kernel.py): text -> where it is written."""
    found: dict[str, list[str]] = {}
    for path in [*sorted((ROOT / "helpers").rglob("*.py")), ROOT / "tools" / "grading_kernel.py"]:
        keywords = {"_": None, "N_": None, "tr": (1,)}
        for lineno, message, _comments, _context in extract_from_file("python", path, keywords=keywords):
            if isinstance(message, str) and message:
                found.setdefault(message, []).append(f"{path.relative_to(ROOT)}:{lineno}")
    return found


def french_entries() -> dict[str, tuple[str, str]]:
    """Every entry of the French catalogs: English text -> (translation, catalog file)."""
    entries = {}
    for path in i18n.catalog_files("fr"):
        with path.open("rb") as handle:
            for message in read_po(handle, locale="fr"):
                if message.id:
                    entries[str(message.id)] = (str(message.string or ""), path.name)
    return entries


def test_the_code_has_messages_to_translate() -> None:
    assert len(extracted()) >= 50, "helpers/ wraps fewer than 50 messages in _()"


def test_every_message_has_a_french_translation_with_the_same_fields() -> None:
    entries = french_entries()
    problems = []
    for message, places in extracted().items():
        translation = entries.get(message, ("", ""))[0]
        if not translation:
            problems.append(f"{places[0]}: no French for {message!r}")
        elif sorted(FIELD.findall(message)) != sorted(FIELD.findall(translation)):
            problems.append(f"{places[0]}: fields differ: {message!r} -> {translation!r}")
    assert not problems, "\n".join(problems)


def test_every_french_entry_translates_a_message_of_the_code() -> None:
    code = extracted()
    stale = [
        f"{where}: {message!r}" for message, (_, where) in french_entries().items() if message not in code
    ]
    assert not stale, "entries no code uses any more (remove them):\n" + "\n".join(stale)


# Run names made by an f-string, so not written whole in the code: name -> the code that makes it.
BUILT_NAMES = {"BN after": "BN {where}", "BN before": "BN {where}"}  # lesson 4: f"{act}, BN {where}"


def test_the_translated_run_names_are_names_the_course_gives() -> None:
    from helpers.experiments.names import RUN_NAMES

    code = "\n".join(
        path.read_text(encoding="utf-8")
        for folder in (ROOT / "helpers" / "experiments", ROOT / "course" / "lessons")
        for path in sorted(folder.glob("*.py"))
        if path.name != "names.py"
    )
    unused = [name for name in RUN_NAMES if BUILT_NAMES.get(name, f'"{name}"') not in code]
    assert not unused, f"names no experiment or lesson gives a run any more (remove them): {unused}"


def test_run_labels_are_translated_whole_or_by_part(monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers.experiments.names import run_label

    monkeypatch.setenv(i18n.ENV, "fr")
    assert run_label("baseline") == "modèle de référence"
    assert run_label("64 units, no tricks") == "64 unités, sans technique"
    assert run_label("relu, no BatchNorm") == "relu, sans BatchNorm"
    assert run_label("sigmoid, BN after") == "sigmoid, BN après"
    assert run_label("Dropout(0.5)") == "Dropout(0.5)"
    assert run_label("my run, baseline 2") == "my run, baseline 2"
    assert run_label("training") == "training"  # a message of the figures, but no run name of the course
    monkeypatch.setenv(i18n.ENV, "en")
    assert run_label("relu, no BatchNorm") == "relu, no BatchNorm"


def test_english_is_the_default_and_unknown_languages_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(i18n.ENV, raising=False)
    assert i18n.language() == "en"
    monkeypatch.setenv(i18n.ENV, "de")
    assert i18n.language() == "en"
    with pytest.raises(ValueError, match="not 'de'"):
        i18n.set_language("de")
    i18n.set_language("fr")
    assert i18n.language() == "fr"


def test_a_message_is_translated_only_in_french(monkeypatch: pytest.MonkeyPatch) -> None:
    message, (translation, _) = next(
        (m, e) for m, e in french_entries().items() if e[0] and e[0] != m and m in extracted()
    )
    monkeypatch.setenv(i18n.ENV, "en")
    assert i18n._(message) == message
    monkeypatch.setenv(i18n.ENV, "fr")
    assert i18n._(message) == translation
    assert i18n._("a text nobody translated") == "a text nobody translated"
    assert i18n.pick({"en": "yes", "fr": "oui"}) == "oui"
    assert i18n.pick("as is") == "as is"


def test_setup_notebook_chooses_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers.setup import setup_notebook

    monkeypatch.setenv(i18n.ENV, "en")
    setup_notebook(seed=0, lang="fr")
    assert i18n.language() == "fr"
    setup_notebook(seed=0)
    assert i18n.language() == "en"


QUIZ_CELL = 'from helpers.grading import check_quiz_format\nassert check_quiz_format(q1, "q1", "abcd")\n'


def _ask(request: dict) -> dict:
    """A kernel whose q1 is a badly formatted answer."""
    return {"kind": "value", "value": remote.wire.encode("zz")}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_checker_judges_in_the_language_it_is_given(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(i18n.ENV, "en")
    verdict = remote.run_cell(QUIZ_CELL, _ask, lang=lang)
    assert not verdict["ok"] and verdict["ename"] == "AssertionError"
    english = "set it to one letter"
    assert (english in verdict["evalue"]) == (lang == "en"), verdict["evalue"]


def _grading_kernel():
    """tools/grading_kernel.py as nbgrader_config.py loads it."""
    if "grading_kernel" not in sys.modules:
        spec = importlib.util.spec_from_file_location("grading_kernel", ROOT / "tools" / "grading_kernel.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["grading_kernel"] = module
        spec.loader.exec_module(module)
    return sys.modules["grading_kernel"]


@pytest.mark.parametrize(
    ("setup", "lang"),
    [
        ('setup_notebook(seed=0, lang="fr")', "fr"),
        ("setup_notebook(seed=0, lang='fr')", "fr"),
        ("setup_notebook(seed=0)", "en"),
        ("import numpy", "en"),
    ],
)
def test_the_grader_reads_the_language_of_the_set_up_cell(setup: str, lang: str) -> None:
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# Titre"), nbformat.v4.new_code_cell(setup)]
    )
    guarded = _grading_kernel().GuardedExecute
    assert guarded._language(SimpleNamespace(nb=nb)) == lang


@pytest.mark.parametrize("edition", ["notebooks", "source"])
def test_french_notebooks_set_french_in_their_set_up_cell(edition: str) -> None:
    built = sorted((ROOT / "fr" / edition).rglob("*.ipynb"))
    assert built, f"no French notebooks in fr/{edition}"
    for path in built:
        nb = nbformat.read(path, as_version=4)
        setup = next(c.source for c in nb.cells if c.cell_type == "code" and "setup_notebook(" in c.source)
        assert 'lang="fr"' in setup, f"{path.relative_to(ROOT)}: set-up cell does not choose French"
        assert nb.metadata.get("course", {}).get("lang") == "fr", path


@pytest.mark.parametrize(("lang", "start"), [("en", "Your code ran past"), ("fr", "Votre code a dépassé")])
def test_the_grader_speaks_the_notebook_language(lang: str, start: str) -> None:
    tr = _grading_kernel().tr
    message = tr("Your code ran past the time limit ({seconds} s) when the test called it.", lang)
    assert message.format(seconds=120).startswith(start)
