"""The grading sandbox (tools/grading_kernel.py): what a jailed process sees, may write and may start.

Most tests start ``bwrap`` directly with a small Python probe, as the kernel manager would (same folders, same
launcher, same limits), without nbgrader and without a kernel: a second or two each. One test starts a real
sandboxed kernel through ``LimitedKernelManager``. The refusal tests need no bubblewrap at all.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = ROOT / "tools" / "grading_kernel.py"


def load_guard() -> Any:
    """tools/grading_kernel.py as nbgrader_config.py loads it (module name ``grading_kernel``)."""
    if "grading_kernel" not in sys.modules:
        spec = importlib.util.spec_from_file_location("grading_kernel", LAUNCHER)
        module = importlib.util.module_from_spec(spec)
        sys.modules["grading_kernel"] = module
        spec.loader.exec_module(module)
    return sys.modules["grading_kernel"]


guard = load_guard()
HAVE_BWRAP = shutil.which("bwrap") is not None
needs_bwrap = pytest.mark.skipif(not HAVE_BWRAP, reason="bubblewrap is not installed (make sandbox)")
AS_ROOT = os.geteuid() == 0


def sandbox_works() -> bool:
    """Whether bwrap can start a jail here (namespaces allowed)."""
    if not HAVE_BWRAP:
        return False
    try:
        guard.probe(shutil.which("bwrap"))
    except guard.SandboxUnavailable:
        return False
    return True


needs_sandbox = pytest.mark.skipif(not sandbox_works(), reason="bwrap cannot start a sandbox on this host")

# Runs in the jail: reports what it can see, write and reach as JSON on stdout.
PROBE = textwrap.dedent(
    """
    import json, os, socket, sys
    targets = json.loads(sys.argv[1])
    out = {"uid": os.getuid(), "cwd": os.getcwd(), "files": sorted(os.listdir(".")), "env": dict(os.environ)}
    out["visible"] = {p: os.path.exists(p) for p in targets["hidden"]}
    writes = {}
    for path in targets["read_only"]:
        try:
            with open(path, "a") as fh:
                fh.write("# sandbox escape\\n")
            writes[path] = "written"
        except OSError as exc:
            writes[path] = type(exc).__name__ + ": " + (exc.strerror or "")
    out["writes"] = writes
    try:
        socket.create_connection(("127.0.0.1", targets["port"]), timeout=3).close()
        out["network"] = "connected"
    except OSError as exc:
        out["network"] = type(exc).__name__
    import helpers, pwd
    out["helpers"] = helpers.__file__
    out["users"] = [u.pw_name for u in pwd.getpwall()]
    out["me"] = pwd.getpwuid(os.getuid()).pw_name
    print(json.dumps(out))
    """
)


def run_jailed(
    jail: Any, code: str, *args: str, nproc: int = 0, fsize_mb: int = 0, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run ``python -c code args`` in ``jail`` through the launcher, as a grading kernel would be run."""
    python = str(Path(sys.executable).absolute())
    limits = ["--fsize-mb", str(fsize_mb), "--nproc", str(nproc), "--chdir", str(jail.work)]
    if jail.as_root:
        limits += ["--uid", str(jail.uid), "--gid", str(jail.gid)]
    inner = [python, "-I", str(LAUNCHER), *limits, "--", python, "-c", code, *args]
    environment = guard.kernel_env(dict(env or os.environ), [], python, jail.work)
    return subprocess.run(jail.command(inner, environment), capture_output=True, text=True, timeout=120)


@pytest.fixture
def jail(tmp_path: Path) -> Any:
    """A jail like a grading kernel's: Python environment, helpers and the launcher, read-only."""
    made = guard.Jail.create(
        tmp_path,
        read_only=[*guard.python_dirs(sys.executable), guard.helpers_dir(), LAUNCHER],
        bwrap=shutil.which("bwrap") or "bwrap",
        as_root=AS_ROOT,
    )
    yield made
    made.remove()


@pytest.fixture
def listener() -> Any:
    """A TCP listener on 127.0.0.1 that records every connection it accepts."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    accepted: list[Any] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, addr = server.accept()
            except OSError:
                continue
            accepted.append(addr)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    server.close()


@needs_sandbox
def test_the_jail_hides_the_course_is_read_only_and_has_no_network(jail, tmp_path, listener) -> None:
    port, accepted = listener
    course = tmp_path / "course"
    submission = course / "autograded" / "alice" / "01_overfitting"
    submission.mkdir(parents=True)
    (submission / "01_overfitting.ipynb").write_text("{}")  # nbgrader's sanitized copy: hidden tests inside
    (submission / "data.csv").write_text("x,y\n1,2\n")
    (submission / "link").symlink_to(course / "gradebook.db")
    (course / "gradebook.db").write_text("grades")
    jail.reset_work(submission)
    helpers_init = guard.helpers_dir() / "__init__.py"
    before = helpers_init.read_bytes()
    # The grader's home: its entries are invisible (only the folders of the Python environment, when it
    # lives there, appear as empty skeleton folders around their read-only bind).
    bound = [*guard.python_dirs(sys.executable), guard.helpers_dir()]
    home = [p for p in Path.home().iterdir() if not any(b.is_relative_to(p) for b in bound)][:20]
    targets = {
        "hidden": [
            str(ROOT / "source"),
            str(ROOT / "solutions"),
            str(ROOT / "nbgrader_config.py"),
            str(course / "gradebook.db"),
            str(course),
            *map(str, home),
            "/etc/shadow",
        ],
        "read_only": [str(helpers_init), str(Path(sys.executable).absolute()), "/usr/new-file"],
        "port": port,
    }
    secret = {**os.environ, "NBGRADER_DB_URL": "postgresql://grader:secret@db/grades", "AWS_SECRET": "x"}
    done = run_jailed(jail, PROBE, json.dumps(targets), env=secret)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert not any(seen["visible"].values()), f"visible in the jail: {seen['visible']}"
    # EROFS (read-only bind), or EACCES first where the kernel runs as another uid than the files' owner.
    refused = ("OSError: Read-only file system", "PermissionError: Permission denied")
    assert all(result in refused for result in seen["writes"].values()), seen["writes"]
    assert helpers_init.read_bytes() == before
    assert seen["network"] in ("ConnectionRefusedError", "OSError"), seen["network"]
    assert accepted == [], "the listener on the host's loopback was reached from the jail"
    assert seen["cwd"] == str(jail.work) and seen["env"]["HOME"] == str(jail.work)
    assert seen["files"] == ["data.csv"], "supporting files copied; no notebook, no symlink"
    assert "NBGRADER_DB_URL" not in seen["env"] and "AWS_SECRET" not in seen["env"]
    assert seen["helpers"] == str(helpers_init)
    assert (seen["uid"] in guard.JAIL_UIDS) if AS_ROOT else True, "run by root, the jail has a uid of its own"
    assert seen["users"] == ["root", "learner"] and seen["me"] == "learner", "the host's users stay out"


@needs_sandbox
def test_the_jail_writes_only_its_own_folder_and_leaves_nothing_behind(jail) -> None:
    code = "open('notes.txt', 'w').write('mine'); open('/tmp/t', 'w').write('tmp'); print('ok')"
    done = run_jailed(jail, code)
    assert done.returncode == 0, done.stderr
    assert (jail.work / "notes.txt").read_text() == "mine"
    jail.reset_work()
    assert list(jail.work.iterdir()) == [], "each kernel start gets a fresh working folder"
    jail.remove()
    assert not jail.root.exists()


@needs_sandbox
def test_file_size_limit_stops_a_large_write(jail) -> None:
    code = textwrap.dedent(
        """
        try:
            with open("big.bin", "wb") as fh:
                for _ in range(8):
                    fh.write(bytes(1024 * 1024))
        except OSError as exc:
            print(exc.errno)
        """
    )
    done = run_jailed(jail, code, fsize_mb=2)
    assert done.stdout.strip() == "27", done.stderr  # EFBIG: File too large
    assert (jail.work / "big.bin").stat().st_size <= 2 * 1024 * 1024


@needs_sandbox
def test_process_limit_stops_a_fork_storm_and_the_jail_takes_it_down(jail) -> None:
    marker = "86399.5"  # an unusual sleep, to find any survivor afterwards
    code = textwrap.dedent(
        f"""
        import subprocess
        started = 0
        try:
            for _ in range(500):
                subprocess.Popen(["sleep", "{marker}"])
                started += 1
        except OSError as exc:
            print(started, exc.errno, flush=True)
        """
    )
    done = run_jailed(jail, code, nproc=40)
    started, errno = (int(x) for x in done.stdout.split())
    assert errno == 11 and started < 40, done.stdout  # EAGAIN before the 40th task
    time.sleep(0.5)
    survivors = subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True, text=True).stdout
    assert survivors.strip() == "", "processes outlived the jail's PID namespace"


@needs_sandbox
@pytest.mark.skipif(not AS_ROOT or shutil.which("setpriv") is None, reason="needs root and setpriv")
def test_an_ordinary_user_gets_the_same_jail_in_a_user_namespace(tmp_path) -> None:
    """The grader as an ordinary user (here: nobody, through setpriv) with the system's Python: bwrap uses
    --unshare-user, the process limit counts the jail's tasks, the course stays invisible."""
    python = shutil.which("python3", path="/usr/bin:/bin")
    if python is None:
        pytest.skip("no system python3")
    setpriv = ["setpriv", "--reuid", str(guard.NOBODY), "--regid", str(guard.NOBODY), "--clear-groups"]
    userns = subprocess.run([*setpriv, "bwrap", *guard.namespace_args(False), "--ro-bind", "/", "/", "true"])
    if userns.returncode != 0:
        pytest.skip("unprivileged user namespaces are refused here")
    base = Path(tempfile.mkdtemp(prefix="sandbox-user-"))
    try:
        os.chown(base, guard.NOBODY, guard.NOBODY)
        jail = guard.Jail.create(base, read_only=[LAUNCHER], as_root=True, uid=guard.NOBODY)  # nobody's...
        os.chown(jail.root, guard.NOBODY, guard.NOBODY)
        jail.as_root = False  # ...who runs bwrap as an ordinary grader would
        code = textwrap.dedent(
            f"""
            import os, subprocess
            n = 0
            try:
                for _ in range(200):
                    subprocess.Popen(["sleep", "3"])
                    n += 1
            except OSError:
                pass
            print(n, os.path.exists({str(ROOT / "source")!r}), os.getuid())
            """
        )
        inner = [
            python,
            "-I",
            str(LAUNCHER),
            "--nproc",
            "20",
            "--chdir",
            str(jail.work),
            "--",
            python,
            "-c",
            code,
        ]
        cmd = jail.command(inner, guard.kernel_env({}, [], python, jail.work))
        assert "--unshare-user" in cmd and "CAP_SETUID" not in cmd
        done = subprocess.run([*setpriv, *cmd], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        started, sees_source, uid = done.stdout.split()
        assert int(started) < 20 and sees_source == "False" and uid == str(guard.NOBODY), done.stdout
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_missing_bwrap_refuses_with_the_fix(tmp_path) -> None:
    from tools.classroom import Classroom

    room = Classroom(tmp_path, overrides={"LimitedKernelManager": {"bwrap": "no-such-bwrap"}})
    with pytest.raises(room.grading_guard().SandboxUnavailable) as refused:
        room.autograde(["01_overfitting"], ["nobody"])
    message = str(refused.value)
    assert "`no-such-bwrap` was not found" in message
    assert "make sandbox" in message and "UNSAFE_NO_SANDBOX=1" in message
    unsafe = Classroom(tmp_path, unsafe_no_sandbox=True, overrides=room.overrides)
    assert "UNSAFE" in unsafe.check_sandbox()


def test_the_command_line_stops_before_grading_and_names_the_cause(tmp_path, capsys, monkeypatch) -> None:
    from tools import classroom

    monkeypatch.setattr(classroom.Classroom, "autograde", lambda *a, **k: pytest.fail("graded anyway"))
    guard_module = classroom.Classroom(tmp_path).grading_guard()

    def refuse(km: Any) -> str:
        raise guard_module.SandboxUnavailable("bwrap is installed but cannot start a sandbox here: nope.")

    monkeypatch.setattr(guard_module, "check_sandbox", refuse)
    assert classroom.main(["--course", str(tmp_path), "autograde"]) == 2
    assert "autograde: not started. bwrap is installed but cannot start" in capsys.readouterr().err


def test_refused_namespaces_are_explained(tmp_path) -> None:
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    with pytest.raises(guard.SandboxUnavailable) as refused:
        guard.probe(str(fake), root=False)
    message = str(refused.value)
    assert "No permissions to create new namespace" in message
    assert "unprivileged user namespaces" in message and "UNSAFE_NO_SANDBOX=1" in message
    with pytest.raises(guard.SandboxUnavailable, match="CAP_SYS_ADMIN"):
        guard.probe(str(fake), root=True)


def test_the_kernel_environment_keeps_only_what_it_needs(tmp_path) -> None:
    env = {"PATH": "/x", "TF_CPP_MIN_LOG_LEVEL": "2", "GITHUB_TOKEN": "t", "SPEC_VAR": "1", "LANG": "C.UTF-8"}
    out = guard.kernel_env(env, ["SPEC_VAR"], "/venv/bin/python", tmp_path)
    assert out["TF_CPP_MIN_LOG_LEVEL"] == "2" and out["SPEC_VAR"] == "1" and out["LANG"] == "C.UTF-8"
    assert "GITHUB_TOKEN" not in out
    assert out["PATH"].split(os.pathsep)[0] == "/venv/bin"
    assert out["HOME"] == str(tmp_path) and out["MPLCONFIGDIR"].startswith(str(tmp_path))
    assert out["JPY_PARENT_PID"] == "1"


@needs_sandbox
@pytest.mark.slow
def test_a_sandboxed_kernel_runs_cells_is_interrupted_and_sees_no_course(tmp_path) -> None:
    """A real kernel through LimitedKernelManager and nbclient: ipc transport, interrupt by message (the
    kernel survives a cell timeout), no stderr from matplotlib or IPython at start-up."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    sources = [
        f"import os\nx = 1\nprint(os.getcwd(), os.path.exists({str(ROOT / 'source')!r}), os.getuid())",
        "while True:\n    pass",
        "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nprint('alive', x)",
    ]
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    client = NotebookClient(
        nb,
        timeout=20,
        allow_errors=True,
        interrupt_on_timeout=True,
        kernel_manager_class=guard.LimitedKernelManager,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    first, loop, last = (c.outputs for c in nb.cells)
    cwd, sees_source, uid = first[0]["text"].split()
    assert Path(cwd).name == "work" and sees_source == "False"
    assert (uid != "0") if AS_ROOT else True
    assert loop[-1]["ename"] == "KeyboardInterrupt", "interrupted, not killed"
    assert [o.get("text") for o in last if o.output_type == "stream"] == ["alive 1\n"]
    assert not [o for c in nb.cells for o in c.outputs if o.get("name") == "stderr"]
    assert not Path(cwd).parent.exists(), "the jail's folder is removed with the kernel"


@pytest.mark.parametrize(("with_s", "flagged"), [(104.0, False), (112.0, True)])
def test_the_bench_reports_what_the_sandbox_adds_and_flags_more_than_its_budget(with_s, flagged) -> None:
    from tools import bench

    gb = 1_000_000_000
    measures = [
        bench.Measure("floor", "floor", 10.0, gb // 2),
        bench.Measure("autograde", "full submission", with_s, gb // 2, cpu_seconds=90.0),
        bench.Measure("autograde-part", "01_x", with_s, gb // 2),
        bench.Measure(
            "autograde-nosandbox", "full submission, without the sandbox", 100.0, gb // 2, cpu_seconds=88
        ),
        bench.Measure("autograde-nosandbox-part", "01_x", 100.0, gb // 2),
    ]
    budgets = bench.Budgets(autograde_s=200.0)
    sandbox = bench.sandbox_overhead(measures)
    assert sandbox["overhead"] == pytest.approx(with_s / 100 - 1)
    assert sandbox["cpu_overhead"] == pytest.approx(90 / 88 - 1, abs=1e-4)
    rows = bench.evaluate(measures, budgets)
    assert [r.kind for r in bench.missed(rows)] == (["autograde"] if flagged else [])
    meta = {
        "generated": "now",
        "machine": {"cpus": 2, "platform": "Linux", "python": "3.11", "tensorflow": "2.21"},
        "load_before": "1.00",
        "load_after": "1.00",
        "budgets": vars(budgets),
        "floor_samples": [10.0],
        "floor_seconds": 10.0,
        "floor_rss_mb": 500,
        "sandbox": sandbox,
    }
    text = bench.render_markdown(rows, meta)
    assert f"**{with_s / 100 - 1:+.1%}** wall time" in text
    assert ("the sandbox adds" in text.split("## Missed budgets")[1]) == flagged
