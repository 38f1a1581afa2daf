"""Shared pytest set-up for the tests and for nbval runs on notebooks/ and solutions/.

- TensorFlow starts quietly and matplotlib is headless in every test process.
- Under pytest-xdist, each worker's kernels have their own IPython folder, and the workers start 2 s apart.
- Jupyter kernels started by a test forward C-level stderr the way they do for learners. ipykernel stops
  forwarding file-descriptor output when ``PYTEST_CURRENT_TEST`` is in its environment, which would hide exactly
  the TensorFlow log noise and stderr writes that nbgrader penalizes; so the variable is dropped from the
  environment of every kernel launched from a test process (``LocalProvisioner._finalize_env`` is the hook
  jupyter_client provides for tidying a kernel's environment). Subprocesses started by tests should pass
  ``env=kernel_env()``.
"""

from __future__ import annotations

import os
import time

from jupyter_client.provisioning.local_provisioner import LocalProvisioner

# Under pytest-xdist (make unit, make notebooks), each worker's kernels get an IPython folder of their own: two
# kernels starting at once never share IPython's profile and history database; the second worker starts a little
# later, so that the first kernels of the two workers do not start in the same instant.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER:
    _ipython = os.path.join(os.path.dirname(os.path.abspath(__file__)), "build", "ipython", _WORKER)
    os.makedirs(_ipython, exist_ok=True)
    os.environ["IPYTHONDIR"] = _ipython
    time.sleep(2.0 * int(_WORKER.removeprefix("gw") or 0))

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("MPLBACKEND", "Agg")

PYTEST_MARKER = "PYTEST_CURRENT_TEST"
_finalize_env = LocalProvisioner._finalize_env


def _finalize_env_without_marker(self, env: dict[str, str]) -> None:
    """Tidy a kernel's environment as jupyter_client does, minus pytest's marker variable."""
    _finalize_env(self, env)
    env.pop(PYTEST_MARKER, None)


LocalProvisioner._finalize_env = _finalize_env_without_marker


def kernel_env() -> dict[str, str]:
    """This process's environment without pytest's marker, for subprocesses that start kernels."""
    return {k: v for k, v in os.environ.items() if k != PYTEST_MARKER}
