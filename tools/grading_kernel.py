"""Guard rails for autograding: a sandboxed, resource-limited kernel and an executor that survives broken
submissions.

Two roles in one file:

- As a script it is the kernel launcher: ``python grading_kernel.py --data-mb N --fsize-mb M [--nproc P]
  [--uid U --gid G] [--chdir DIR] -- CMD...`` sets resource limits on itself, drops root to an unprivileged
  uid when asked, enters DIR and then ``exec``s the kernel command, so the kernel and anything it starts
  inherit them. In the sandbox it runs inside the jail, as the jail's first program.
- As a module (imported by ``nbgrader_config.py``) it provides ``RestoreCells`` (nbgrader's OverwriteCells,
  whose re-insertion of deleted test cells fails when the cell before it was deleted too; this one puts back
  every deleted test cell and read-only course cell after the nearest cell still there), ``HideHiddenTests``
  for the feedback (test cells without their hidden region, their errors reduced to the message, since
  IPython's traceback quotes the failing line of the test) and ``GuardedExecute``, nbgrader's ``Execute``
  preprocessor with four additions:

  * every grading kernel starts in a bubblewrap jail (``LimitedKernelManager``, see *The sandbox* below)
    through the launcher, with a memory ceiling (``RLIMIT_DATA``: heap and private mappings; an over-large
    allocation raises ``MemoryError`` in the cell), a file-size ceiling (``RLIMIT_FSIZE``) and a ceiling on
    processes and threads (``RLIMIT_NPROC``); core dumps are off;
  * a kernel that dies (``os._exit``, a crash in native code) or that ignores the interrupt sent after a
    cell timeout is restarted, the cells that ran before are run again silently (test cells, and cells that
    died or timed out, excepted), and grading goes on with the next cell: the broken cell scores nothing and
    the rest of the notebook is graded for what it does right (at most ``max_restarts`` times per notebook);
  * a time budget per notebook (``notebook_timeout``): once spent, the remaining cells are not run and
    carry an error, so one submission cannot hold up the class;
  * before each test cell, builtins and IPython's code transformers are put back as they were when the
    kernel started, and the course's ``helpers`` modules are dropped from ``sys.modules`` so that the test
    imports them afresh from disk: an answer cell that patched ``helpers.checks``, ``helpers.grading``, a
    builtin, or that hooked IPython to blank out the cells that follow, gets no point for it, visible tests
    included (the hidden tests also reload ``helpers.grading`` themselves). The reset is evaluated as a user
    expression, which IPython runs without transformers. Code that patches NumPy, Keras, the IPython shell's
    methods or files on disk is out of reach of a check running in the same process.

``RLIMIT_AS`` is not used: TensorFlow reserves ~3 GB of address space for a small model while its data
segment stays under 600 MB, so an address-space cap low enough to matter would break correct answers.

The sandbox (``Jail``): each grading kernel runs under ``bwrap`` (bubblewrap) in new mount, PID, network, IPC
and UTS namespaces, with ``--die-with-parent``, no capabilities and ``no_new_privs``:

* the root is an empty read-only tmpfs holding only read-only binds of the system (``/usr`` and its
  ``/bin``, ``/lib*`` links, a short list of ``/etc`` files: ``ETC``), the Python environment (the venv and
  the interpreter it links to, each at its own path: ``/root`` itself is not bound) and the course's
  ``helpers`` package; ``/proc`` of the jail's own PID namespace, a minimal ``/dev``, a private ``/tmp``
  (tmpfs, size-capped);
* one writable folder, fresh at each kernel start: the kernel's working directory and ``HOME`` (also
  ``MPLCONFIGDIR``, ``IPYTHONDIR``), holding copies of the submission's supporting files (not its notebooks,
  whose sanitized copy carries the hidden tests; no symlinks);
* nothing else exists in the jail: not the course folder (``source/``, ``release/``, ``solutions/``, the
  gradebook, ``submitted/``, ``autograded/``), not the exchange, not the grader's home;
* no network (only the jail's own loopback): the kernel talks to nbgrader over ZeroMQ's ``ipc`` transport,
  its connection file and sockets in a second folder bound into the jail;
* a clean environment (``--clearenv``): the kernelspec's variables and a short list (``PASS_ENV``), never
  the grader's secrets (database URLs, tokens);
* interrupts are sent as messages (``interrupt_request``): a SIGINT to the process group would kill
  ``bwrap`` and with it the kernel.

Run by root (CI), ``bwrap`` creates the namespaces with root's privileges and the launcher then drops the
kernel to an unprivileged uid, because ``RLIMIT_NPROC`` is never enforced for uid 0 (nor for a uid 0 mapped
into a user namespace, which is still root to the kernel's accounting); the limit counts every task of that
uid on the host, so by default each jail gets a fresh uid of its own (``sandbox_uid``), named ``learner`` in
the jail's own ``/etc/passwd``, and one submission's fork storm cannot starve another grader's kernel. Run
by an ordinary user, ``bwrap`` needs unprivileged user namespaces (``--unshare-user``); the limit then counts
the tasks of that user inside the jail's namespace (Linux >= 5.14). Where the jail cannot start, grading refuses (``SandboxUnavailable``) unless
``unsafe_no_sandbox`` is set. The sandbox keeps a submission away from the course; it does not keep an
answer from patching modules inside its own kernel (see ``GuardedExecute``).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MiB = 1024 * 1024
# Top-level system folders bound read-only into the jail (or re-created as the same symlink, e.g. /bin -> usr/bin).
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# What of /etc a Python kernel reads (the dynamic loader, time zone, TLS roots, fonts for matplotlib); the rest
# of /etc (credentials, nbgrader's and Jupyter's own configuration, the host's users) stays out. The jail gets
# its own passwd and group files, with one user: the kernel's.
ETC = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "nsswitch.conf",
    "localtime",
    "timezone",
    "ssl",
    "ca-certificates",
    "pki",
    "fonts",
    "mime.types",
    "alternatives",
    "hosts",
    "host.conf",
    "protocols",
    "services",
    "locale.alias",
)
# Variables of the grader's environment a kernel may see (besides its kernelspec's own); everything else is
# dropped, so that database URLs, tokens and keys never reach a submission.
PASS_ENV = (
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "LC_CTYPE",
    "LC_NUMERIC",
    "TZ",
    "PYTHONHASHSEED",
    "MPLBACKEND",
    "KERAS_BACKEND",
    "NBGRADER_EXECUTION",
    "NBGRADER_VALIDATING",
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "CUDA_VISIBLE_DEVICES",
    "PYDEVD_DISABLE_FILE_VALIDATION",
)
PASS_ENV_PREFIXES = ("TF_",)
NOBODY = 65534
# Grading as root, each jail's kernel runs as a uid drawn from this range (no host user has one; see Jail).
JAIL_UIDS = range(2_100_000_000, 2_200_000_000)

# Run in the grading kernel before the first cell, while it is still the course's: it keeps the builtins and
# IPython's code transformers as they are then, and installs a private ``reset()`` that puts them back.
SNAPSHOT = """
def _install_guard(libraries):
    import builtins, importlib, inspect, sys, types
    from IPython import get_ipython

    shell = get_ipython()
    saved_builtins = dict(builtins.__dict__)
    lists = ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")
    saved_lists = {name: list(getattr(shell, name)) for name in lists}
    # Functions of the libraries an answer travels through (NumPy, pandas, Keras): their modules and classes
    # as they were before the first cell, put back before each test cell.
    modules, classes = [], []
    for name in libraries:
        try:
            module = importlib.import_module(name)
        except Exception:
            continue
        modules.append((module, dict(vars(module))))
        for value in list(vars(module).values()):
            if inspect.isclass(value) and (value.__module__ or "").split(".")[0] == name.split(".")[0]:
                classes.extend((cls, dict(vars(cls))) for cls in value.__mro__ if cls.__module__ != "builtins")

    def code(value):
        return callable(value) or isinstance(value, (property, classmethod, staticmethod))

    def reset():
        for name, value in saved_builtins.items():
            if builtins.__dict__.get(name) is not value:
                builtins.__dict__[name] = value
        for module, saved in modules:
            for name, value in saved.items():
                if code(value) and vars(module).get(name) is not value:
                    setattr(module, name, value)
        for cls, saved in classes:
            for name in [n for n, v in vars(cls).items() if n not in saved and code(v)]:
                try:
                    delattr(cls, name)
                except (AttributeError, TypeError):
                    pass
            for name, value in saved.items():
                if code(value) and vars(cls).get(name) is not value:
                    try:
                        setattr(cls, name, value)
                    except (AttributeError, TypeError):
                        pass
        for name in [n for n in sys.modules if n == "helpers" or n.startswith("helpers.")]:
            del sys.modules[name]
        for name, items in saved_lists.items():
            getattr(shell, name)[:] = items
        return "reset"

    guard = types.ModuleType("_course_grading_guard")
    guard.reset = reset
    sys.modules[guard.__name__] = guard

_install_guard(LIBRARIES)
del _install_guard
"""
# What SNAPSHOT keeps of the libraries (Keras only for notebooks that use it: it takes seconds to import).
LIBRARIES = ("math", "numpy", "numpy.testing", "pandas", "pandas.testing", "json", "base64")
KERAS_LIBRARIES = (
    "keras",
    "keras.layers",
    "keras.models",
    "keras.callbacks",
    "keras.regularizers",
    "keras.saving",
)
# Evaluated before each test cell as a user expression, which IPython evaluates without its transformers.
RESET = '__import__("sys").modules["_course_grading_guard"].reset()'


def tr(message: str, lang: str) -> str:
    """A grader message a learner reads (in a cell's output, in the feedback) in ``lang``: its translation in the
    course's catalogs (helpers/locale, see helpers/i18n.py), or the English ``message``."""
    if lang == "en":
        return message
    try:
        from helpers.i18n import catalog
    except ImportError:
        return message
    return catalog(lang).get(message, message)


def set_limits(data_mb: int, fsize_mb: int, nproc: int = 0) -> None:
    """Apply the memory, file-size and process ceilings to the current process (0 means no limit)."""
    for limit, mb in ((resource.RLIMIT_DATA, data_mb), (resource.RLIMIT_FSIZE, fsize_mb)):
        if mb > 0:
            resource.setrlimit(limit, (mb * MiB, mb * MiB))
    if nproc > 0:
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def default_process_limit() -> int:
    """Tasks (processes and threads) a sandboxed kernel may have by default: 128 + 16 per usable CPU.

    Measured on a full autograde of every assignment: a kernel peaks at 27 tasks on 1 CPU and 35 on 2
    (TensorFlow's inter- and intra-op pools and tf.data grow by ~8 threads per CPU), so this leaves the
    course's notebooks ample room while a fork storm stops after a few hundred."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return 128 + 16 * cpus


def drop_privileges(uid: int, gid: int) -> None:
    """Become ``uid``/``gid`` for good (real, effective and saved ids; no supplementary groups), if root."""
    if os.getuid() != 0 or uid <= 0:
        return
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    if os.getuid() == 0 or os.geteuid() == 0:  # pragma: no cover (setresuid raises first)
        raise SystemExit("grading_kernel: could not drop root")


def main(argv: list[str]) -> None:
    """Launcher entry point: parse the limits, apply them, drop root if asked, exec the kernel command."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-mb", type=int, default=0)
    parser.add_argument("--fsize-mb", type=int, default=0)
    parser.add_argument("--nproc", type=int, default=0)
    parser.add_argument("--uid", type=int, default=-1)
    parser.add_argument("--gid", type=int, default=-1)
    parser.add_argument("--chdir", help="working directory to enter once the ids are dropped")
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        parser.error("no kernel command given")
    set_limits(args.data_mb, args.fsize_mb, args.nproc)
    drop_privileges(args.uid, args.gid if args.gid >= 0 else args.uid)
    if args.chdir:
        os.chdir(args.chdir)
    os.execvp(cmd[0], cmd)


# --------------------------------------------------------------------------------------------------------
# The sandbox (used on the grader's side; standard library only, so that tests can build jails directly)
# --------------------------------------------------------------------------------------------------------


class SandboxUnavailable(RuntimeError):
    """The jail cannot start here; the message names the cause and the fix."""


UNSAFE_HINT = (
    "To grade without the sandbox anyway (UNSAFE: submissions can then read source/ and the hidden tests, "
    "other students' work, the gradebook, and use the network), pass `make grade-autograde "
    "UNSAFE_NO_SANDBOX=1` (`python -m tools.classroom --unsafe-no-sandbox autograde`, or "
    "c.LimitedKernelManager.unsafe_no_sandbox = True)."
)


def find_bwrap(name: str = "bwrap") -> str:
    """The path of bubblewrap, or SandboxUnavailable saying how to install it."""
    found = shutil.which(name)
    if not found:
        raise SandboxUnavailable(
            f"Autograding runs every submission in a bubblewrap sandbox, and `{name}` was not found. "
            "Install it: `make sandbox` (Debian/Ubuntu package `bubblewrap`, as root; elsewhere your system's "
            "`bubblewrap` package). " + UNSAFE_HINT
        )
    return found


def running_as_root() -> bool:
    """Whether the grader runs as root (then the jail needs no user namespace, and the kernel drops root)."""
    return os.geteuid() == 0


def namespace_args(root: bool) -> list[str]:
    """bwrap's namespace options: user namespace for an ordinary user, none needed (nor wanted) for root."""
    args = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    args += ["--die-with-parent", "--hostname", "grading"]
    return (args if root else ["--unshare-user", *args]) + ["--cap-drop", "ALL"]


def probe(bwrap: str, root: bool | None = None) -> None:
    """Start an empty jail with the kernel's namespaces; SandboxUnavailable with the cause and fix if it fails."""
    root = running_as_root() if root is None else root
    mounts = ["--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev"]
    cmd = [bwrap, *namespace_args(root), *mounts, "--", "true"]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SandboxUnavailable(f"bwrap ({bwrap}) could not be run: {exc}. " + UNSAFE_HINT) from exc
    if done.returncode != 0:
        why = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        need = (
            "Run as root it needs CAP_SYS_ADMIN (in a container: --privileged, or --cap-add SYS_ADMIN with "
            "seccomp=unconfined and apparmor=unconfined)."
            if root
            else "Run as an ordinary user it needs unprivileged user namespaces: allow them "
            "(sysctl kernel.unprivileged_userns_clone=1 on older Debian kernels; "
            "kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for bwrap on Ubuntu 23.10+; "
            "user.max_user_namespaces > 0), or grade as root."
        )
        raise SandboxUnavailable(
            f"bwrap is installed but cannot start a sandbox here: {why[0]}. {need} "
            "`make sandbox` checks it. " + UNSAFE_HINT
        )


def python_dirs(executable: str) -> list[Path]:
    """Folders a Python interpreter needs: its venv (if any) and the installation the venv's python links to."""
    exe = Path(executable)
    if not exe.is_absolute():
        exe = Path(shutil.which(executable) or executable)
    dirs = [exe.absolute().parent.parent, exe.resolve().parent.parent]
    cfg = exe.absolute().parent.parent / "pyvenv.cfg"
    if cfg.is_file():
        for line in cfg.read_text().splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "home" and value.strip():
                dirs.append(Path(value.strip()).resolve().parent)
    if exe.absolute().parent.parent == Path(sys.prefix):
        dirs += [Path(sys.prefix), Path(sys.base_prefix).resolve()]
    return _distinct(dirs)


def helpers_dir() -> Path | None:
    """The course's ``helpers`` package folder, as the grader's Python imports it."""
    import importlib.util

    spec = importlib.util.find_spec("helpers")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]).resolve()


def _distinct(paths: list[Path]) -> list[Path]:
    """Paths without duplicates, without system folders (bound anyway) and without ones inside another."""
    out: list[Path] = []
    for path in sorted({Path(p) for p in paths}, key=lambda p: len(p.parts)):
        if str(path) in ("/", *SYSTEM_DIRS) or any(path.is_relative_to(s) for s in ("/usr", "/proc", "/dev")):
            continue
        if not any(path.is_relative_to(o) for o in out):
            out.append(path)
    return out


def matplotlib_font_cache(env: dict[str, str] | None = None) -> list[Path]:
    """The grader's own matplotlib font list cache, if any: copied into each jail's ``MPLCONFIGDIR`` so that
    a kernel does not spend seconds rebuilding it (running ``fc-list``) at every start. Only the grader's file
    is used, never one a kernel wrote, which a submission could have poisoned for the next ones."""
    env = os.environ if env is None else env
    home = Path(env.get("HOME") or Path.home())
    folders = [env.get("MPLCONFIGDIR"), Path(env.get("XDG_CACHE_HOME") or home / ".cache") / "matplotlib"]
    for folder in [Path(f) for f in folders if f]:
        found = sorted(folder.glob("fontlist-v*.json")) if folder.is_dir() else []
        if found:
            return found
    return []


def kernel_env(env: dict[str, str], keep: list[str], python: str, home: Path) -> dict[str, str]:
    """The kernel's environment in the jail: ``keep`` and ``PASS_ENV`` variables of ``env``, a ``PATH`` of the
    Python environment and the system, and a home, matplotlib and IPython folder in the writable folder."""
    out = {k: v for k, v in env.items() if k in keep or k in PASS_ENV or k.startswith(PASS_ENV_PREFIXES)}
    # ipykernel would poll for its parent, which is outside the jail's PID namespace, and exit at once: pid 1
    # means "no parent to poll" (and keeps its Ctrl-C notice off the grader's terminal).
    out["JPY_PARENT_PID"] = "1"
    bindir = str(Path(python).absolute().parent)
    out.update(
        PATH=os.pathsep.join([bindir, "/usr/local/bin", "/usr/bin", "/bin"]),
        HOME=str(home),
        MPLCONFIGDIR=str(home / ".config" / "matplotlib"),
        IPYTHONDIR=str(home / ".ipython"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_CONFIG_HOME=str(home / ".config"),
        JUPYTER_RUNTIME_DIR=str(home / ".local" / "share" / "jupyter" / "runtime"),
        TMPDIR="/tmp",
        PYTHONNOUSERSITE="1",
    )
    helpers = helpers_dir()
    if (
        helpers is not None
    ):  # the grader's helpers (bound read-only at its own path), even over an editable install
        out["PYTHONPATH"] = str(helpers.parent)
    return out


@dataclass
class Jail:
    """One grading kernel's sandbox: a host folder with ``work/`` (the kernel's writable working directory)
    and ``conn/`` (connection file and ipc sockets), both bound into the jail at their own paths."""

    root: Path
    read_only: list[Path] = field(default_factory=list)
    bwrap: str = "bwrap"
    as_root: bool = False
    uid: int = -1  # the kernel's uid when the grader is root; -1: a fresh one from JAIL_UIDS
    gid: int = -1  # its gid; -1: the same number as the uid
    tmp_size_mb: int = 256
    # Files copied into the working folder at each start: destination relative to it -> source on the host.
    home_files: dict[str, Path] = field(default_factory=dict)

    @classmethod
    def create(cls, parent: str | Path | None = None, **kwargs: Any) -> Jail:
        """A new jail folder (under ``parent``, default the system's temporary folder)."""
        import secrets

        root = Path(tempfile.mkdtemp(prefix="grading-jail-", dir=parent)).resolve()
        jail = cls(root=root, **kwargs)
        if not jail.as_root:
            jail.uid, jail.gid = os.getuid(), os.getgid()  # bwrap maps the grader's ids into the jail
        elif jail.uid < 0:
            jail.uid = JAIL_UIDS[secrets.randbelow(len(JAIL_UIDS))]
        if jail.gid < 0:
            jail.gid = jail.uid
        for sub in (jail.work, jail.conn):
            sub.mkdir(mode=0o700)
            jail._own(sub)
        (root / "etc").mkdir()
        home = jail.work
        (root / "etc" / "passwd").write_text(
            f"root:x:0:0:root:/root:/bin/false\nlearner:x:{jail.uid}:{jail.gid}:learner:{home}:/bin/false\n"
        )
        (root / "etc" / "group").write_text(f"root:x:0:\nlearner:x:{jail.gid}:\n")
        return jail

    @property
    def work(self) -> Path:
        """The kernel's working directory and home (writable, fresh at each start)."""
        return self.root / "work"

    @property
    def conn(self) -> Path:
        """Where the connection file and the ipc sockets live."""
        return self.root / "conn"

    def _own(self, path: Path) -> None:
        """Give ``path`` to the kernel's uid (when the grader is root and the kernel runs as ``uid``)."""
        if self.as_root:
            os.chown(path, self.uid, self.gid, follow_symlinks=False)

    def reset_work(self, source: str | Path | None = None) -> None:
        """Empty the working directory, then copy into it the supporting files of ``source`` (the
        submission's folder): regular files and folders, no notebooks (nbgrader's sanitized copy of the one
        being graded holds the hidden tests), no symlinks (they could point out of the submission)."""
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir(mode=0o700)
        self._own(self.work)
        for rel, src in self.home_files.items():
            target = self.work / rel
            for parent in reversed(target.relative_to(self.work).parents[:-1]):
                if not (self.work / parent).is_dir():
                    (self.work / parent).mkdir()
                    self._own(self.work / parent)
            try:
                shutil.copyfile(src, target)
                self._own(target)
            except OSError:
                pass  # a missing cache only costs time
        if source is None or not Path(source).is_dir():
            return
        source = Path(source).resolve()
        if any((source / marker).exists() for marker in ("nbgrader_config.py", "gradebook.db", "source")):
            return  # a course folder, not a submission: copy nothing
        for path in sorted(source.rglob("*")):
            rel = path.relative_to(source)
            if path.is_symlink() or any(p.startswith(".ipynb_checkpoints") for p in rel.parts):
                continue
            target = self.work / rel
            if path.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            elif path.is_file() and path.suffix != ".ipynb" and target.parent.is_dir():
                shutil.copyfile(path, target)
            else:
                continue
            self._own(target)

    def remove(self) -> None:
        """Delete the jail's folder (working directory, connection file, sockets)."""
        shutil.rmtree(self.root, ignore_errors=True)

    def command(self, inner: list[str], env: dict[str, str]) -> list[str]:
        """The bwrap command that runs ``inner`` in the jail with exactly ``env`` (``inner`` enters the working
        folder itself: run by root, bwrap has no right to enter a folder that belongs to the kernel's uid)."""
        args = [self.bwrap, *namespace_args(self.as_root)]
        if self.as_root:  # the launcher needs these two to drop to self.uid, then has none
            args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        args.append("--clearenv")
        for key, value in sorted(env.items()):
            args += ["--setenv", key, value]
        for top in SYSTEM_DIRS:
            path = Path(top)
            if path.is_symlink():
                args += ["--symlink", os.readlink(path), top]
            elif path.is_dir():
                args += ["--ro-bind", top, top]
        args += ["--proc", "/proc", "--dev", "/dev"]
        size = ["--size", str(self.tmp_size_mb * MiB)] if self.tmp_size_mb > 0 else []
        args += [*size, "--perms", "1777", "--tmpfs", "/tmp", *size, "--perms", "1777", "--tmpfs", "/dev/shm"]
        binds = [
            ("--ro-bind-try", Path("/etc", n), Path("/etc", n)) for n in ETC if os.path.lexists(f"/etc/{n}")
        ]
        binds += [("--ro-bind", self.root / "etc" / n, Path("/etc", n)) for n in ("passwd", "group")]
        binds += [("--ro-bind", p, p) for p in _distinct(self.read_only)]
        binds += [("--bind", self.work, self.work), ("--bind", self.conn, self.conn)]
        made: set[Path] = {Path("/"), Path("/tmp")}
        for (
            _,
            _,
            path,
        ) in binds:  # parents of the binds: traversable by the kernel's uid (bwrap makes them 0700)
            for parent in reversed(path.parents):
                if parent not in made:
                    args += ["--perms", "0755", "--dir", str(parent)]
                    made.add(parent)
        for option, source, path in binds:
            args += [option, str(source), str(path)]
        args += ["--remount-ro", "/", "--chdir", "/", "--", *inner]
        return args


if __name__ == "__main__":
    main(sys.argv[1:])
else:
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from nbformat.notebooknode import NotebookNode
    from nbgrader.preprocessors import ClearHiddenTests, Execute, OverwriteCells
    from nbgrader.utils import is_grade, is_solution
    from traitlets import Bool, Integer, List, Unicode

    _PROBED: set[tuple[str, bool]] = set()  # (bwrap, as root) combinations already known to work

    class LimitedKernelManager(AsyncKernelManager):
        """A kernel manager that starts the kernel in a bubblewrap jail, through this file's launcher, under
        resource limits (see the module's docstring)."""

        memory_limit_mb = Integer(
            2048, help="Ceiling of the kernel's data segment in MiB (RLIMIT_DATA); 0 for none."
        ).tag(config=True)
        file_size_limit_mb = Integer(
            512, help="Largest file the kernel may write, in MiB (RLIMIT_FSIZE); 0 for none."
        ).tag(config=True)
        process_limit = Integer(
            -1,
            help="Processes and threads the sandboxed kernel may have (RLIMIT_NPROC); -1: 128 + 16 per CPU "
            "(TensorFlow's thread pools grow with the CPU count), 0: none. Enforced only in the sandbox.",
        ).tag(config=True)
        unsafe_no_sandbox = Bool(
            False,
            help="UNSAFE: run grading kernels without the bubblewrap sandbox, where a submission can read "
            "source/, other students' work and the gradebook, write the course's files, and use the network.",
        ).tag(config=True)
        bwrap = Unicode("bwrap", help="The bubblewrap command.").tag(config=True)
        sandbox_uid = Integer(
            -1,
            help="Unprivileged uid (and gid) a sandboxed kernel runs as when grading as root; -1: a fresh one per "
            "jail (2100000000-2199999999), so that RLIMIT_NPROC counts that jail's tasks only.",
        ).tag(config=True)
        sandbox_dir = Unicode(
            "", help="Host folder for the jails' working folders (default: the system's temporary folder)."
        ).tag(config=True)
        sandbox_tmp_mb = Integer(256, help="Size of the jail's private /tmp (tmpfs) in MiB.").tag(config=True)
        sandbox_read_only = List(
            Unicode(), help="More host paths to bind read-only into the jail, each at its own path."
        ).tag(config=True)

        _jail: Jail | None = None

        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            """The kernelspec's command; without the sandbox, prefixed with the launcher and the limits (in the
            sandbox the prefix is added once the environment is known, in ``_async_pre_start_kernel``)."""
            cmd = super().format_kernel_cmd(extra_arguments)
            if not self.unsafe_no_sandbox:
                return cmd
            launcher = [sys.executable, os.path.abspath(__file__)]
            limits = ["--data-mb", str(self.memory_limit_mb), "--fsize-mb", str(self.file_size_limit_mb)]
            return [*launcher, *limits, "--", *cmd]

        def nproc(self) -> int:
            """The RLIMIT_NPROC of a sandboxed kernel (``process_limit``, or its default for this machine)."""
            return default_process_limit() if self.process_limit < 0 else self.process_limit

        def new_jail(self) -> Jail:
            """A jail for this manager's kernels (SandboxUnavailable when bwrap cannot start one here)."""
            bwrap = find_bwrap(self.bwrap)
            as_root = running_as_root()
            if (bwrap, as_root) not in _PROBED:
                probe(bwrap, as_root)
                _PROBED.add((bwrap, as_root))
            python = (self.kernel_spec.argv[:1] if self.kernel_spec else []) or [sys.executable]
            read_only = [*python_dirs(python[0]), Path(os.path.abspath(__file__))]
            read_only += [Path(p) for p in self.sandbox_read_only]
            helpers = helpers_dir()
            if helpers is not None:
                read_only.append(helpers)
            uid = self.sandbox_uid
            fonts = {f".config/matplotlib/{f.name}": f for f in matplotlib_font_cache()}
            return Jail.create(
                self.sandbox_dir or None,
                read_only=read_only,
                bwrap=bwrap,
                as_root=as_root,
                uid=uid,
                gid=uid,
                tmp_size_mb=self.sandbox_tmp_mb,
                home_files=fonts,
            )

        async def _async_pre_start_kernel(self, **kw: Any) -> Any:
            """Start (or restart) in the jail: ipc transport, connection file and sockets in the jail's folder,
            a fresh working folder, and the launcher with the limits as the jail's first program."""
            if self.unsafe_no_sandbox:
                return await super()._async_pre_start_kernel(**kw)
            if self._jail is None:
                self._jail = self.new_jail()
                self.transport = "ipc"
                self.cache_ports = False
                self.ip = str(self._jail.conn / "ipc")
                self.connection_file = str(self._jail.conn / "kernel.json")
            jail = self._jail
            cwd = Path(kw["cwd"]).resolve() if kw.get("cwd") else None  # the submission's folder
            exposed = [p for p in jail.read_only if cwd and cwd.is_relative_to(p)]
            if exposed:  # e.g. a Python environment installed above the course folder
                raise SandboxUnavailable(
                    f"The sandbox would bind {exposed[0]} into the jail, which holds the submission's folder "
                    f"{cwd} (and so the course): move the Python environment or helpers out of the course folder."
                )
            jail.reset_work(cwd)
            if self.kernel_spec is not None:
                self.kernel_spec.interrupt_mode = "message"  # SIGINT to the process group would kill bwrap
            cmd, kw = await super()._async_pre_start_kernel(**kw)
            kw["cwd"] = str(jail.work)
            return self.jailed(jail, cmd, kw.get("env") or dict(os.environ)), kw

        def jailed(self, jail: Jail, cmd: list[str], env: dict[str, str]) -> list[str]:
            """``cmd`` (a Python command) run in ``jail`` through the launcher, under this manager's limits."""
            keep = list(self.kernel_spec.env) if self.kernel_spec else []
            limits = ["--data-mb", str(self.memory_limit_mb), "--fsize-mb", str(self.file_size_limit_mb)]
            limits += ["--nproc", str(self.nproc()), "--chdir", str(jail.work)]
            if jail.as_root:
                limits += ["--uid", str(jail.uid), "--gid", str(jail.gid)]
            inner = [cmd[0], "-I", os.path.abspath(__file__), *limits, "--", *cmd]
            return jail.command(inner, kernel_env(env, keep, cmd[0], jail.work))

        def write_connection_file(self, **kwargs: Any) -> None:
            """Write the connection file; in a jail run by root, hand it to the kernel's uid (it is 0600)."""
            super().write_connection_file(**kwargs)
            if self._jail is not None and self._jail.as_root and os.path.exists(self.connection_file):
                self._jail._own(Path(self.connection_file))

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            """Clean up as jupyter_client does; after the last shutdown, delete the jail's folder too."""
            await super()._async_cleanup_resources(restart=restart)
            if not restart and self._jail is not None:
                self._jail.remove()
                self._jail = None

    def check_sandbox(km: LimitedKernelManager) -> str:
        """Start a jail as ``km`` would and import the kernel's packages in it: a line saying how kernels
        will run, or SandboxUnavailable with the cause and the fix (nothing to check without the sandbox)."""
        if km.unsafe_no_sandbox:
            return (
                "autograde: UNSAFE, grading kernels run without the sandbox (unsafe_no_sandbox): submissions "
                "can read the course's files and the gradebook, and use the network"
            )
        jail = km.new_jail()
        try:
            jail.reset_work()
            python = km.kernel_spec.argv[0] if km.kernel_spec else sys.executable
            cmd = km.jailed(jail, [python, "-c", "import ipykernel, helpers"], dict(os.environ))
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
        finally:
            jail.remove()
        if done.returncode != 0:
            why = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
            raise SandboxUnavailable(
                f"The sandbox starts, but the kernel's Python cannot run in it: {why[0]}. Bind what it needs "
                "read-only with c.LimitedKernelManager.sandbox_read_only. " + UNSAFE_HINT
            )
        who = "each as a uid of its own (the grader is root)" if jail.as_root else "in a user namespace"
        return (
            f"autograde: every kernel in a bubblewrap sandbox ({jail.bwrap}), {who}: no course files, "
            f"no network, at most {km.nproc() or 'unlimited'} processes and threads"
        )

    def _error_output(ename: str, evalue: str) -> NotebookNode:
        """An error output as nbgrader reads it (any error output gives the cell zero points)."""
        return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])

    class Checker:
        """The checker process (``python -m helpers.grading.remote``) that judges test cells outside the
        kernel: one per grading run, started at the first notebook, replaced if it stops."""

        _shared: Checker | None = None

        def __init__(self) -> None:
            import queue
            import subprocess
            import tempfile
            import threading

            self.folder = tempfile.mkdtemp(prefix="course-checker-")
            env = dict(os.environ)
            helpers = helpers_dir()
            if helpers is not None:  # the checks of the course being graded, as the grader imports them
                env["PYTHONPATH"] = os.pathsep.join(
                    filter(None, [str(helpers.parent), env.get("PYTHONPATH", "")])
                )
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "helpers.grading.remote"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                cwd=self.folder,
                env=env,
                text=True,
                encoding="utf-8",
            )
            self.lines: queue.Queue[str] = queue.Queue()

            def read() -> None:
                for line in self.proc.stdout:  # type: ignore[union-attr]
                    self.lines.put(line)
                self.lines.put("")

            threading.Thread(target=read, daemon=True).start()

        @classmethod
        def shared(cls) -> Checker:
            """The running checker (a new one if there is none or it stopped)."""
            if cls._shared is None or cls._shared.proc.poll() is not None:
                cls._shared = cls()
            return cls._shared

        def stop(self) -> None:
            """Stop the process (a cell ran past its time: the next cell gets a fresh checker)."""
            import shutil

            self.proc.kill()
            self.proc.wait()
            shutil.rmtree(self.folder, ignore_errors=True)
            if Checker._shared is self:
                Checker._shared = None

        def judge(self, source: str, ask: Any, seconds: float, lang: str = "en") -> dict[str, Any]:
            """The verdict on one test cell, the learner's objects asked of the kernel through ``ask``, its
            messages in ``lang``; the checker's own time is limited to ``seconds`` (time in the kernel not
            counted)."""
            import json
            import queue

            request = {"op": "cell", "source": source, "lang": lang}
            try:
                self.proc.stdin.write(json.dumps(request) + "\n")  # type: ignore[union-attr]
                self.proc.stdin.flush()  # type: ignore[union-attr]
            except OSError:
                self.stop()
                return {
                    "ok": False,
                    "ename": "GradingError",
                    "evalue": tr("the course's checker could not start.", lang),
                }
            deadline = time.monotonic() + seconds
            while True:
                try:
                    line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    self.stop()
                    return {
                        "ok": False,
                        "ename": "CellTimeoutError",
                        "evalue": tr("the test took more than {seconds:g} s.", lang).format(seconds=seconds),
                    }
                if not line:
                    self.stop()
                    return {
                        "ok": False,
                        "ename": "GradingError",
                        "evalue": tr("the course's checker stopped.", lang),
                    }
                message = json.loads(line)
                if message.get("op") == "ask":
                    began = time.monotonic()
                    reply = json.dumps({"answer": ask(message["request"])})
                    deadline += time.monotonic() - began
                    self.proc.stdin.write(reply + "\n")  # type: ignore[union-attr]
                    self.proc.stdin.flush()  # type: ignore[union-attr]
                elif message.get("op") == "verdict":
                    return message

    def _verdict_outputs(verdict: dict[str, Any]) -> list[NotebookNode]:
        """A test cell's outputs from the checker's verdict: its printed text, then the failure if any."""
        outputs = []
        if verdict.get("stdout"):
            outputs.append(NotebookNode(output_type="stream", name="stdout", text=verdict["stdout"]))
        if not verdict.get("ok"):
            outputs.append(_error_output(str(verdict.get("ename")), str(verdict.get("evalue"))))
        return outputs

    class GuardedExecute(Execute):
        """nbgrader's Execute with limited kernels, restart after a dead kernel, a notebook time budget, and test
        cells judged outside the kernel."""

        max_restarts = Integer(
            3, help="Kernel restarts allowed per notebook before the remaining cells are skipped."
        ).tag(config=True)
        notebook_timeout = Integer(
            900, help="Seconds of execution allowed per notebook; later cells are skipped. 0 for none."
        ).tag(config=True)

        guard_tests = Bool(
            True, help="Restore builtins and re-import the course's helpers before each test cell."
        ).tag(config=True)

        check_outside = Bool(
            True,
            help="Judge each test cell in the course's checker process, which asks the kernel for the learner's "
            "answers as data (helpers.grading.remote); False: run test cells in the kernel like other cells.",
        ).tag(config=True)

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("kernel_manager_class", LimitedKernelManager)
            super().__init__(*args, **kwargs)

        def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None) -> Any:
            """Run the notebook with fresh bookkeeping (replayable cells, restarts, deadline)."""
            self._replayable: list[str] = []
            self._restarts = 0
            self._deadline = time.monotonic() + self.notebook_timeout if self.notebook_timeout else None
            self._stopped_reason = ""
            self._snapshot_taken = False
            self._lang = self._language(nb)
            if self.check_outside:
                Checker.shared()  # starts loading the checks while the kernel starts
            return super().preprocess(nb, resources, km)

        def _language(self, nb: NotebookNode | None = None) -> str:
            """The language the notebook's set-up cell (a read-only cell, restored from the gradebook) chose
            with ``setup_notebook(..., lang="fr")``; English when it chose none."""
            import re

            for cell in (nb if nb is not None else self.nb).cells:
                if cell.cell_type == "code" and "setup_notebook(" in cell.source:
                    found = re.search(r"setup_notebook\([^()]*\blang\s*=\s*[\"'](\w+)[\"']", cell.source)
                    return found.group(1) if found else "en"
            return "en"

        def _snapshot_code(self) -> str:
            """SNAPSHOT for this notebook (with Keras's classes when the notebook uses Keras)."""
            keras = any("keras" in cell.source for cell in self.nb.cells if cell.cell_type == "code")
            return SNAPSHOT.replace("LIBRARIES", repr(LIBRARIES + (KERAS_LIBRARIES if keras else ())))

        def _ask_kernel(self, request: dict[str, Any], index: int) -> dict[str, Any]:
            """The kernel's answer to one request of the checker (``{"fatal": ...}`` if the kernel died or ran
            out of time). The request travels as a user expression of an empty, silent execution: the kernel
            evaluates it without echoing it, parsing it as a cell or storing it, however large its arrays."""
            import json

            from helpers.grading.remote import MIME, request_expression

            msg_id = self.kc.execute(
                "",
                silent=True,
                store_history=False,
                stop_on_error=False,
                user_expressions={"answer": request_expression(request)},
            )
            try:
                reply = run_sync(self.async_wait_for_reply)(msg_id, self.nb.cells[index])
            except (DeadKernelError, CellTimeoutError) as err:
                reply = None if isinstance(err, CellTimeoutError) else {"dead": True}
            if reply is None or "dead" in reply:
                why = (
                    tr(
                        "The kernel died while the test called your code (os._exit, a crash, or memory exhausted).",
                        self._lang,
                    )
                    if reply
                    else tr(
                        "Your code ran past the time limit ({seconds} s) when the test called it.", self._lang
                    ).format(seconds=self.timeout)
                )
                self._restart_and_replay()
                return {"fatal": why}
            result = reply["content"].get("user_expressions", {}).get("answer", {})
            data = result.get("data", {}) if result.get("status") == "ok" else {}
            if isinstance(data.get(MIME), str):
                return json.loads(data[MIME])
            why = (
                f"{result.get('ename')}: {result.get('evalue')}"
                if result.get("status") == "error"
                else "no answer came back"
            )
            return {
                "error": {
                    "type": "GradingError",
                    "message": tr("the notebook could not answer the test ({why})", self._lang).format(
                        why=why
                    ),
                }
            }

        def _judge_outside(self, cell: NotebookNode, index: int) -> None:
            """Have the checker judge a test cell; its outputs become the checker's verdict."""
            if self.guard_tests:
                self._silent("", RESET)
            verdict = Checker.shared().judge(
                cell.source,
                lambda request: self._ask_kernel(request, index),
                max(60.0, float(self.timeout or 0)),
                self._lang,
            )
            cell.outputs = _verdict_outputs(verdict)
            cell.execution_count = None

        def _silent(self, code: str, expression: str = "") -> None:
            """Run course code, or evaluate an expression, in the kernel without output or history."""
            expressions = {"guard": expression} if expression else {}
            msg_id = self.kc.execute(
                code, silent=True, store_history=False, stop_on_error=False, user_expressions=expressions
            )
            run_sync(self.async_wait_for_reply)(msg_id)

        def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> Any:
            """Execute one cell; on a dead or stuck kernel, record the error, restart and go on."""
            if cell.cell_type != "code" or not cell.source.strip():
                return super().preprocess_cell(cell, resources, index)
            if not self._stopped_reason and self._deadline and time.monotonic() > self._deadline:
                self._stopped_reason = tr(
                    "The notebook used up its grading time ({seconds} s); "
                    "this cell and the ones after it were not run.",
                    self._lang,
                ).format(seconds=self.notebook_timeout)
            if self._stopped_reason:
                cell.outputs = [_error_output("GradingStopped", self._stopped_reason)]
                cell.execution_count = None
                return cell, self.resources
            try:
                if self.guard_tests and not self._snapshot_taken:
                    self._silent(self._snapshot_code())
                    self._snapshot_taken = True
                if self.check_outside and is_grade(cell) and not is_solution(cell):
                    self._judge_outside(cell, index)
                    return cell, self.resources
                if self.guard_tests and is_grade(cell) and not is_solution(cell):
                    self._silent("", RESET)
                cell, resources = super().preprocess_cell(cell, resources, index)
            except (DeadKernelError, CellTimeoutError) as err:
                died = isinstance(err, DeadKernelError)
                why = (
                    tr(
                        "The kernel died while running this cell (os._exit, a crash, or memory exhausted).",
                        self._lang,
                    )
                    if died
                    else tr(
                        "This cell ran past its time limit ({seconds} s) and could not be interrupted.",
                        self._lang,
                    ).format(seconds=self.timeout)
                )
                self.log.warning("Cell %d: %s Restarting the kernel.", index, why)
                cell.outputs = [*cell.get("outputs", []), _error_output("KernelRestarted", why)]
                self._restart_and_replay()
                return cell, self.resources
            timed_out = any(o.get("ename") == "CellTimeoutError" for o in cell.outputs)
            if not timed_out and not (is_grade(cell) and not is_solution(cell)):
                self._replayable.append(cell.source)
            return cell, resources

        def _restart_and_replay(self) -> None:
            """Restart the kernel and silently re-run the cells that ran before (or stop if out of restarts)."""
            if self._restarts >= self.max_restarts:
                self._stopped_reason = tr(
                    "The kernel had to be restarted {restarts} times; the remaining cells were not run.",
                    self._lang,
                ).format(restarts=self._restarts)
                return
            self._restarts += 1
            run_sync(self.km.restart_kernel)(now=True)
            run_sync(self.kc.wait_for_ready)(timeout=self.startup_timeout)
            try:
                if self.guard_tests:
                    self._silent(self._snapshot_code())
                for source in self._replayable:
                    msg_id = self.kc.execute(source, silent=True, store_history=False, stop_on_error=False)
                    if run_sync(self.async_wait_for_reply)(msg_id) is None:
                        break  # timed out again: stop replaying and grade the rest as it stands
            except DeadKernelError:
                self._stopped_reason = tr(
                    "The kernel died again while the earlier cells were re-run.", self._lang
                )

    class HideHiddenTests(ClearHiddenTests):
        """Feedback filter: test cells lose their hidden region, and their errors keep only the message."""

        def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> Any:
            """Strip one test cell; other cells are left as graded."""
            if cell.cell_type == "code" and is_grade(cell) and not is_solution(cell):
                self._remove_hidden_test_region(cell)
                for output in cell.outputs:
                    if output.output_type == "error":
                        output.traceback = [f"{output.ename}: {output.evalue}"]
            return cell, resources

    class RestoreCells(OverwriteCells):
        """OverwriteCells that puts back every deleted test cell and read-only course cell, wherever it was."""

        def add_missing_grade_cells(self, nb: NotebookNode, resources: Any) -> Any:
            """Re-insert missing locked or test cells after the nearest earlier source cell still present."""
            source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
            points = {cell.name: cell.max_score for cell in source_nb.grade_cells}
            present = {
                c.metadata["nbgrader"]["grade_id"]
                for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id")
            }
            previous: str | None = None
            for source_cell in source_nb.source_cells:
                name = source_cell.name
                is_answer = any(cell.name == name for cell in source_nb.solution_cells)
                if name not in present and not is_answer and (source_cell.locked or name in points):
                    self.log.warning("Cell %s was deleted from the submission; putting it back", name)
                    cell = self._course_cell(source_cell, points.get(name))
                    index = self._index_after(nb, previous)
                    nb.cells.insert(index, cell)
                    present.add(name)
                if name in present:
                    previous = name
            return nb, resources

        def _index_after(self, nb: NotebookNode, grade_id: str | None) -> int:
            """Position just after the cell ``grade_id`` (the top of the notebook if None)."""
            for index, cell in enumerate(nb.cells):
                if grade_id is not None and cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                    return index + 1
            return 0

        def _course_cell(self, source_cell: Any, points: float | None) -> NotebookNode:
            """A read-only copy of a course cell as the gradebook stores it (a test cell when it has points)."""
            import nbformat

            make = (
                nbformat.v4.new_code_cell
                if source_cell.cell_type == "code"
                else nbformat.v4.new_markdown_cell
            )
            note = "# This cell was deleted from the submission and put back for grading.\n"
            cell = make((note if source_cell.cell_type == "code" else "") + source_cell.source)
            meta = {
                "grade": points is not None,
                "grade_id": source_cell.name,
                "locked": True,
                "schema_version": 3,
                "solution": False,
                "checksum": source_cell.checksum,
            }
            if points is not None:
                meta["points"] = points
            cell.metadata.update(deletable=False, editable=False, nbgrader=meta)
            return cell
