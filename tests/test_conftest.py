"""Kernels started by tests forward C-level stderr, as they do for learners (see conftest.py)."""

import nbformat
import pytest
from nbclient import NotebookClient


@pytest.mark.slow
def test_kernel_started_from_a_test_forwards_fd_level_stderr():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import os\nos.write(2, b'from the C level\\n'); None")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    streams = [o for o in nb.cells[0].outputs if o.output_type == "stream" and o.name == "stderr"]
    assert any("from the C level" in o.text for o in streams), nb.cells[0].outputs
