"""The learner's path in the course's JupyterLab, driven by headless Chromium (``make browser``).

JupyterLab starts exactly as ``make lab`` starts it (the Makefile's own recipe, on a free port with a random
token). The tests work on copies of a lesson and of a release notebook under ``build/browser/course/``, so the
repository's notebooks are never modified, and leave screenshots in ``build/browser/`` for a person to look
at. What a learner must never meet, each asserted: a "Select Kernel" dialog, a news or update prompt or any
other pop-up, a red stderr or error box in a lesson, a missing Validate button, a Validate that hangs, a
failed test (in its cell or in the Validate dialog) opening with the course's frames, not the check's message.

Needs Debian's ``chromium`` (``make browser-deps``); Playwright never downloads a browser here.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "browser"
SCRATCH = OUT / "course"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Keep the browser off the network and out of any existing profile (Playwright adds a fresh user-data-dir).
CHROMIUM_ARGS = [
    "--no-sandbox",  # required as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LESSON = "notebooks/01_overfitting.ipynb"
EXERCISE = "release/01_overfitting/01_overfitting.ipynb"
# Other notebooks can be tried by pointing these at them (copied to the same places in the scratch course).
SOURCES = {
    LESSON: Path(os.environ.get("BROWSER_LESSON", ROOT / LESSON)),
    EXERCISE: Path(os.environ.get("BROWSER_EXERCISE", ROOT / EXERCISE)),
}
KERNEL_DISPLAY_NAME = "Python 3 (course)"
STDERR_MIME = "application/vnd.jupyter.stderr"  # JupyterLab renders stderr streams and errors with it
IMAGE_OUTPUT = ".jp-OutputArea-output[data-mime-type='image/png']"

# Generous but bounded waits, in seconds.
LAB_START_S = 90
KERNEL_READY_S = 60
RUN_ALL_S = 240
CELL_S = 60
# nbgrader's Validate runs the whole notebook in the server with the course's 120 s per-cell timeout: a
# notebook that hangs must come back as an error well before this.
VALIDATE_S = 200

# Correct answers a learner could type, for whichever graded function of 01_overfitting fails first.
ANSWERS = {
    "generalization_gap": """def generalization_gap(history, metric="accuracy"):
    logs = getattr(history, "history", history)
    return float(logs[metric][-1] - logs["val_" + metric][-1])
""",
    "best_epoch": """def best_epoch(history, monitor="val_loss"):
    values = list(getattr(history, "history", history)[monitor])
    best = min(values) if "loss" in monitor else max(values)
    return values.index(best) + 1
""",
    "diagnose_fit": """def diagnose_fit(history, gap_threshold=0.1, underfit_threshold=0.8):
    logs = getattr(history, "history", history)
    train, val = logs["accuracy"][-1], logs["val_accuracy"][-1]
    if train < underfit_threshold:
        return "underfitting"
    if train - val > gap_threshold:
        return "overfitting"
    return "good fit"
""",
}

# Records every dialog and toast notification that ever appears, even briefly, with its text.
POPUP_RECORDER = """
window.__coursePopups = [];
new MutationObserver((mutations) => {
  for (const mutation of mutations) {
    for (const node of mutation.addedNodes) {
      if (node.nodeType !== 1) continue;
      const found = node.matches('.jp-Dialog, .Toastify__toast') ? [node] : [];
      found.push(...node.querySelectorAll('.jp-Dialog, .Toastify__toast'));
      for (const el of found) {
        const entry = {kind: el.classList.contains('jp-Dialog') ? 'dialog' : 'notification', text: ''};
        window.__coursePopups.push(entry);
        // A dialog removed before its text could be read was a transient one (a progress dialog): say so.
        const read = () => { if (el.isConnected) entry.text = el.innerText.slice(0, 500); else if (!entry.text) entry.gone = true; };
        setTimeout(read, 20); setTimeout(read, 200); setTimeout(read, 1500);
      }
    }
  }
}).observe(document, {childList: true, subtree: true});
"""


# ----------------------------------------------------------------------------------------------------------
# The server, started by `make lab`
# ----------------------------------------------------------------------------------------------------------


@dataclass
class Lab:
    """A running course JupyterLab."""

    url: str
    token: str
    log: Path

    def api(self, path: str, method: str = "GET") -> object:
        """Call the server's REST API with the token; return the decoded JSON (None when empty)."""
        req = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def open_url(self, path: str) -> str:
        """URL opening ``path`` (relative to the repository) in a fresh lab workspace."""
        return f"{self.url}/lab/tree/{path}?reset&token={self.token}"

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the server's log."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_environment(tmp: Path) -> dict[str, str]:
    """Environment for the server: private user config, settings and workspaces, so only the course's
    settings (``lab/overrides.json`` installed in .venv) apply. An existing ``JUPYTER_CONFIG_DIR`` is
    copied in first, which lets a person check that the tests catch a disabled extension."""
    config = tmp / "config"
    source = os.environ.get("JUPYTER_CONFIG_DIR")
    if source and Path(source).is_dir():
        shutil.copytree(source, config)
    config.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:  # CI containers run as root; Jupyter refuses that unless told
        server_cfg = config / "jupyter_server_config.json"
        data = json.loads(server_cfg.read_text()) if server_cfg.exists() else {}
        data.setdefault("ServerApp", {})["allow_root"] = True
        server_cfg.write_text(json.dumps(data))
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(config),
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
    )
    return env


def process_tree(pid: int) -> list:
    """The process and its descendants, as psutil processes (empty when it is gone)."""
    import psutil

    try:
        proc = psutil.Process(pid)
        return [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return []


def stop_lab(proc: subprocess.Popen, lab: Lab, started: list) -> None:
    """Shut the server down through its API (it stops its kernels), then make sure every process it
    started is gone: the process group of `make`, then any kernel left behind, by pid."""
    import psutil

    with contextlib.suppress(OSError, urllib.error.URLError):
        lab.api("/api/shutdown", method="POST")
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            try:
                proc.wait(timeout=10)
                break
            except subprocess.TimeoutExpired:
                continue
    known = {p.pid: p for p in started}
    for p in process_tree(proc.pid):
        known.setdefault(p.pid, p)
    for p in known.values():
        with contextlib.suppress(psutil.Error):
            if p.is_running():
                p.kill()


@contextlib.contextmanager
def running_lab(*make_args: str, name: str = "lab") -> Iterator[Lab]:
    """JupyterLab started with the Makefile's `lab` recipe (and ``make_args``), stopped cleanly afterwards."""
    OUT.mkdir(parents=True, exist_ok=True)
    port, token = free_port(), os.urandom(16).hex()
    log = OUT / f"{name}.log"
    with tempfile.TemporaryDirectory(prefix="course-lab-") as tmp:
        env = lab_environment(Path(tmp))
        # `-o` keeps make from re-running the environment set-up; the recipe itself is the learner's.
        cmd = ["make", "--no-print-directory", "-o", ".venv/.installed", "lab", "NO_BROWSER=1",
               f"PORT={port}", f"TOKEN={token}", "HOST=127.0.0.1", *make_args]  # fmt: skip
        with log.open("w") as fh:
            proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
            )
        server = Lab(f"http://127.0.0.1:{port}", token, log)
        started: list = []
        try:
            deadline = time.monotonic() + LAB_START_S
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"`make lab` exited with {proc.returncode}:\n{server.log_tail()}")
                with contextlib.suppress(OSError, urllib.error.URLError):
                    server.api("/api/status")
                    break
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer within {LAB_START_S} s:\n{server.log_tail()}")
                time.sleep(0.5)
            yield server
            started = process_tree(proc.pid)
        finally:
            stop_lab(proc, server, started)


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    """The course's JupyterLab, as `make lab` starts it."""
    with running_lab() as server:
        yield server


@pytest.fixture(scope="module")
def lab_fr() -> Iterator[Lab]:
    """The French edition in French JupyterLab, as `make lab LANG=fr` starts it (its root is fr/)."""
    with running_lab("LANG=fr", name="lab-fr") as server:
        yield server


def shutdown_kernels(lab: Lab) -> None:
    """Stop every kernel of the server (between tests, to keep memory low)."""
    for kernel in lab.api("/api/kernels") or []:
        with contextlib.suppress(urllib.error.URLError):
            lab.api(f"/api/kernels/{kernel['id']}", method="DELETE")


# ----------------------------------------------------------------------------------------------------------
# The browser and the scratch copies
# ----------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser_context() -> Iterator[object]:
    """Headless Debian Chromium with a fresh profile, through Playwright's sync API."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (tools/install_browser.sh)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="course-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 900},
        )
        context.add_init_script(POPUP_RECORDER)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """Copies of the lesson and the release notebook, under the server's root, removed afterwards."""
    if SCRATCH.exists():
        shutil.rmtree(SCRATCH)
    for old in OUT.glob("*.png"):  # screenshots of an earlier run
        old.unlink()
    for rel, source in SOURCES.items():
        if not source.is_file():
            pytest.fail(f"{source} does not exist")
        (SCRATCH / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, SCRATCH / rel)
    yield SCRATCH
    shutil.rmtree(SCRATCH, ignore_errors=True)


@contextlib.contextmanager
def screenshot_on_failure(page, name: str, lab: Lab) -> Iterator[None]:
    """Save a screenshot of the page when the block fails, for a person to look at; in any case close the
    page and stop its kernel afterwards (memory is scarce)."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):
            page.screenshot(path=str(OUT / f"FAILED-{name}.png"))
        raise
    finally:
        with contextlib.suppress(Exception):
            page.close()
        shutdown_kernels(lab)


# ----------------------------------------------------------------------------------------------------------
# Driving JupyterLab
# ----------------------------------------------------------------------------------------------------------


def open_notebook(context, lab: Lab, rel: str):
    """Open a notebook in a new page and wait until its kernel has started and is idle."""
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(lab.open_url(rel))
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=KERNEL_READY_S * 1000)
    try:
        page.wait_for_function(
            """() => {
                const name = document.querySelector('.jp-NotebookPanel .jp-KernelName');
                const ind = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator');
                return name && ind && ind.dataset.status === 'idle'
                    && !['', 'No Kernel', 'Kernel'].includes(name.innerText.trim());
            }""",
            timeout=KERNEL_READY_S * 1000,
            polling=250,
        )
    except Exception as exc:
        name = page.locator(".jp-NotebookPanel .jp-KernelName").inner_text().strip()
        raise AssertionError(
            f"{rel}: no kernel ready after {KERNEL_READY_S} s (kernel: {name!r}; pop-ups: {popups(page)})"
        ) from exc
    return page


def cells(page):
    """Locator of the notebook's cells, in order."""
    return page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell")


def prompts(page) -> list[str]:
    """The execution prompts of the code cells ('[3]:', '[*]:', '[ ]:')."""
    return page.eval_on_selector_all(
        ".jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt", "els => els.map(e => e.textContent.trim())"
    )


def wait_idle_with_prompts(page, timeout_s: float) -> None:
    """Wait until no cell is queued or running, the kernel is idle and at least one cell has run."""
    page.wait_for_function(
        """() => {
            const ps = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt')]
                .map(e => e.textContent);
            const ind = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator');
            return ps.some(t => /\\d/.test(t)) && !ps.some(t => t.includes('*'))
                && ind && ind.dataset.status === 'idle';
        }""",
        timeout=timeout_s * 1000,
        polling=500,
    )


def run_all(page, timeout_s: float = RUN_ALL_S) -> float:
    """Run > Run All Cells (in any language), wait for the notebook to finish; return the seconds it took."""
    start = time.monotonic()
    run_all_item = page.locator("li.lm-Menu-item[data-command='runmenu:run-all']")
    # The menu holding the command, whatever the language of its label (Run, Exécuter...).
    for menu in page.locator("li.lm-MenuBar-item").all():
        menu.click()
        if run_all_item.count() and run_all_item.first.is_visible():
            break
        page.keyboard.press("Escape")
    run_all_item.first.click()
    wait_idle_with_prompts(page, timeout_s)
    return time.monotonic() - start


def run_cell(page, index: int) -> None:
    """Run one cell (Ctrl+Enter, the selection stays) and wait until it has a new execution count."""
    cell = cells(page).nth(index)
    prompt = cell.locator(".jp-InputArea-prompt")
    before = prompt.text_content()
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        """([el, before]) => /\\d/.test(el.textContent) && !el.textContent.includes('*') && el.textContent !== before""",
        arg=[prompt.element_handle(), before],
        timeout=CELL_S * 1000,
        polling=250,
    )
    wait_idle_with_prompts(page, CELL_S)


def show(page, locator) -> None:
    """Scroll an element into view and give the browser a moment to paint it (cells out of view are not
    rendered), e.g. before a screenshot."""
    locator.scroll_into_view_if_needed()
    page.wait_for_timeout(800)


def red_outputs(scope) -> list[str]:
    """Text of every stderr or error output box inside ``scope`` (a page or a cell locator)."""
    return scope.locator(f".jp-OutputArea-output[data-mime-type='{STDERR_MIME}']").all_text_contents()


def assert_message_first(text: str, what: str, name: str = "") -> str:
    """A failed test as a learner reads it: the check's ``AssertionError: <message>`` (naming ``name``) is the
    first line, before any frame of the course's own code (``helpers/...``); return the message line."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    found = next((i for i, line in enumerate(lines) if line.startswith("AssertionError:")), None)
    assert found is not None, f"{what} shows no AssertionError message:\n{text[-1500:]}"
    frames = [line for line in lines[:found] if "helpers/" in line]
    assert not frames, f"{what} shows the course's frames before the message:\n{text[:1500]}"
    assert found == 0, f"{what} does not start with the check's message:\n{text[:1500]}"
    assert name in lines[0], f"{what}: the message does not name {name!r}: {lines[0]}"
    return lines[0]


def popups(page) -> list[dict]:
    """Every dialog and notification recorded since the page was loaded."""
    return page.evaluate("window.__coursePopups || []")


def assert_no_popups(page, allowed_title: str | None = None) -> None:
    """No dialog or notification appeared (except dialogs whose text starts with ``allowed_title``)."""
    seen = [
        p
        for p in popups(page)
        if not (allowed_title and p["text"].startswith(allowed_title))
        and not (p.get("gone") and not p["text"])
    ]
    assert not seen, f"a learner would meet these pop-ups: {seen}"
    status = page.locator(".jp-Notification-Status").inner_text().strip()
    assert status in ("", "0"), f"the notification center holds {status} notification(s)"


def assert_course_kernel(page) -> None:
    """The notebook runs the course's python3 kernel (no kernel was chosen by hand)."""
    name = page.locator(".jp-NotebookPanel .jp-KernelName").inner_text().strip()
    assert name == KERNEL_DISPLAY_NAME, f"the notebook started kernel {name!r}, not {KERNEL_DISPLAY_NAME!r}"


def assert_python3_kernelspec(path: Path) -> None:
    """The notebook names the course's python3 kernel, so JupyterLab never asks which kernel to start."""
    spec = nbformat.read(path, as_version=4).metadata.get("kernelspec", {})
    assert spec.get("name") == "python3", f"{path.name} has kernelspec {spec}, not the course's python3"


def learning_curve_cell(path: Path) -> int:
    """Index of the first cell that draws learning curves (``helpers.plotting.learning_curves``)."""
    nb = nbformat.read(path, as_version=4)
    found = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "learning_curves(" in c.source]
    assert found, f"{path.name} never calls plotting.learning_curves"
    return found[0]


def grade_ids(path: Path) -> list[str]:
    """nbgrader grade id of each cell of a notebook ('' for cells without one)."""
    nb = nbformat.read(path, as_version=4)
    return [c.metadata.get("nbgrader", {}).get("grade_id", "") for c in nb.cells]


# ----------------------------------------------------------------------------------------------------------
# The tests
# ----------------------------------------------------------------------------------------------------------


def test_course_lab_settings_are_installed() -> None:
    """lab/overrides.json is what the lab loads, and every key in it exists in JupyterLab's schemas."""
    ours = json.loads((ROOT / "lab" / "overrides.json").read_text())
    installed = ROOT / ".venv" / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert installed.is_file(), f"{installed} is missing: run tools/setup_env.sh"
    assert json.loads(installed.read_text()) == ours, f"{installed} is stale: run tools/setup_env.sh"
    schemas = ROOT / ".venv" / "share" / "jupyter" / "lab" / "schemas"
    for plugin, values in ours.items():
        package, name = plugin.rsplit(":", 1)
        schema = json.loads((schemas / package / f"{name}.json").read_text())
        for key, value in values.items():
            assert key in schema["properties"], f"{plugin} has no setting {key!r} in this JupyterLab"
            spec = schema["properties"][key]
            allowed = [option["const"] for option in spec.get("oneOf", [])]
            assert not allowed or value in allowed, f"{plugin}:{key}={value!r} is not one of {allowed}"


def test_lesson_runs_with_plots_and_no_red_boxes(lab, browser_context, scratch) -> None:
    """A learner opens the first lesson and runs it all: a learning-curve plot, no error, no stderr box."""
    assert_python3_kernelspec(scratch / LESSON)
    page = open_notebook(browser_context, lab, f"build/browser/course/{LESSON}")
    with screenshot_on_failure(page, "lesson", lab):
        assert_course_kernel(page)
        seconds = run_all(page)
        ran = prompts(page)
        red = red_outputs(page)
        assert not red, "the lesson shows red boxes (errors or stderr):\n" + "\n---\n".join(
            r[:800] for r in red
        )
        assert all(any(ch.isdigit() for ch in p) for p in ran), f"cells did not all run: {ran}"
        images = page.locator(f"{IMAGE_OUTPUT} img")
        assert images.count() >= 1, "the lesson drew no figure inline"
        plot = cells(page).nth(learning_curve_cell(scratch / LESSON)).locator(f"{IMAGE_OUTPUT} img")
        assert plot.count() >= 1, "the learning-curve cell shows no figure"
        show(page, plot.first)
        size = plot.first.evaluate("img => img.complete ? [img.naturalWidth, img.naturalHeight] : [0, 0]")
        assert size[0] > 200 and size[1] > 150, f"the learning curves did not render as a plot: {size} pixels"
        page.screenshot(path=str(OUT / "1-lesson-learning-curves.png"))
        assert_no_popups(page)
        print(f"lesson ran in {seconds:.1f} s with {images.count()} figure(s)")


def test_exercise_blank_fails_answer_passes_validate_reports(lab, browser_context, scratch) -> None:
    """A learner runs the blank exercise (a readable AssertionError), answers one function, sees its visible
    test pass, and presses Validate, whose dialog lists what is still missing but not the fixed test. Each
    failure, in the cell and in the dialog, starts with the check's message, with no helpers/ frame before it."""
    assert_python3_kernelspec(scratch / EXERCISE)
    ids = grade_ids(scratch / EXERCISE)
    page = open_notebook(browser_context, lab, f"build/browser/course/{EXERCISE}")
    with screenshot_on_failure(page, "exercise", lab):
        assert_course_kernel(page)
        assert cells(page).count() == len(ids), "the page does not show every cell of the notebook"
        run_all(page)

        # The blank answer fails in its visible test cell, with the checks' message, not a raw traceback.
        failing = [i for i in range(len(ids)) if red_outputs(cells(page).nth(i))]
        assert failing, "the blank exercise shows no failure"
        first = failing[0]
        test_id = ids[first]
        assert test_id.startswith("test_"), f"the first failure is in cell {first} ({test_id!r}), not a test"
        name = next(n for n in ANSWERS if test_id.startswith(f"test_{n}"))
        message = red_outputs(cells(page).nth(first))[0]
        last = message.strip().splitlines()[-1]
        assert last.startswith("AssertionError:") and name in last, f"unhelpful failure:\n{message[-1500:]}"
        assert_message_first(message, f"the output of test cell {test_id!r}", name)
        show(page, cells(page).nth(first))
        page.screenshot(path=str(OUT / "2-exercise-blank-fails.png"))

        # The learner types a correct answer into the answer cell and runs it, then the test cell.
        answer = ids.index(name)
        editor = cells(page).nth(answer).locator(".jp-InputArea-editor .cm-content")
        editor.click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(ANSWERS[name])
        run_cell(page, answer)
        assert not red_outputs(cells(page).nth(answer)), "the answer cell failed"
        run_cell(page, first)
        assert not red_outputs(cells(page).nth(first)), red_outputs(cells(page).nth(first))[0][:1500]
        show(page, cells(page).nth(first))
        page.screenshot(path=str(OUT / "3-exercise-answer-passes.png"))
        assert_no_popups(page)

        # nbgrader's Validate (saves, then runs the notebook in the server) answers within its bound.
        validate = page.locator(".jp-NotebookPanel-toolbar .validate-button")
        assert validate.count() == 1, "no Validate button: is the @jupyter/nbgrader lab extension enabled?"
        start = time.monotonic()
        validate.click()
        dialog = page.locator(".jp-Dialog").filter(has_text="Validation Results")
        try:
            dialog.wait_for(timeout=VALIDATE_S * 1000)
        except Exception as exc:
            raise AssertionError(f"Validate gave no result within {VALIDATE_S} s:\n{lab.log_tail()}") from exc
        seconds = time.monotonic() - start
        message = dialog.locator("#validation-message")
        classes = message.get_attribute("class") or ""
        text = message.inner_text()
        page.screenshot(path=str(OUT / "4-validate-dialog.png"))
        assert "validation-failed" in classes, f"Validate should list the blank answers:\n{text[:2000]}"
        listed = message.locator(".jp-RenderedText pre").all_text_contents()
        failed_sources, failed_errors = listed[::2], listed[1::2]
        fixed_source = nbformat.read(scratch / EXERCISE, as_version=4).cells[first].source.strip()
        assert failed_sources, f"the dialog lists no failed cell:\n{text[:2000]}"
        assert all(s.strip() != fixed_source for s in failed_sources), "Validate still fails the fixed test"
        # Each failure the dialog lists starts with its check's message, not the course's internal frames.
        assert len(failed_errors) == len(failed_sources), f"a failed cell without its error:\n{text[:2000]}"
        for source, error in zip(failed_sources, failed_errors, strict=True):
            shown = assert_message_first(error, f"Validate's error for\n{source.strip()[:300]}\n")
            print(f"Validate shows first: {shown[:160]}")
        dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
        assert_no_popups(page, allowed_title="Validation Results")
        print(f"validate answered in {seconds:.1f} s, {len(failed_sources)} cell(s) still failing")


FR_LESSON = "notebooks/01_overfitting.ipynb"


def test_french_lesson_in_french_jupyterlab(lab_fr, browser_context) -> None:
    """`make lab LANG=fr` opens the French edition with JupyterLab's menus in French; the French lesson 1 (a copy
    under fr/build/) runs with its figures and no red box, and reads in French."""
    scratch = ROOT / "fr" / "build" / "browser" / "course"
    shutil.rmtree(scratch, ignore_errors=True)
    (scratch / FR_LESSON).parent.mkdir(parents=True)
    shutil.copy2(ROOT / "fr" / FR_LESSON, scratch / FR_LESSON)
    assert_python3_kernelspec(scratch / FR_LESSON)
    try:
        page = open_notebook(browser_context, lab_fr, f"build/browser/course/{FR_LESSON}")
        with screenshot_on_failure(page, "lesson-fr", lab_fr):
            menus = [m.strip() for m in page.locator(".lm-MenuBar-itemLabel").all_inner_texts()]
            assert "Fichier" in menus and "File" not in menus, (
                f"JupyterLab's menus are not in French: {menus}"
            )
            heading = page.locator(".jp-MarkdownOutput h1").first.inner_text()
            assert "surapprentissage" in heading.lower(), f"the lesson's title is not French: {heading!r}"
            seconds = run_all(page)
            red = red_outputs(page)
            assert not red, "the French lesson shows red boxes:\n" + "\n---\n".join(r[:800] for r in red)
            images = page.locator(f"{IMAGE_OUTPUT} img")
            assert images.count() >= 1, "the French lesson drew no figure inline"
            page.screenshot(path=str(OUT / "4-lesson-fr.png"))
            assert_no_popups(page)
            print(f"French lesson ran in {seconds:.1f} s with {images.count()} figure(s)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
