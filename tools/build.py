"""Build the lesson and exercise notebooks from their authoring files, with jupytext.

Each lesson and exercise is written once, as a jupytext percent script in ``course/`` (``course/lessons/NN_name.py``,
``course/exercises/NN_name.py``); JupyterLab opens it as a notebook, and nbgrader's metadata sits in its cell headers.

    python -m tools.build            # write notebooks/NN_name.ipynb and source/NN_name/NN_name.ipynb
    python -m tools.build --check    # write nothing; exit 1 naming each stale notebook and the file to edit

A cell's id is its nbgrader ``grade_id`` or the ``id`` of its header (``# %% id="..."``): ids never depend on a
cell's position or text, so inserting or editing a cell leaves the others' ids, and the gradebook's keys, alone.

The French edition comes from the same files. Every markdown cell is followed by its French twin, a markdown cell
whose header says only ``lang="fr"``; the English notebooks leave the twins out, the French ones (under ``fr/``)
put each twin's text in place of the cell before it, which keeps its id and nbgrader metadata. Code cells exist
once: the French notebooks differ only in their set-up cell, whose ``setup_notebook(...)`` call gets
``lang="fr"`` (it chooses the language of the course's messages and figures), and their string literals whose
text is an entry of the language's catalog of code texts (``course/locale/fr/LC_MESSAGES/lessons.po``: what the
code cells print, or write on figures and tables) get its translation, in the same quotes and with the same prefix.
A literal's text is its value with the escapes read (``"a\\n"`` -> ``a`` and a newline); an f-string's text is
the same with its ``{...}`` fields as written, which its translation must keep unchanged. A string literal inside
an f-string's field (``f"{'BN' if bn else 'no BN'}"``) is a literal of its own.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import sys
import tokenize
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "course"
KERNELSPEC = {"display_name": "Python 3 (course)", "language": "python", "name": "python3"}
# Cell metadata jupytext keeps for its own round trip (blank lines in the script), not for the notebook.
JUPYTEXT_ONLY = ("lines_to_next_cell",)
ENGLISH = "en"
TRANSLATIONS = ("fr",)  # languages of the twin cells; English is the authoring files' own
LANGUAGES = (ENGLISH, *TRANSLATIONS)
EDITIONS = LANGUAGES  # the editions built and checked by default
SETUP_CALL = re.compile(r"setup_notebook\((?P<args>[^()]*)\)")


# The catalog of the texts written in code cells, per language, relative to the authoring files' folder (course/).
CODE_CATALOG = "locale/{lang}/LC_MESSAGES/lessons.po"
STRING_PREFIX = re.compile(r"^[A-Za-z]*")


class AuthoringError(ValueError):
    """An authoring file that cannot become a notebook (a cell without id, two cells with one id)."""


def lessons(root: Path = ROOT) -> list[str]:
    """Lesson names (``01_overfitting``, ...): the scripts in ``course/lessons``."""
    return sorted(p.stem for p in (root / "course" / "lessons").glob("[0-9]*.py"))


def assignments(root: Path = ROOT) -> list[str]:
    """Assignment ids (``01_overfitting``, ...): the scripts in ``course/exercises``."""
    return sorted(p.stem for p in (root / "course" / "exercises").glob("[0-9]*.py"))


def answer_names(assignment: str, root: Path = ROOT) -> list[str]:
    """The graded names of an exercise: the grade ids of its autograded-answer code cells."""
    nb = jupytext.read(root / "course" / "exercises" / f"{assignment}.py", fmt="py:percent")
    return [
        c.metadata["nbgrader"]["grade_id"]
        for c in nb.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
    ]


def edition(root: Path, lang: str) -> Path:
    """The folder of one language's edition: the repository for English, ``fr/`` for French."""
    return root if lang == ENGLISH else root / lang


def pairs(root: Path = ROOT, langs: tuple[str, ...] = EDITIONS) -> list[tuple[Path, Path, str]]:
    """Every (authoring file, generated notebook, language) of the course, in each language of ``langs``."""
    out = []
    for lang in langs:
        home = edition(root, lang)
        out += [
            (root / "course" / "lessons" / f"{n}.py", home / "notebooks" / f"{n}.ipynb", lang)
            for n in lessons(root)
        ]
        out += [
            (root / "course" / "exercises" / f"{n}.py", home / "source" / n / f"{n}.ipynb", lang)
            for n in assignments(root)
        ]
    return out


def untranslated(path: Path, lang: str = "fr") -> list[str]:
    """The ids of the markdown cells of ``path`` that have no twin in ``lang`` (empty: fully translated)."""
    nb = jupytext.read(path, fmt="py:percent")
    missing, last = [], None
    for cell in nb.cells:
        if cell.metadata.get("lang") == lang:
            last = None
            continue
        if last is not None:
            missing.append(last)
        last = None
        if cell.cell_type == "markdown" and "lang" not in cell.metadata:
            last = cell.metadata.get("id") or cell.metadata.get("nbgrader", {}).get("grade_id") or "?"
    return [*missing, last] if last is not None else missing


def _with_language(source: str, lang: str, path: Path) -> str:
    """A set-up cell's code with ``lang=...`` added to its ``setup_notebook(...)`` call."""
    match = SETUP_CALL.search(source)
    if match is None or "lang" in match["args"]:
        raise AuthoringError(f"{path}: the set-up cell must call setup_notebook(...) without a lang argument")
    args = ", ".join(filter(None, [match["args"].strip(), f'lang="{lang}"']))
    return source[: match.start()] + f"setup_notebook({args})" + source[match.end() :]


def code_catalog_file(course: Path, lang: str) -> Path:
    """The catalog of ``lang``'s translations of the texts written in code cells (``course`` is ``course/``)."""
    return course / CODE_CATALOG.format(lang=lang)


def code_catalog(course: Path, lang: str) -> dict[str, str]:
    """English text -> translation of every entry of ``lang``'s code-text catalog (fuzzy or empty ones left out)."""
    path = code_catalog_file(course, lang)
    if lang == ENGLISH or not path.is_file():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return {
            str(m.id): str(m.string)
            for m in read_po(handle, locale=lang)
            if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
        }


def _offsets(source: str) -> list[int]:
    """The offset in ``source`` of the start of each line (1-based line numbers index it from 1)."""
    starts = [0, 0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def string_literals(source: str) -> list[tuple[int, int]]:
    """(start, end) offsets in ``source`` of its string literals, each f-string whole (fields included), in order.

    Implicitly concatenated literals (``"a" "b"``) are literals of their own; so are the literals inside an
    f-string's fields, found by :func:`field_spans` (Python 3.12 tokenizes them, 3.11 does not: both read alike).
    """
    starts = _offsets(source)
    found, depth, opened = [], 0, 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            name = tokenize.tok_name[tok.type]
            if name == "FSTRING_START":
                if depth == 0:
                    opened = starts[tok.start[0]] + tok.start[1]
                depth += 1
            elif name == "FSTRING_END":
                depth -= 1
                if depth == 0:
                    found.append((opened, starts[tok.end[0]] + tok.end[1]))
            elif name == "STRING" and depth == 0:
                found.append((starts[tok.start[0]] + tok.start[1], starts[tok.end[0]] + tok.end[1]))
    except (tokenize.TokenError, SyntaxError) as exc:
        raise AuthoringError(f"a code cell that Python cannot read: {exc}") from exc
    return found


def split_literal(literal: str) -> tuple[str, str, str]:
    """(prefix, quote, body) of a string literal as written: ``f"a{b}"`` -> ``("f", '"', "a{b}")``."""
    prefix = STRING_PREFIX.match(literal).group(0)
    rest = literal[len(prefix) :]
    quote = rest[:3] if rest[:3] in ('"""', "'''") else rest[:1]
    return prefix, quote, rest[len(quote) : len(rest) - len(quote)]


def literal_text(literal: str) -> str | None:
    """The text of a string literal: its value, an f-string's fields kept as written; None for bytes."""
    prefix, quote, body = split_literal(literal)
    if "b" in prefix.lower():
        return None
    plain = prefix.replace("f", "").replace("F", "")
    try:
        return ast.literal_eval(plain + quote + body + quote)
    except (SyntaxError, ValueError):  # an f-string whose fields hold its own quote (Python 3.12 allows it)
        return None


def field_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) offsets in an f-string's body of each field's content (between its braces)."""
    spans, i = [], 0
    while i < len(body):
        if body.startswith(("{{", "}}"), i):
            i += 2
            continue
        if body[i] != "{":
            i += 1
            continue
        depth, j, quote = 1, i + 1, ""
        while j < len(body) and depth:
            char = body[j]
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char in "{[(":
                depth += 1
            elif char in "}])":
                depth -= 1
            j += 1
        spans.append((i + 1, j - 1))
        i = j
    return spans


def _encode(text: str, prefix: str, quote: str, where: str) -> str:
    """``text`` as the body of a literal with ``prefix`` and ``quote`` (same value, escapes where needed)."""
    if "r" in prefix.lower():
        if quote[0] in text or "\\" in text or "\n" in text:
            raise AuthoringError(f"{where}: {text!r} cannot be written in a raw string")
        return text
    out = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return out.replace(quote[0], "\\" + quote[0])


def translate_code(source: str, messages: dict[str, str], where: str = "code cell", _quote: str = "") -> str:
    """``source`` with every string literal whose text is a key of ``messages`` replaced by its translation.

    ``_quote`` is the quote of the f-string whose field ``source`` is: a translation there may not hold it, nor a
    backslash (Python 3.11 forbids both in a field)."""
    if not messages:
        return source
    out, last = [], 0
    for start, end in string_literals(source):
        literal = source[start:end]
        prefix, quote, body = split_literal(literal)
        if not quote or not literal.endswith(quote) or len(literal) < len(prefix) + 2 * len(quote):
            raise AuthoringError(f"{where}: {literal!r} was read as a string literal, and is not one")
        text = literal_text(literal)
        if text is not None and text in messages:
            new = _encode(messages[text], prefix, quote, where)
            if _quote and (_quote[0] in new or "\\" in new):
                raise AuthoringError(
                    f"{where}: the translation of {text!r} sits in an f-string's field, where it may hold "
                    f"neither {_quote[0]} nor a backslash: {messages[text]!r}"
                )
            literal = prefix + quote + new + quote
        elif "f" in prefix.lower():
            pieces, cut = [], 0
            for a, b in field_spans(body):
                pieces += [body[cut:a], translate_code(body[a:b], messages, where, quote)]
                cut = b
            literal = prefix + quote + "".join(pieces) + body[cut:] + quote
        out += [source[last:start], literal]
        last = end
    return "".join(out) + source[last:]


def notebook(path: Path, lang: str = ENGLISH) -> nbformat.NotebookNode:
    """The notebook of one authoring file in ``lang``: its cells with their ids, the course kernel, no outputs."""
    if lang not in LANGUAGES:
        raise AuthoringError(f"unknown language {lang!r}: the course has {', '.join(LANGUAGES)}")
    nb = jupytext.read(path, fmt="py:percent")
    messages = code_catalog(path.resolve().parent.parent, lang)
    seen: dict[str, int] = {}
    cells: list[nbformat.NotebookNode] = []
    twinned: set[int] = set()
    set_up = False
    for number, cell in enumerate(nb.cells, start=1):
        for key in JUPYTEXT_ONLY:
            cell.metadata.pop(key, None)
        first_line = cell.source.splitlines()[0] if cell.source else ""
        twin_of = cell.metadata.pop("lang", None)
        if twin_of is not None:
            english = cells[-1] if cells else None
            if (
                twin_of not in TRANSLATIONS
                or cell.cell_type != "markdown"
                or set(cell.metadata) - {"tags"}
                or english is None
                or english.cell_type != "markdown"
                or id(english) in twinned
            ):
                raise AuthoringError(
                    f"{path}: cell {number} ({first_line[:50]!r}): a translated cell is a markdown cell whose "
                    f'header says only lang="{"|".join(TRANSLATIONS)}", right after the one English markdown '
                    "cell it translates"
                )
            twinned.add(id(english))
            if twin_of == lang:
                english.source = cell.source
            continue
        cell_id = cell.metadata.pop("id", None) or cell.metadata.get("nbgrader", {}).get("grade_id")
        if not cell_id:
            raise AuthoringError(
                f"{path}: cell {number} ({first_line[:50]!r}) has no id: add one to its header, "
                f'e.g. `# %% id="a-short-name"`'
            )
        if cell_id in seen:
            raise AuthoringError(f"{path}: cells {seen[cell_id]} and {number} share the id {cell_id!r}")
        seen[cell_id] = number
        cell.id = cell_id
        if lang != ENGLISH and cell.cell_type == "code" and not set_up and SETUP_CALL.search(cell.source):
            cell.source = _with_language(cell.source, lang, path)
            set_up = True
        if cell.cell_type == "code":
            cell.source = translate_code(cell.source, messages, f"{path} [{cell_id}]")
        cells.append(cell)
    if lang != ENGLISH:
        missing = [c.id for c in cells if c.cell_type == "markdown" and id(c) not in twinned]
        if missing:
            raise AuthoringError(f"{path}: markdown cells without a {lang} twin: {', '.join(missing)}")
        if not set_up:
            raise AuthoringError(f"{path}: no set-up cell calling setup_notebook(...) to give lang={lang!r}")
    nb.cells = cells
    nb.metadata = {
        "kernelspec": dict(nb.metadata.get("kernelspec", KERNELSPEC)),
        "language_info": {"name": "python"},
    }
    if lang != ENGLISH:
        nb.metadata["course"] = {"lang": lang}
    nb.nbformat, nb.nbformat_minor = 4, 5
    nbformat.validate(nb)
    return nb


def render(path: Path, lang: str = ENGLISH) -> str:
    """The notebook of ``path`` in ``lang`` as Jupyter writes it (nbformat's JSON, trailing newline)."""
    return nbformat.writes(notebook(path, lang)) + "\n"


def stale(root: Path = ROOT, langs: tuple[str, ...] = EDITIONS) -> list[tuple[Path, Path, str]]:
    """The (authoring file, notebook, language) triples whose notebook is missing or differs from its file."""
    return [
        (src, out, lang)
        for src, out, lang in pairs(root, langs)
        if not out.is_file() or out.read_text(encoding="utf-8") != render(src, lang)
    ]


def write(root: Path = ROOT, langs: tuple[str, ...] = EDITIONS) -> list[Path]:
    """Write every notebook whose text changed; return those written."""
    written = []
    for src, out, lang in stale(root, langs):
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render(src, lang), encoding="utf-8", newline="\n")
        written.append(out)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: build, or only check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a notebook is stale")
    parser.add_argument("--root", type=Path, default=ROOT, help="course folder (default: this repository)")
    parser.add_argument(
        "--lang", action="append", choices=LANGUAGES, help="build this edition (repeatable; default: all)"
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    langs = tuple(args.lang or EDITIONS)
    try:
        if args.check:
            bad = stale(root, langs)
            for src, out, _lang in bad:
                print(
                    f"{out.relative_to(root)} differs from {src.relative_to(root)}: edit {src.relative_to(root)}, "
                    "never the notebook, then run `make build`",
                    file=sys.stderr,
                )
            return 1 if bad else 0
        for out in write(root, langs):
            print(f"wrote {out.relative_to(root)}")
    except AuthoringError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
