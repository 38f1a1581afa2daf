"""nbgrader settings of the course: only what differs from nbgrader's defaults."""

import importlib.util
import sys
from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "keras-regularization"
# The spec names the executed instructor versions ``solutions/`` (nbgrader's default is ``solution/``).
c.CourseDirectory.solution_directory = "solutions"
# Seconds per cell (nbgrader's default is 30): cells that train a small model need more on a 2-core CPU.
c.Execute.timeout = 120

# A test cell deleted from a submission is put back and run (nbgrader's default leaves it out: 0 points and
# "needs manual grading"). Edited test cells and changed cell types are restored by nbgrader in any case.
c.OverwriteCells.add_missing_cells = True

# Autograding runs each notebook in a resource-limited kernel that is restarted when a cell kills it, within
# a time budget per notebook: see tools/grading_kernel.py for what is enforced and how.
if "grading_kernel" not in sys.modules:
    _path = Path(__file__).resolve().parent / "tools" / "grading_kernel.py"
    _spec = importlib.util.spec_from_file_location("grading_kernel", _path)
    sys.modules["grading_kernel"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["grading_kernel"])
c.Autograde.autograde_preprocessors = [
    sys.modules["grading_kernel"].GuardedExecute,  # in place of Execute; the rest is nbgrader's default
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
c.LimitedKernelManager.memory_limit_mb = 2048  # RLIMIT_DATA of a grading kernel (a TF notebook uses ~600)
c.GuardedExecute.notebook_timeout = 900  # seconds for all the cells of one notebook together

# Feedback shows learners their test results but not the hidden tests (nbgrader's default feedback shows the
# restored hidden tests in full, and the tracebacks quote them).
c.GenerateFeedback.preprocessors = [
    GetGrades,
    sys.modules["grading_kernel"].HideHiddenTests,
    CSSHTMLHeaderPreprocessor,
]
