"""The environment is defined once per supported Python (requirements-py3.X.lock) and every entry point uses it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SETUP = ROOT / "tools" / "setup_env.sh"
# The supported Pythons, one lock each; the lowest is ruff's target and pyproject's floor.
SUPPORTED = ("3.11", "3.12", "3.13")
HERE = "{}.{}".format(*sys.version_info[:2])


def lock_pins(version: str = HERE) -> dict[str, str]:
    """Package name (normalized) -> pinned version, from requirements-py<version>.lock (default: this Python's)."""
    pins = {}
    for line in (ROOT / f"requirements-py{version}.lock").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)\s*(;.*)?", line)
        assert m, f"requirements-py{version}.lock line is not an exact pin: {line!r}"
        name = re.sub(r"[-_.]+", "-", m.group(1)).lower()
        pins[name] = m.group(2)
    return pins


def top_level() -> dict[str, str | None]:
    """requirements.in: package name (normalized) -> its pin, or None where it is left to the resolver."""
    wanted: dict[str, str | None] = {}
    for line in (ROOT / "requirements.in").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, _, rest = line.partition("==")
        wanted[re.sub(r"[-_.]+", "-", name.split(";")[0].strip()).lower()] = (
            rest.split(";")[0].strip() or None
        )
    return wanted


def test_one_lock_per_supported_python():
    locks = sorted(p.name for p in ROOT.glob("requirements*.lock"))
    assert locks == [f"requirements-py{v}.lock" for v in SUPPORTED], locks
    listed = re.search(r"^SUPPORTED=\(([^)]*)\)", SETUP.read_text(), flags=re.M)
    assert listed and sorted(listed.group(1).split()) == list(SUPPORTED), "tools/setup_env.sh SUPPORTED"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["requires-python"] == ">=3.11,<3.14"
    assert project["tool"]["ruff"]["target-version"] == "py311", "ruff targets the lowest supported Python"
    for version in SUPPORTED:
        header = (ROOT / f"requirements-py{version}.lock").read_text().splitlines()[0]
        assert f"Python {version}" in header and f"make lock PYTHON=python{version}" in header, header


@pytest.mark.parametrize("version", SUPPORTED)
def test_lock_pins_the_course_stack(version):
    pins = lock_pins(version)
    expected = {"tensorflow-cpu": "2.21.0", "tensorflow": "2.21.0", "nbgrader": "0.9.6", "nbval": "0.11.0"}
    for name, pinned in expected.items():
        assert pins.get(name) == pinned, f"{name} should be pinned to {pinned}, lock has {pins.get(name)}"
    assert pins["keras"].startswith("3.15."), pins["keras"]
    assert pins["jupyterlab"].startswith("4.6."), pins["jupyterlab"]


@pytest.mark.parametrize("version", SUPPORTED)
def test_requirements_in_agrees_with_lock(version):
    pins = lock_pins(version)
    for name, pinned in top_level().items():
        assert name in pins, (
            f"{name} is required in requirements.in but missing from requirements-py{version}.lock"
        )
        if pinned:
            assert pins[name] == pinned, (
                f"{name}: requirements.in has {pinned}, py{version} lock {pins[name]}"
            )


def test_locks_pin_the_same_top_level_versions():
    """Every Python gets the same course stack: what requirements.in names has one version in all the locks."""
    locks = {v: lock_pins(v) for v in SUPPORTED}
    differ = {
        name: {v: pins.get(name) for v, pins in locks.items()}
        for name in top_level()
        if len({pins.get(name) for pins in locks.values()}) != 1
    }
    assert not differ, f"top-level packages pinned differently per Python: {differ}"


def test_environment_yml_installs_exactly_the_lock_of_its_python():
    import yaml

    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_deps = [d for d in env["dependencies"] if isinstance(d, str)]
    pip_deps = [d for d in env["dependencies"] if isinstance(d, dict)]
    # conda itself provides only the interpreter, pip and make; every Python package comes from the lock of that
    # interpreter's version.
    pythons = [d.removeprefix("python=") for d in conda_deps if d.startswith("python=")]
    assert len(pythons) == 1 and pythons[0] in SUPPORTED, conda_deps
    assert sorted(conda_deps) == ["make", "pip", f"python={pythons[0]}"], conda_deps
    assert pip_deps == [{"pip": [f"-r requirements-py{pythons[0]}.lock", "-e ."]}], pip_deps


def test_installed_versions_match_the_lock():
    from importlib.metadata import PackageNotFoundError, version

    pins = lock_pins()
    wrong = []
    for name in ("keras", "nbgrader", "nbval", "jupyterlab", "numpy", "pandas", "scikit-learn", "matplotlib"):
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pins[name]:
            wrong.append(f"{name}: installed {installed}, lock {pins[name]}")
    assert not wrong, "; ".join(wrong)


# The choice of Python (tools/setup_env.sh, called by the Makefile), against stand-in interpreters on a PATH that
# holds nothing else: a stand-in answers the two questions the script asks (where it is, which version it is).
def fake_python(folder: Path, name: str, version: str | None) -> Path:
    """An executable ``folder/name`` that acts as Python ``version``, or as a pyenv shim that does not run."""
    folder.mkdir(parents=True, exist_ok=True)
    body = (
        f'case "$*" in *executable*) echo "$0" ;; *version_info*) echo "{version}" ;; esac\n'
        if version
        else 'echo "pyenv: $(basename "$0"): command not found" >&2; exit 127\n'
    )
    path = folder / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    """A folder with the few commands the script needs besides Python."""
    folder = tmp_path / "tools"
    folder.mkdir()
    for name in ("sh", "bash", "dirname", "basename", "grep", "tr"):
        (folder / name).symlink_to(shutil.which(name))
    return folder


def setup_env(*args: str, path: list[Path], **env: str) -> subprocess.CompletedProcess:
    """tools/setup_env.sh with only ``path`` on PATH (and the given PYTHON, VENV)."""
    environ = {"PATH": os.pathsep.join(map(str, path)), "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(
        [shutil.which("bash"), str(SETUP), *args], capture_output=True, text=True, env=environ, timeout=60
    )


def test_newest_supported_python_that_runs_is_chosen(tmp_path, tools):
    bin_ = tmp_path / "bin"
    fake_python(bin_, "python3.11", "3.11")
    chosen = fake_python(bin_, "python3.12", "3.12")
    fake_python(bin_, "python3.13", None)  # a pyenv shim of a version that is not selected
    fake_python(bin_, "python3.14", "3.14")
    done = setup_env("--python", path=[bin_, tools])
    assert done.returncode == 0 and done.stdout.strip() == str(chosen), done.stdout + done.stderr
    done = setup_env("--python", path=[bin_, tools], PYTHON="python3.11")
    assert done.returncode == 0 and done.stdout.strip() == str(bin_ / "python3.11"), done.stdout + done.stderr


def test_a_pyenv_version_named_on_purpose_is_found(tmp_path, tools):
    root = tmp_path / "pyenv"
    fake_python(root / "shims", "python3.13", None)
    real = fake_python(root / "versions" / "3.13.0" / "bin", "python3.13", "3.13")
    pyenv = tools / "pyenv"
    pyenv.write_text(
        f'#!/bin/sh\ncase "$1" in prefix) echo "{real.parent.parent}" ;; versions) echo 3.13.0 ;; *) exit 1 ;; esac\n'
    )
    pyenv.chmod(0o755)
    done = setup_env("--python", path=[root / "shims", tools], PYTHON="python3.13")
    assert done.returncode == 0 and done.stdout.strip() == str(real), done.stdout + done.stderr
    # Unasked, a shim that does not run is no choice; the message says what pyenv has and how to pick it.
    done = setup_env("--python", path=[root / "shims", tools])
    assert done.returncode == 1, done.stdout
    assert "pyenv has 3.13.0" in done.stderr and "make test PYTHON=python3.12" in done.stderr, done.stderr


@pytest.mark.parametrize(
    ("python", "says"),
    [
        ("python3.10", "PYTHON=python3.10 is Python 3.10, which the course does not support"),
        ("python3.9", "PYTHON=python3.9 does not run here"),
        (None, "No supported Python on PATH"),
    ],
)
def test_an_unsupported_python_is_refused_with_the_supported_ones(tmp_path, tools, python, says):
    bin_ = tmp_path / "bin"
    fake_python(bin_, "python3.10", "3.10")
    done = setup_env("--python", path=[bin_, tools], **({"PYTHON": python} if python else {}))
    assert done.returncode == 1 and not done.stdout, done.stdout
    assert says in done.stderr, done.stderr
    assert "3.11, 3.12 and 3.13" in done.stderr and "`make test PYTHON=python3.12`" in done.stderr, (
        done.stderr
    )


def test_an_existing_venv_keeps_its_python(tmp_path, tools):
    bin_, venv = tmp_path / "bin", tmp_path / "venv"
    fake_python(bin_, "python3.11", "3.11")
    fake_python(bin_, "python3.12", "3.12")
    fake_python(venv / "bin", "python", "3.11")
    assert setup_env("--check", path=[bin_, tools], VENV=str(venv)).returncode == 0
    assert setup_env("--check", path=[bin_, tools], VENV=str(venv), PYTHON="python3.11").returncode == 0
    done = setup_env("--check", path=[bin_, tools], VENV=str(venv), PYTHON="python3.12")
    assert (
        done.returncode == 1 and f"{venv} has Python 3.11 but PYTHON=python3.12 is Python 3.12" in done.stderr
    )
    fake_python(venv / "bin", "python", "3.10")
    done = setup_env("--check", path=[bin_, tools], VENV=str(venv))
    assert done.returncode == 1 and "Python 3.10, which the course does not support" in done.stderr, (
        done.stderr
    )


def test_makefile_leaves_the_choice_to_setup_env(tmp_path, tools):
    make = (ROOT / "Makefile").read_text()
    assert re.search(r"^PYTHON \?=\s*$", make, flags=re.M), (
        "PYTHON: empty unless given (setup_env.sh chooses)"
    )
    assert re.search(r"^VENV +\?= \.venv$", make, flags=re.M), "VENV: .venv unless given"
    # The stamp passes the choice on; asking for another Python than the venv has stops before any test runs.
    venv = tmp_path / "venv"
    dry = subprocess.run(
        ["make", "-n", "venv", f"VENV={venv}", "PYTHON=python3.12"], cwd=ROOT, capture_output=True, text=True
    )
    assert f'PYTHON="python3.12" VENV="{venv}" bash tools/setup_env.sh' in dry.stdout, dry.stdout + dry.stderr
    bin_ = tmp_path / "bin"
    fake_python(bin_, "python3.12", "3.12")
    fake_python(venv / "bin", "python", "3.11")
    (tools / "make").symlink_to(shutil.which("make"))
    env = {"PATH": f"{bin_}{os.pathsep}{tools}", "HOME": os.environ.get("HOME", "/tmp")}
    done = subprocess.run(
        ["make", "-s", "venv-python", f"VENV={venv}", "PYTHON=python3.12"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode != 0 and "has Python 3.11 but PYTHON=python3.12" in done.stderr, done.stderr
    # One lock per Python, each resolved in a fresh venv of that Python.
    dry = subprocess.run(
        ["make", "-n", "lock", "PYTHON=python3.12"], cwd=ROOT, capture_output=True, text=True
    )
    assert "-m venv $env" in dry.stdout and "pip install -q -r requirements.in" in dry.stdout, dry.stdout
    assert "mv $env.lock requirements-py$v.lock" in dry.stdout, dry.stdout


def test_ci_runs_the_readme_test_command_and_smokes_the_other_pythons():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make lab" in readme
    assert "3.11, 3.12 or 3.13" in readme and "make test PYTHON=python3.12" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test\s*$", ci, flags=re.M), ".ci/run must call `make test`"
    assert re.search(r"^\s*make smoke PYTHON=", ci, flags=re.M), ".ci/run must smoke the other Pythons"
    make = (ROOT / "Makefile").read_text()
    smoke = make.split("\nsmoke-run:", 1)[1].split("\n\n", 1)[0]
    assert "--nbval-lax notebooks/01_overfitting.ipynb" in smoke, smoke
    assert "tests/test_assignments.py -k en-01_overfitting" in smoke, smoke
    assert "VENV=build/smoke-py$$v" in make.split("\nsmoke:", 1)[1].split("\n\n", 1)[0], (
        "smoke venv under build/"
    )


def test_makefile_test_target_runs_every_check():
    make = (ROOT / "Makefile").read_text()
    body = make.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    targets = {
        word
        for line in body.splitlines()
        if line.strip().startswith("$(MAKE)")
        for word in line.split()[1:]
        if not word.startswith("-") and not word.isdigit() and "=" not in word
    }
    for step in (
        "lint",
        "unit",
        "assignments",
        "walkthroughs",
        "drift",
        "lessons",
        "claims",
        "class",
        "site",
        "browser",
        "hub-test",
        "bench-grading",
    ):
        assert step in targets, f"make test does not run `{step}`"
    # The solutions are executed by drift (which requires the committed outputs exactly) and checked statically
    # by the assignment tests; `make notebooks` also runs them under nbval.
    assert "nbval solutions fr/solutions" in make.split("\nnotebooks:", 1)[1].split("\n\n", 1)[0]


def run_python(code: str) -> subprocess.CompletedProcess:
    """Run code in a fresh interpreter without the TF variables inherited from pytest's environment."""
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("TF_")}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)


def test_importing_helpers_is_light_and_does_not_seed():
    code = (
        "import sys, numpy as np\n"
        "state = np.random.get_state()[1].copy()\n"
        "import helpers, helpers.datasets, helpers.checks, helpers.plotting, helpers.experiments, helpers.setup\n"
        "heavy = [m for m in ('tensorflow', 'keras', 'matplotlib.pyplot') if m in sys.modules]\n"
        "print(heavy, bool((np.random.get_state()[1] == state).all()))\n"
    )
    out = run_python(code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[] True", f"import helpers pulled in or seeded: {out.stdout}"


def test_setup_notebook_keeps_tensorflow_silent():
    out = run_python(
        "from helpers.setup import setup_notebook\nsetup_notebook(seed=3)\n"
        "import keras\nprint(keras.layers.Dense(2)(keras.ops.ones((1, 3))).shape)"
    )
    assert out.returncode == 0, out.stderr
    assert out.stderr == "", f"TensorFlow wrote to stderr: {out.stderr[:300]}"


def test_setup_notebook_seeds_reproducibly():
    code = (
        "from helpers.setup import setup_notebook\nimport numpy as np, keras\n"
        "setup_notebook(seed=5)\na = keras.random.normal((3,)).numpy().tolist() + [np.random.rand()]\n"
        "setup_notebook(seed=5)\nb = keras.random.normal((3,)).numpy().tolist() + [np.random.rand()]\n"
        "setup_notebook(seed=6)\nc = keras.random.normal((3,)).numpy().tolist() + [np.random.rand()]\n"
        "print(a == b, a != c)"
    )
    out = run_python(code)
    assert out.stdout.strip() == "True True", out.stdout + out.stderr


@pytest.mark.skipif(
    not (Path(sys.prefix) / "share/jupyter/kernels/python3").exists(), reason="course venv only"
)
def test_course_kernel_starts_tensorflow_quietly():
    spec = json.loads((Path(sys.prefix) / "share/jupyter/kernels/python3/kernel.json").read_text())
    assert Path(spec["argv"][0]).parent == Path(sys.executable).parent, "the kernel must run the course venv"
    assert spec["env"]["TF_CPP_MIN_LOG_LEVEL"] == "2" and spec["env"]["TF_ENABLE_ONEDNN_OPTS"] == "0"
    assert spec["env"]["MPLBACKEND"] == "module://matplotlib_inline.backend_inline", (
        "figures must show inline"
    )
