"""The texts the lessons' and exercises' code cells print or draw, in French in the French edition.

Code cells are written once, in English. ``python -m tools.build`` gives the French notebooks every string literal
whose text is an entry of ``course/locale/fr/LC_MESSAGES/lessons.po`` in French (``tools.build.translate_code``).
This module checks that catalog against the code cells:

- every literal a learner reads is translated: an argument of ``print()``, a ``title=``/``xlabel=``/``ylabel=``/
  ``label=``/``suptitle=`` (and the other text parameters of the course's plotting helpers), an argument of
  ``set_title``/``legend``/..., the names given to a plotting helper's runs or curves, a table's headers and
  index (``pd.DataFrame``), unless ``UNTRANSLATED`` says why not;
- no translation reaches text the code reads back (a key looked up, a compared value, a Keras argument) unless
  ``DISPLAY_ONLY`` says why the text is only shown;
- every entry still translates a literal of a code cell, with the same ``{...}`` fields;
- the French code cells are valid Python, differ from the English ones only in their texts and set-up call.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat
import pytest
from babel.messages.pofile import read_po

from tools import build

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "course"
CATALOG = build.code_catalog_file(COURSE, "fr")
FIELD = re.compile(r"\{[^{}]*\}")
WORD = re.compile(r"[^\W\d_]{2,}")  # two letters in a row: a word to read, not "|w|", ":" or "{v:.2f}"

# Keyword arguments whose value is text a figure shows (matplotlib's and the plotting helpers' own).
TEXT_KEYWORDS = {"title", "xlabel", "ylabel", "label", "suptitle", "reference_label", "titles", "layer_names",
                 "labels", "index", "columns"}  # fmt: skip
# Methods whose positional arguments are text a figure shows.
TEXT_METHODS = {"set_title", "set_xlabel", "set_ylabel", "suptitle", "legend", "text", "annotate",
                "set_xticklabels", "set_yticklabels"}  # fmt: skip
# Calls whose mappings' keys are shown: the plotting helpers' run and curve names, a table's headers.
TABLES = {"DataFrame", "Series"}

# Literals a learner reads that stay in English: (file, cell id, text) -> why.
UNTRANSLATED: dict[tuple[str, str, str], str] = {
    ("lessons/06_monitoring.py", "monitoring-04", "EarlyStopping(patience=5)"): (
        "a Keras call, written as in code"
    ),
    ("lessons/06_monitoring.py", "monitoring-curves-table", "Dropout({v:g})"): (
        "a Keras layer, written as in code"
    ),
    ("lessons/04_batch_normalization.py", "batch-normalization-placement", "{act}, BN {where}"): (
        "`where` is 'after' or 'before', also the keys the cell reads back (res[f'{where}_epochs'])"
    ),
}
# Translated literals the code does not only show, and why the translation is safe: (file, cell id, text) -> why.
DISPLAY_ONLY: dict[tuple[str, str, str], str] = {
    ("lessons/01_overfitting.py", "overfitting-04", "{y} (is {t})"): (
        "the image grid's titles, given as titles="
    ),
    **{
        ("lessons/02_regularizers.py", "regularizers-05", text): "names zipped with the losses, only printed"
        for text in ("activity L1(0.001)", "kernel L2(0.01)", "bias L2(0.01)")
    },
    **{
        ("lessons/02_regularizers.py", "regularizers-bias", text): (
            "the table's row names (the keys are the others)"
        )
        for text in ("no penalty", "bias L2(0.01)", "kernel L2(0.01)")
    },
    **{
        ("lessons/02_regularizers.py", "regularizers-near-zero-cell", text): (
            "the table's row names (the keys are the others)"
        )
        for text in ("(sub)gradient steps", "proximal steps (ISTA)")
    },
    **{
        ("exercises/04_batch_normalization.py", "try-it-code", text): "the runs' names, only printed"
        for text in ("with BatchNormalization", "without")
    },
    **{
        ("exercises/03_dropout.py", "try-it-code", text): "the signals' names, only printed"
        for text in ("low confidence", "large relative spread")
    },
}


@dataclass(frozen=True)
class Literal:
    """One string literal of a code cell: where, its text, and what the code does with it."""

    file: str  # relative to course/
    cell: str
    text: str
    role: str  # "shown" (a learner reads it), "label" (a name given to a row or key), "code" (anything else)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.file, self.cell, self.text)

    def __str__(self) -> str:
        return f"course/{self.file} [{self.cell}]: {self.text!r}"


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _name(func: ast.expr) -> str:
    """The called name: ``print``, ``DataFrame`` for ``pd.DataFrame``, ``set_title`` for ``ax.set_title``."""
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _is_plotting(func: ast.expr) -> bool:
    return (
        isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "plotting"
    )


def _carried(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> tuple[ast.AST, ast.AST | None]:
    """Go up from ``node`` while its parent passes its value on as text or as a collection of texts; return the
    last node reached and the parent that consumes it."""
    while True:
        parent = parents.get(node)
        passes = (
            (isinstance(parent, ast.IfExp) and node is not parent.test)
            or (isinstance(parent, ast.FormattedValue) and node is parent.value)
            or isinstance(parent, ast.JoinedStr | ast.List | ast.Tuple | ast.Set | ast.Starred)
            or (isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Add | ast.Mod))
            or (isinstance(parent, ast.ListComp | ast.GeneratorExp | ast.SetComp) and node is parent.elt)
            or (isinstance(parent, ast.Dict) and node in parent.values and None in parent.keys)  # {**mapping}
            or (isinstance(parent, ast.Call) and _name(parent.func) in {"str", "join", "format"})
            or (isinstance(parent, ast.Attribute) and parent.attr in {"join", "format"})
        )
        if not passes:
            return node, parent
        node = parent


def _shown_mapping(mapping: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether a dict's keys are shown: it is given to a plotting helper or a table, or is a shown dict's value."""
    top, consumer = _carried(mapping, parents)
    if (isinstance(consumer, ast.Dict) and top in consumer.values) or (
        isinstance(consumer, ast.DictComp) and top is consumer.value
    ):
        return _shown_mapping(consumer, parents)
    return (
        isinstance(consumer, ast.Call)
        and top in consumer.args
        and (_is_plotting(consumer.func) or _name(consumer.func) in TABLES)
    )


def role(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> str:
    """What the code does with the string literal ``node``: "shown", "label" or "code"."""
    top, consumer = _carried(node, parents)
    if isinstance(consumer, ast.keyword):
        return "shown" if consumer.arg in TEXT_KEYWORDS else "code"
    if isinstance(consumer, ast.Call) and top in consumer.args:
        if _name(consumer.func) == "print" or _name(consumer.func) in TEXT_METHODS:
            return "shown"
        return "code"
    if (isinstance(consumer, ast.Dict) and top in consumer.keys) or (
        isinstance(consumer, ast.DictComp) and top is consumer.key
    ):
        return "shown" if _shown_mapping(consumer, parents) else "label"
    if isinstance(consumer, ast.Subscript) and top is consumer.slice and isinstance(consumer.ctx, ast.Store):
        return "label"
    return "code"


def _strings(tree: ast.AST) -> list[ast.AST]:
    """The string literals of a parsed cell: its strings and f-strings, and the strings in f-strings' fields
    (not the text between an f-string's fields, nor its format specs)."""
    found = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.JoinedStr):
            found.append(node)
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    visit(value.value)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append(node)
        else:
            for child in ast.iter_child_nodes(node):
                visit(child)

    visit(tree)
    return found


def _texts(node: ast.AST, source: str, in_field: bool) -> list[str]:
    """The texts of a literal node, one per literal token (``"a" "b"`` is two); a string inside an f-string's
    field by its value (Python 3.11 does not place it)."""
    if in_field and isinstance(node, ast.Constant):
        return [node.value]
    segment = ast.get_source_segment(source, node)
    if segment is None:
        return [node.value] if isinstance(node, ast.Constant) else []
    return [
        t for s, e in build.string_literals(segment) if (t := build.literal_text(segment[s:e])) is not None
    ]


def code_cells(root: Path = COURSE) -> list[tuple[str, str, str]]:
    """(file relative to course/, cell id, source) of every code cell of the lessons and exercises."""
    cells = []
    for path in sorted([*root.glob("lessons/[0-9]*.py"), *root.glob("exercises/[0-9]*.py")]):
        for cell in jupytext.read(path, fmt="py:percent").cells:
            if cell.cell_type == "code":
                cell_id = cell.metadata.get("id") or cell.metadata.get("nbgrader", {}).get("grade_id", "?")
                cells.append((str(path.relative_to(root)), cell_id, cell.source))
    return cells


def literals_of(file: str, cell: str, source: str) -> list[Literal]:
    """Every string literal of one code cell, with its role."""
    tree = ast.parse(source)
    parents = _parents(tree)
    found = []
    for node in _strings(tree):
        in_field = any(isinstance(p, ast.FormattedValue) for p in _ancestors(node, parents))
        texts = _texts(node, source, in_field)
        found += [Literal(file, cell, text, role(node, parents)) for text in texts]
    return found


def _ancestors(node: ast.AST, parents: dict[ast.AST, ast.AST]):
    while node in parents:
        node = parents[node]
        yield node


def course_literals() -> list[Literal]:
    return [lit for file, cell, source in code_cells() for lit in literals_of(file, cell, source)]


def catalog_entries(path: Path = CATALOG) -> dict[str, str]:
    """Every entry of the catalog, empty translations included: English text -> French."""
    with path.open("rb") as handle:
        return {str(m.id): str(m.string or "") for m in read_po(handle, locale="fr") if m.id}


def _fields(text: str) -> list[str]:
    return sorted(FIELD.findall(text.replace("{{", "").replace("}}", "")))


# --- the catalog against the code cells ---------------------------------------------------------------------


def test_the_catalog_is_where_the_build_reads_it() -> None:
    assert CATALOG.is_file(), f"{CATALOG.relative_to(ROOT)} is missing"
    assert len(build.code_catalog(COURSE, "fr")) >= 25


def test_every_text_a_learner_reads_has_its_french() -> None:
    entries = build.code_catalog(COURSE, "fr")
    missing = [
        str(lit)
        for lit in course_literals()
        if lit.role == "shown" and WORD.search(FIELD.sub("", lit.text)) and lit.text not in entries
        and lit.key not in UNTRANSLATED
    ]  # fmt: skip
    assert not missing, (
        f"texts printed or drawn by code cells without French in {CATALOG.relative_to(ROOT)} "
        "(add an entry, or a reason to UNTRANSLATED):\n" + "\n".join(missing)
    )


def test_no_translation_reaches_text_the_code_reads_back() -> None:
    entries = build.code_catalog(COURSE, "fr")
    risky = [
        f"{lit} ({lit.role})"
        for lit in course_literals()
        if lit.text in entries and lit.role == "code" and lit.key not in DISPLAY_ONLY
    ]
    assert not risky, (
        "catalog entries that would translate a literal the code may read back (a key, a compared value, an "
        "argument): remove the entry, or say in DISPLAY_ONLY why the text is only shown:\n" + "\n".join(risky)
    )


def test_every_entry_translates_a_literal_of_a_code_cell() -> None:
    texts = {lit.text for lit in course_literals()}
    stale = [text for text in catalog_entries() if text not in texts]
    assert not stale, (
        f"entries of {CATALOG.relative_to(ROOT)} no code cell writes any more (remove them):\n"
        + "\n".join(map(repr, stale))
    )


def test_every_entry_has_a_french_text_with_the_same_fields() -> None:
    problems = []
    for english, french in catalog_entries().items():
        if not french:
            problems.append(f"no French for {english!r}")
        elif _fields(english) != _fields(french):
            problems.append(f"fields differ: {english!r} -> {french!r}")
        elif english.count("\n") != french.count("\n"):
            problems.append(f"line breaks differ: {english!r} -> {french!r}")
    assert not problems, "\n".join(problems)


def test_the_exception_lists_name_literals_that_exist() -> None:
    keys = {lit.key for lit in course_literals()}
    gone = [key for key in [*UNTRANSLATED, *DISPLAY_ONLY] if key not in keys]
    assert not gone, f"UNTRANSLATED or DISPLAY_ONLY name literals no code cell has: {gone}"
    entries = build.code_catalog(COURSE, "fr")
    both = [key for key in UNTRANSLATED if key[2] in entries]
    assert not both, f"UNTRANSLATED, yet translated by the catalog: {both}"


def test_the_roles_of_literals() -> None:
    source = (
        'print(f"gap {g:.3f}", "done")\n'
        'plotting.learning_curves({"shown name": runs["key read back"]}, title="A title")\n'
        'pd.DataFrame({n: {"a header": 1} for n in ("x",)}, index=[f"seed {s}" for s in seeds])\n'
        'table["a label"] = 1\n'
        'd = {"a key": 1, "b": {"nested key": 2}}\n'
        'layers.Dense(4, activation="relu")\n'
        "print(f\"{name}, {'BN' if bn else 'no BN'}: {x['key']:.2f}\")\n"
        'ax.set_title("panel " + name)\n'
    )
    roles = {lit.text: lit.role for lit in literals_of("f.py", "c", source)}
    assert roles == {
        "gap {g:.3f}": "shown",
        "done": "shown",
        "shown name": "shown",
        "key read back": "code",
        "A title": "shown",
        "a header": "shown",
        "x": "code",
        "seed {s}": "shown",
        "a label": "label",
        "a key": "label",
        "b": "label",
        "nested key": "label",
        "relu": "code",
        "{name}, {'BN' if bn else 'no BN'}: {x['key']:.2f}": "shown",
        "BN": "shown",
        "no BN": "shown",
        "key": "code",
        "panel ": "shown",
    }, roles


# --- the build ----------------------------------------------------------------------------------------------

MESSAGES = {
    "gap {g:.3f}": "écart {g:.3f}",
    "no BN": "sans BN",
    "it's": "c'est",
    "two\nlines": "deux\nlignes",
    "key": "clé",
}


@pytest.mark.parametrize(
    ("code", "french"),
    [
        ('print(f"gap {g:.3f}")', 'print(f"écart {g:.3f}")'),
        ("print(F'gap {g:.3f}')", "print(F'écart {g:.3f}')"),
        ("print(f\"{name}, {'BN' if bn else 'no BN'}\")", "print(f\"{name}, {'BN' if bn else 'sans BN'}\")"),
        ("print('it\\'s')", "print('c\\'est')"),
        ('print("it\'s")', 'print("c\'est")'),
        ('print("two\\nlines")', 'print("deux\\nlignes")'),
        ('print("gap {g:.3f}", "untouched")', 'print("écart {g:.3f}", "untouched")'),
        ('print(b"key", "key" "s")', 'print(b"key", "clé" "s")'),
        ('# a comment with "key"\nx = 1', '# a comment with "key"\nx = 1'),
    ],
)
def test_literals_are_translated_in_their_own_quotes(code: str, french: str) -> None:
    assert build.translate_code(code, MESSAGES) == french
    ast.parse(build.translate_code(code, MESSAGES))


def test_a_translation_that_cannot_sit_in_a_field_is_refused() -> None:
    with pytest.raises(build.AuthoringError, match="f-string's field"):
        build.translate_code("print(f\"{'key' if a else 'b'}\")", {"key": 'a "quoted" key'})
    with pytest.raises(build.AuthoringError, match="raw string"):
        build.translate_code("print(r'key')", {"key": "c'est"})


def french_pairs() -> list[tuple[Path, Path, Path]]:
    return [
        (src, out, build.edition(ROOT, "en") / out.relative_to(build.edition(ROOT, "fr")))
        for src, out, lang in build.pairs(ROOT, ("fr",))
    ]


@pytest.mark.parametrize(("src", "french", "english"), french_pairs(), ids=lambda p: p.stem)
def test_french_code_cells_are_the_english_ones_with_french_texts(
    src: Path, french: Path, english: Path
) -> None:
    fr, en = nbformat.read(french, as_version=4), nbformat.read(english, as_version=4)
    for f, e in zip(fr.cells, en.cells, strict=True):
        if e.cell_type != "code":
            continue
        ast.parse(f.source)  # valid Python
        english_code = build.translate_code(e.source, build.code_catalog(COURSE, "fr"))
        if 'lang="fr"' in f.source and 'lang="fr"' not in english_code:
            english_code = build._with_language(english_code, "fr", src)
        assert f.source == english_code, (
            f"{french.relative_to(ROOT)} [{f.id}]: not the English code translated"
        )
        if "setup_notebook(" not in e.source:
            assert _without_texts(f.source) == _without_texts(e.source), (
                f"{french.relative_to(ROOT)} [{f.id}]: the code itself differs"
            )


class _Blank(ast.NodeTransformer):
    """Every string literal emptied, f-strings' fields kept: what is left is the code itself."""

    def visit_Constant(self, node: ast.Constant) -> ast.Constant:
        return ast.Constant("") if isinstance(node.value, str) else node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.JoinedStr:
        """Its fields only, in a fixed order (a translation may put them in another)."""
        fields = [self.visit(v) for v in node.values if isinstance(v, ast.FormattedValue)]
        return ast.JoinedStr(values=sorted(fields, key=ast.dump))


def _without_texts(source: str) -> str:
    return ast.dump(_Blank().visit(ast.parse(source)))
