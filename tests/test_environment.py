"""The environment is defined once (requirements.lock) and every entry point uses it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def lock_pins() -> dict[str, str]:
    """Package name (normalized) -> pinned version, from requirements.lock."""
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)\s*(;.*)?", line)
        assert m, f"requirements.lock line is not an exact pin: {line!r}"
        name = re.sub(r"[-_.]+", "-", m.group(1)).lower()
        pins[name] = m.group(2)
    return pins


def test_lock_pins_the_course_stack():
    pins = lock_pins()
    expected = {"tensorflow-cpu": "2.21.0", "tensorflow": "2.21.0", "nbgrader": "0.9.6", "nbval": "0.11.0"}
    for name, version in expected.items():
        assert pins.get(name) == version, f"{name} should be pinned to {version}, lock has {pins.get(name)}"
    assert pins["keras"].startswith("3.15."), pins["keras"]
    assert pins["jupyterlab"].startswith("4.6."), pins["jupyterlab"]


def test_requirements_in_agrees_with_lock():
    pins = lock_pins()
    for line in (ROOT / "requirements.in").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, _, rest = line.partition("==")
        name = re.sub(r"[-_.]+", "-", name.strip()).lower()
        assert name in pins, f"{name} is required in requirements.in but missing from requirements.lock"
        if rest:
            assert pins[name] == rest.split(";")[0].strip(), f"{name}: requirements.in and lock disagree"


def test_environment_yml_installs_exactly_the_lock():
    import yaml

    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_deps = [d for d in env["dependencies"] if isinstance(d, str)]
    pip_deps = [d for d in env["dependencies"] if isinstance(d, dict)]
    # conda itself provides only the interpreter, pip and make; every Python package comes from the lock.
    assert sorted(conda_deps) == ["make", "pip", "python=3.11"], conda_deps
    assert pip_deps == [{"pip": ["-r requirements.lock", "-e ."]}], pip_deps
    # The same Python as pyproject and the Makefile's venv check.
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert ">=3.11" in requires and "<3.12" in requires
    assert "(3, 11)" in (ROOT / "tools" / "setup_env.sh").read_text()


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


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make lab" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test\s*$", ci, flags=re.M), ".ci/run must call `make test`"


def test_makefile_test_target_runs_every_check():
    make = (ROOT / "Makefile").read_text()
    body = make.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    for step in ("lint", "unit", "assignments", "drift", "notebooks", "claims", "class", "browser", "bench"):
        assert f"$(MAKE) {step}" in body, f"make test does not run `{step}`"


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
