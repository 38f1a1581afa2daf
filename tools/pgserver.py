"""A throwaway PostgreSQL server for a gradebook, from Debian's ``postgresql`` package.

    python -m tools.pgserver     # start a server in a fresh folder, print its gradebook URL; Ctrl-C stops it

The tests start one with ``running_postgres()`` and stop it when they are done. The server listens on the
loopback only, on a free port, with one password-protected role; its data lives in a folder of its own.
As root, the server runs as Debian's ``postgres`` account (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

DATABASE = "gradebook"
ROLE = "grader"


class PostgresMissing(RuntimeError):
    """PostgreSQL's server programs are not installed here."""


def server_bin() -> Path:
    """The folder of ``initdb`` and ``pg_ctl`` (Debian keeps them out of PATH, under /usr/lib/postgresql)."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if versions:
        return Path(versions[-1]).parent
    raise PostgresMissing(
        "PostgreSQL's server is not installed: run `make postgres` (Debian's postgresql package) "
        "or point PATH at the folder of pg_ctl"
    )


def free_port() -> int:
    """A TCP port on the loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_account() -> str | None:
    """The account the server runs as: ``postgres`` when we are root (None: ourselves)."""
    if os.getuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise PostgresMissing("running as root, and there is no 'postgres' account to run PostgreSQL as")


@dataclass
class PostgresServer:
    """One PostgreSQL cluster in ``folder``: ``start()``, ``url``, ``stop()``."""

    folder: Path
    port: int = field(default_factory=free_port)
    password: str = field(default_factory=lambda: secrets.token_urlsafe(16))

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the gradebook database (psycopg 3 driver)."""
        return f"postgresql+psycopg://{ROLE}:{self.password}@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, *argv: str) -> subprocess.CompletedProcess:
        """Run a server program as the server's account; raise with its output when it fails."""
        account = server_account()
        command = [str(server_bin() / argv[0]), *argv[1:]]
        if account:
            command = ["runuser", "-u", account, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.folder)
        if done.returncode:
            raise RuntimeError(f"{' '.join(argv[:2])} failed:\n{done.stdout}{done.stderr}")
        return done

    def start(self) -> str:
        """Create the cluster, start the server and the gradebook database; return its URL."""
        self.folder.mkdir(parents=True, exist_ok=True)
        data = self.folder / "data"
        secret = self.folder / "password"
        secret.write_text(self.password + "\n")
        account = server_account()
        if account:
            entry = pwd.getpwnam(account)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
            os.chown(secret, entry.pw_uid, entry.pw_gid)
        os.chmod(self.folder, 0o700)
        os.chmod(secret, 0o600)
        self._run(
            "initdb", "-D", str(data), "-U", ROLE, f"--pwfile={secret}",
            "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C",
        )  # fmt: skip
        secret.unlink()
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.folder}"
        self._run(
            "pg_ctl", "-D", str(data), "-l", str(self.folder / "server.log"), "-o", options, "-w", "start"
        )
        self._run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", ROLE, "-d", "postgres",
            "-q", "-c", f"CREATE DATABASE {DATABASE}",
        )  # fmt: skip
        return self.url

    def stop(self) -> None:
        """Stop the server (fast shutdown) if it runs."""
        data = self.folder / "data"
        if (data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop")


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server in a fresh folder for the duration of the block, then stopped and removed."""
    folder = Path(tempfile.mkdtemp(prefix="course-pg-"))
    server = PostgresServer(folder)
    # psql reads the password from the environment (it never goes on a command line).
    previous = os.environ.get("PGPASSWORD")
    os.environ["PGPASSWORD"] = server.password
    try:
        server.start()
        yield server
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            if previous is None:
                os.environ.pop("PGPASSWORD", None)
            else:
                os.environ["PGPASSWORD"] = previous


def main(argv: list[str] | None = None) -> int:
    """Start a server, print its URL, stop it on Ctrl-C."""
    del argv
    with running_postgres() as server:
        print(f"gradebook: {server.url}\nCtrl-C stops the server and deletes its data.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    return 0


if __name__ == "__main__":
    sys.exit(main())
