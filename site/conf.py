"""Sphinx configuration of the course site (``make site``; ``tools/site.py`` stages the pages and builds them).

The lessons are executed by myst-nb with jupyter-cache: a lesson runs again only when its code changed, and a
cell that fails stops the build. Exercise pages are the release notebooks (no solutions, no hidden tests),
shown as they are, not executed: their answer cells still raise ``NotImplementedError``.
"""

import os

project = "Regularization and normalization with Keras"
author = "The course's authors"
copyright = "the course's authors"
language = "en"

extensions = ["myst_nb"]
html_theme = "furo"
html_title = project
html_static_path: list[str] = []
html_copy_source = False  # the pages' sources are notebooks: the site shows them rendered, not as files
html_show_sourcelink = False
exclude_patterns = ["_build", "**.ipynb_checkpoints", "jupyter_execute"]

myst_enable_extensions = ["colon_fence", "dollarmath"]
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type", "myst.header"]

nb_execution_mode = "cache"
nb_execution_cache_path = os.environ.get("COURSE_SITE_CACHE", "../cache")
nb_execution_excludepatterns = ["release/*/*.ipynb"]  # matched from the right of the path
nb_execution_raise_on_error = True  # a failing cell fails the build
nb_execution_show_tb = True
nb_execution_timeout = 600
nb_merge_streams = True
