"""The course on JupyterHub, on this machine: accounts, the shared exchange, the instructor's course folder.

    python -m tools.hub serve --instructor prof --learners "ana bo"   # prepare, then run the hub (Ctrl-C stops)
    python -m tools.hub remove-users --instructor prof --learners "ana bo"  # delete the accounts and homes

``serve`` runs as root. It creates the missing accounts (local system users with a home of mode 700 and a
random password, printed once and kept in ``<state>/accounts.txt``, readable by root only), makes the
exchange (mode 1777), gives the instructor a course folder (``~/course``: ``source/`` copied from this
repository and an ``nbgrader_config.py`` that loads the repository's, so grading runs in the sandbox) and
every account an nbgrader configuration naming the exchange, then replaces itself with JupyterHub started on
``hub/jupyterhub_config.py``. Existing accounts, passwords and course folders are kept as they are.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pwd
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HUB = ROOT / "hub"
LEARNER_CONFIG = HUB / "learner"
PROXY = HUB / "node_modules" / ".bin" / "configurable-http-proxy"
DEFAULT_EXCHANGE = Path("/srv/nbgrader/exchange")
DEFAULT_STATE = ROOT / "build" / "hub" / "state"
NAME = re.compile(r"^[a-z_][a-z0-9_-]{0,30}$")


def course_id() -> str:
    """The course id set in the repository's nbgrader_config.py."""
    text = (ROOT / "nbgrader_config.py").read_text()
    found = re.search(r"""^c\.CourseDirectory\.course_id\s*=\s*["']([^"']+)["']""", text, re.M)
    if not found:
        raise SystemExit("nbgrader_config.py sets no c.CourseDirectory.course_id")
    return found.group(1)


def check_name(name: str) -> str:
    """``name`` if it is a valid account name, else exit with a message."""
    if not NAME.match(name):
        raise SystemExit(f"{name!r} is not a valid account name (lowercase letters, digits, _ and -)")
    return name


def user_exists(name: str) -> bool:
    """Whether a system account ``name`` exists."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def home_of(name: str) -> Path:
    """Home folder of an account."""
    return Path(pwd.getpwnam(name).pw_dir)


def create_user(name: str, password: str) -> None:
    """Create a local account with a private home (mode 700) and set its password."""
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", "--user-group", name], check=True)
    subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)
    home_of(name).chmod(0o700)


def remove_user(name: str) -> None:
    """Delete an account, its home and its group (nothing happens when it does not exist)."""
    if user_exists(name):
        subprocess.run(["userdel", "--remove", name], check=False, capture_output=True)


def write_owned(path: Path, text: str, owner: str, mode: int = 0o644) -> None:
    """Write ``text`` to ``path`` (folders created as needed) owned by ``owner``."""
    entry = pwd.getpwnam(owner)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    for p in (path, path.parent):
        os.chown(p, entry.pw_uid, entry.pw_gid)


def learner_config(exchange: Path) -> str:
    """nbgrader settings of every account: the course and its shared exchange."""
    return (
        "# Written by `make hub`: the course's shared exchange.\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {course_id()!r}\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
    )


def instructor_config(course: Path, exchange: Path) -> str:
    """nbgrader settings of the instructor's course folder: the repository's, rooted in that folder."""
    return (
        "# Written by `make hub`: the course's settings (and its grading sandbox), rooted here.\n"
        "c = get_config()  # noqa: F821\n"
        f"load_subconfig({str(ROOT / 'nbgrader_config.py')!r})  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
    )


def prepare_exchange(exchange: Path) -> None:
    """Create the exchange: a folder everyone can write in, each one's files their own (mode 1777)."""
    exchange.mkdir(parents=True, exist_ok=True)
    exchange.chmod(0o1777)
    for parent in exchange.parents:
        if parent.stat().st_mode & 0o005 != 0o005:
            raise SystemExit(f"{parent} is not readable by every account: the exchange cannot live under it")


def prepare_learner(name: str, exchange: Path) -> None:
    """A learner's nbgrader settings (``~/.jupyter/nbgrader_config.py``)."""
    home = home_of(name)
    home.chmod(0o700)
    write_owned(home / ".jupyter" / "nbgrader_config.py", learner_config(exchange), name)


def prepare_instructor(name: str, exchange: Path) -> Path:
    """The instructor's course folder ``~/course`` (kept when it exists) and settings; return the folder."""
    home = home_of(name)
    home.chmod(0o700)
    course = home / "course"
    entry = pwd.getpwnam(name)
    if not (course / "source").is_dir():
        shutil.copytree(ROOT / "source", course / "source", dirs_exist_ok=True)
        for path in [course, *course.rglob("*")]:
            os.chown(path, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
    write_owned(course / "nbgrader_config.py", instructor_config(course, exchange), name)
    # The formgrader and nbgrader's commands find the course wherever the instructor starts them.
    write_owned(
        home / ".jupyter" / "nbgrader_config.py",
        f"c = get_config()  # noqa: F821\nload_subconfig({str(course / 'nbgrader_config.py')!r})  # noqa: F821\n",
        name,
    )
    return course


def closed_folder(path: Path) -> Path | None:
    """The outermost folder above ``path`` that other accounts cannot enter (None when there is none)."""
    for parent in reversed(path.parents):
        if parent.stat().st_mode & 0o001 == 0:
            return parent
    return None


@contextlib.contextmanager
def traversable(path: Path) -> Iterator[list[Path]]:
    """For the block, let other accounts pass through (o+x: enter, not list) each folder above ``path`` they
    cannot enter; every mode is put back afterwards. The folders it opened are yielded."""
    changed: list[tuple[Path, int]] = []
    try:
        for parent in reversed(Path(path).parents):
            mode = parent.stat().st_mode & 0o7777
            if mode & 0o001 == 0:
                parent.chmod(mode | 0o001)
                changed.append((parent, mode))
        yield [folder for folder, _ in changed]
    finally:
        for folder, mode in reversed(changed):
            folder.chmod(mode)


def check_runnable(name: str = "nobody") -> None:
    """Exit with the cause and the fix unless an unprivileged account can run the course's Python and Hub."""
    python = Path(sys.executable)
    done = subprocess.run(
        ["runuser", "-u", name, "--", str(python), "-c", "import jupyterhub, nbgrader, helpers"],
        cwd="/", capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode == 0:
        return
    real = python.resolve()
    closed = closed_folder(real) or closed_folder(ROOT)
    where = f": {real} is inside {closed}, which other accounts cannot enter" if closed else ""
    raise SystemExit(
        f"account {name} cannot run the course's Python{where}.\n{done.stderr.strip()[-500:]}\n"
        "Every account's JupyterLab runs from this venv: build it from a Python every account can run "
        "(e.g. rm -rf .venv; make venv PYTHON=/usr/bin/python3.11), or open the folder to them (chmod o+x)."
    )


def ensure_accounts(names: list[str], state: Path) -> dict[str, str]:
    """Create the missing accounts with random passwords, recorded in ``state/accounts.txt``; return them."""
    created = {}
    for name in names:
        if not user_exists(name):
            created[name] = secrets.token_urlsafe(9)
            create_user(name, created[name])
    if created:
        accounts = state / "accounts.txt"
        with accounts.open("a") as fh:
            fh.writelines(f"{name} {password}\n" for name, password in created.items())
        accounts.chmod(0o600)
    return created


def hub_environment(
    instructor: str,
    learners: list[str],
    state: Path,
    ip: str,
    port: int,
    hub_api_port: int,
    proxy_api_port: int,
) -> dict[str, str]:
    """Environment read by hub/jupyterhub_config.py."""
    env = dict(os.environ)
    env.update(
        COURSE_HUB_INSTRUCTOR=instructor,
        COURSE_HUB_LEARNERS=" ".join(learners),
        COURSE_HUB_STATE=str(state),
        COURSE_HUB_IP=ip,
        COURSE_HUB_PORT=str(port),
        COURSE_HUB_API_PORT=str(hub_api_port),
        COURSE_HUB_PROXY_API_PORT=str(proxy_api_port),
    )
    return env


def prepare(instructor: str, learners: list[str], exchange: Path, state: Path) -> dict[str, str]:
    """Accounts, exchange, course folder and settings; return the accounts created now, with passwords."""
    if os.geteuid() != 0:
        raise SystemExit("the hub runs as root (it starts each account's server as that account)")
    if not PROXY.exists():
        raise SystemExit(f"{PROXY} is missing: run `make hub-deps`")
    for name in [instructor, *learners]:
        check_name(name)
    if instructor in learners or len(set(learners)) != len(learners):
        raise SystemExit("each account is named once, and the instructor is not a learner")
    check_runnable()
    state.mkdir(parents=True, exist_ok=True)
    state.chmod(0o700)
    prepare_exchange(exchange)
    created = ensure_accounts([instructor, *learners], state)
    prepare_instructor(instructor, exchange)
    for name in learners:
        prepare_learner(name, exchange)
    return created


def main(argv: list[str] | None = None) -> int:
    """Command line: prepare and serve, or remove the accounts."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__,
    )
    parser.add_argument("step", choices=["serve", "remove-users"])
    parser.add_argument("--instructor", default="instructor")
    parser.add_argument("--learners", default="learner1 learner2", help="names separated by spaces")
    parser.add_argument("--exchange", type=Path, default=DEFAULT_EXCHANGE)
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE, help="the hub's database and secrets")
    parser.add_argument("--ip", default="127.0.0.1", help="address of the hub's pages")
    parser.add_argument("--port", type=int, default=8000, help="port of the hub's pages")
    parser.add_argument("--hub-api-port", type=int, default=8081)
    parser.add_argument("--proxy-api-port", type=int, default=8001)
    args = parser.parse_args(argv)
    learners = args.learners.split()
    if args.step == "remove-users":
        for name in [args.instructor, *learners]:
            remove_user(check_name(name))
        return 0
    exchange, state = args.exchange.resolve(), args.state.resolve()
    created = prepare(args.instructor, learners, exchange, state)
    for name, password in created.items():
        print(f"created account {name} with password {password}")
    if created:
        print(f"(passwords kept in {state / 'accounts.txt'}, readable by root only)")
    print(
        f"course {course_id()}: exchange {exchange}, instructor's course folder {home_of(args.instructor) / 'course'}"
    )
    print(f"the hub: http://{args.ip}:{args.port}/ (Ctrl-C stops it and every server it started)", flush=True)
    env = hub_environment(
        args.instructor, learners, state, args.ip, args.port, args.hub_api_port, args.proxy_api_port
    )
    jupyterhub = Path(sys.executable).with_name("jupyterhub")
    cmd = [str(jupyterhub), "-f", str(HUB / "jupyterhub_config.py")]
    os.chdir(state)
    os.execve(cmd[0], cmd, env)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
