"""nbgrader settings of the French edition: the course's own settings, under the French course id.

Run nbgrader from this folder (``cd fr``): its ``source/``, ``release/`` and ``solutions/`` are the French
notebooks, built from the same authoring files as the English ones, with the same assignment ids and grade ids.
"""

from pathlib import Path

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)
load_subconfig(str(Path(__file__).resolve().parent.parent / "nbgrader_config.py"))  # noqa: F821

c.CourseDirectory.course_id = "keras-regularization-fr"
