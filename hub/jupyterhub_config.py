"""JupyterHub for the course: local accounts log in with their system password, each gets their own JupyterLab.

Started by ``make hub`` (``python -m tools.hub serve``), which prepares the accounts and passes the settings
below through the environment. Learners get the Assignments list and Validate, not Formgrader, Create
Assignment or the course list (``hub/learner/``, given to their servers as a Jupyter config folder); the
instructor gets every nbgrader tool, on the course folder ``~/course``.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

HUB = Path(__file__).resolve().parent
ROOT = HUB.parent
VENV_BIN = Path(sys.executable).parent  # the course's venv: the servers and kernels run from it
INSTRUCTOR = os.environ.get("COURSE_HUB_INSTRUCTOR", "instructor")
LEARNERS = os.environ.get("COURSE_HUB_LEARNERS", "learner1 learner2").split()
STATE = Path(os.environ.get("COURSE_HUB_STATE", ROOT / "build" / "hub" / "state"))
IP = os.environ.get("COURSE_HUB_IP", "127.0.0.1")
PORT = int(os.environ.get("COURSE_HUB_PORT", "8000"))

# The public address (the proxy), the hub's own API, the proxy's API: all on this machine but the first.
c.JupyterHub.bind_url = f"http://{IP}:{PORT}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("COURSE_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('COURSE_HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [str(HUB / "node_modules" / ".bin" / "configurable-http-proxy")]
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every server it started

# System accounts, system passwords (PAM); only the course's accounts may log in.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False
c.Authenticator.allowed_users = {INSTRUCTOR, *LEARNERS}

# Each account's JupyterLab runs as that account, from the course's venv, in its home.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {
    "PATH": os.pathsep.join([str(VENV_BIN), "/usr/local/bin", "/usr/bin", "/bin"]),
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "PYTHONHASHSEED": "0",
}


def role_environment(spawner) -> None:
    """Learners' servers read hub/learner/ (their nbgrader tools); the instructor's, the defaults."""
    if spawner.user.name != INSTRUCTOR:
        spawner.environment = {**spawner.environment, "JUPYTER_CONFIG_PATH": str(HUB / "learner")}


c.Spawner.pre_spawn_hook = role_environment
