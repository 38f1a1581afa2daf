"""nbgrader settings of the course: only what differs from nbgrader's defaults."""

import importlib.util
import sys
from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    OverwriteKernelspec,
    SaveAutoGrades,
)

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "keras-regularization"
# The spec names the executed instructor versions ``solutions/`` (nbgrader's default is ``solution/``).
c.CourseDirectory.solution_directory = "solutions"
# Seconds per cell (nbgrader's default is 30): cells that train a small model need more on a 2-core CPU.
c.Execute.timeout = 120

# Autograding runs each notebook in a sandboxed, resource-limited kernel that is restarted when a cell kills it,
# within a time budget per notebook: see tools/grading_kernel.py for what is enforced and how.
if "grading_kernel" not in sys.modules:
    _path = Path(__file__).resolve().parent / "tools" / "grading_kernel.py"
    _spec = importlib.util.spec_from_file_location("grading_kernel", _path)
    sys.modules["grading_kernel"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["grading_kernel"])
_guard = sys.modules["grading_kernel"]

# Before grading, edited test cells and read-only cells get their course text back and changed cell types are
# reverted (nbgrader does that by default); deleted test cells and read-only cells are put back and run
# (nbgrader's default leaves a deleted test cell out: 0 points, "needs manual grading"; its own option to put
# it back fails when the cell above it was deleted too, hence RestoreCells).
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    _guard.RestoreCells,  # in place of OverwriteCells
    CheckCellMetadata,
]
c.Autograde.autograde_preprocessors = [
    _guard.GuardedExecute,  # in place of Execute; the rest is nbgrader's default
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
c.LimitedKernelManager.memory_limit_mb = 2048  # RLIMIT_DATA of a grading kernel (a TF notebook uses ~600)
# Every grading kernel runs in a bubblewrap jail: read-only system, Python environment and helpers, a fresh
# writable working folder, no course files (source/, solutions/, gradebook, other students' work), no network
# (ZeroMQ over ipc sockets). Where the jail cannot start, autograding refuses and says why; setting
# c.LimitedKernelManager.unsafe_no_sandbox = True (make grade-autograde UNSAFE_NO_SANDBOX=1) grades without it,
# UNSAFE: a submission could then read the hidden tests and the gradebook.
# RLIMIT_NPROC of a sandboxed kernel, processes and threads together: 128 + 16 per CPU by default (-1), measured
# against TensorFlow's thread pools (a kernel peaks at ~27 tasks on 1 CPU, ~35 on 2).
c.LimitedKernelManager.process_limit = -1
c.GuardedExecute.notebook_timeout = 900  # seconds for all the cells of one notebook together

# Feedback shows learners their test results but not the hidden tests (nbgrader's default feedback shows the
# restored hidden tests in full, and the tracebacks quote them).
c.GenerateFeedback.preprocessors = [
    GetGrades,
    _guard.HideHiddenTests,
    CSSHTMLHeaderPreprocessor,
]
