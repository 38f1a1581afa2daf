"""The language of the course's messages and figures: English, or French from gettext catalogs.

A notebook's set-up cell chooses the language (``setup_notebook(lang="fr")`` in the French edition); it is kept
in the ``COURSE_LANG`` environment variable, so it survives a reload of the checks and reaches the course's
checker process. Every message a learner reads is written in English in the code, wrapped in :func:`_`, with
its named fields filled in afterwards::

    raise AssertionError(_("expected {expected} units, found {found}").format(expected=64, found=units))

The French texts live in ``helpers/locale/fr/LC_MESSAGES/*.po`` (gettext catalogs, read with Babel: no compiled
file to keep in sync); ``tests/test_i18n.py`` fails when a wrapped message has no French translation.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path

ENV = "COURSE_LANG"
ENGLISH = "en"
LANGUAGES = (ENGLISH, "fr")
LOCALE = Path(__file__).resolve().parent / "locale"


def language() -> str:
    """The language of messages now: ``COURSE_LANG`` if it names a course language, else English."""
    lang = os.environ.get(ENV, ENGLISH)
    return lang if lang in LANGUAGES else ENGLISH


def set_language(lang: str) -> None:
    """Choose the language of the course's messages and figures (``"en"`` or ``"fr"``)."""
    if lang not in LANGUAGES:
        raise ValueError(f"the course speaks {', '.join(LANGUAGES)}, not {lang!r}")
    os.environ[ENV] = lang


def catalog_files(lang: str) -> list[Path]:
    """The gettext catalogs of ``lang`` (one per part of the course's code)."""
    return sorted((LOCALE / lang / "LC_MESSAGES").glob("*.po"))


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """Every translated message of ``lang``: English text -> translation (fuzzy or empty entries left out)."""
    from babel.messages.pofile import read_po

    texts: dict[str, str] = {}
    for path in catalog_files(lang):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if message.id and isinstance(message.id, str) and message.string and not message.fuzzy:
                    texts[message.id] = str(message.string)
    return texts


def _(message: str) -> str:
    """``message`` in the current language (itself in English, or when it has no translation)."""
    lang = language()
    if lang == ENGLISH:
        return message
    return catalog(lang).get(message, message)


def pick(texts: str | Mapping[str, str]) -> str:
    """A text given in several languages (``{"en": ..., "fr": ...}``) in the current one; a plain string as is."""
    if isinstance(texts, str):
        return texts
    return str(texts.get(language()) or texts.get(ENGLISH) or next(iter(texts.values()), ""))
