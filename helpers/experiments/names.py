"""The course's run names as figures and tables show them: in the notebook's language (:mod:`helpers.i18n`).

A run's name is also the key code reads it back with (``result.runs["too complex"]``), so names stay English
everywhere but on screen: :func:`run_label` translates one when a table or a figure draws it. Only the
course's own names below are translated (their French is in ``helpers/locale/fr/LC_MESSAGES/runs.po``); a
learner's own name shows as given.
"""

from __future__ import annotations

from helpers.i18n import _


def N_(name: str) -> str:
    """Mark a run name for the French catalog (``tests/test_i18n.py`` reads the marks); the name, unchanged."""
    return name


# The names helpers.experiments gives its runs (keys of Result.runs and Run.name) and the lessons give theirs,
# when they are words rather than Keras code ("Dropout(0.5)", "L1L2(0.01)" and "BatchNorm" read the same in
# both languages). "BN after" and "BN before" are parts of lesson 4's "relu, BN after" labels.
RUN_NAMES = (
    N_("too simple"),
    N_("too complex"),
    N_("too simple (1x2)"),
    N_("too complex (2x256)"),
    N_("too simple (no hidden layer)"),
    N_("2x256 with L2(0.01)"),
    N_("none"),
    N_("activity L1(1e-3)"),
    N_("no penalty"),
    N_("bias L2(0.01)"),
    N_("kernel L2(0.01)"),
    N_("no dropout"),
    N_("no BatchNorm"),
    N_("BatchNorm after relu"),
    N_("BatchNorm before relu"),
    N_("BN after"),
    N_("BN before"),
    N_("baseline"),
    N_("chapter's model"),
    N_("no tricks"),
    N_("64 units, no tricks"),
    N_("early stopping"),
    N_("all epochs"),
)


def run_label(name: str) -> str:
    """``name`` as shown: a course run name, or each of its ", "-separated parts that is one, translated."""
    if name in RUN_NAMES:
        return _(name)
    return ", ".join(_(part) if part in RUN_NAMES else part for part in name.split(", "))
