"""The course on its JupyterHub, end to end in headless Chromium (``make hub-test``; runs as root).

A module fixture creates three local accounts (two learners, one instructor) with known passwords, starts the
hub with ``make hub`` on free ports, and afterwards stops it (as Ctrl-C does), ends whatever is left of it,
and deletes the accounts and their homes, also when a test fails. The instructor releases ``01_overfitting``
with the course's own grading commands, run as the instructor's system account. Then, in the browser: both
learners log in through the hub's login page, fetch the assignment in the Assignments tab, type their answers
(learner 1 right, learner 2 with a wrong ``generalization_gap``), press Validate and submit; the instructor
collects, autogrades in the bubblewrap sandbox and releases feedback; each learner fetches their feedback and
reads their own score in it. Learner 1 then tries to read learner 2's and the instructor's files, through the
hub with their own session and from code in their own kernel, and is refused. The roles are checked in the
page too: learners have the Assignments list and Validate but no Formgrader, Create Assignment or course
list; the instructor has Formgrader. ``make lab`` (a learner's laptop) and ``make lab ROLE=instructor`` are
checked for the same split. Screenshots go to ``build/hub/``.

Needs root, Debian's chromium (``make browser-deps``), bubblewrap (``make sandbox``) and the hub's proxy
(``make hub-deps``); every account must be able to run the course's venv (see tools/hub.py: check_runnable).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from test_browser import (
    ANSWERS,
    CHROMIUM,
    CHROMIUM_ARGS,
    cells,
    free_port,
    grade_ids,
    process_tree,
    red_outputs,
    running_lab,
)

from conftest import kernel_env

pytestmark = pytest.mark.hub

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tools import hub as course_hub  # noqa: E402

OUT = ROOT / "build" / "hub"
ASSIGNMENT = "01_overfitting"
NOTEBOOK = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
RELEASE = ROOT / "release" / NOTEBOOK
# The wrong answer of learner 2: validation minus training, the gap's sign reversed. (Dropping the sign with
# abs() passes the visible test, whose gaps are positive, so Validate says success; only the hidden test,
# at grading time, catches it.)
WRONG_GAP = """def generalization_gap(history, metric="accuracy"):
    logs = getattr(history, "history", history)
    return float(logs["val_" + metric][-1] - logs[metric][-1])
"""
NBGRADER_MENU = {
    "learner": ["Assignment List"],
    "instructor": ["Formgrader", "Create assignment", "Course List"],
}
LEARNER_DISABLED = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
)

# Generous but bounded waits, in seconds.
HUB_START_S = 90
SPAWN_S = 120
STEP_S = 30
VALIDATE_S = 200
GRADE_S = 600
STOP_S = 60


# ----------------------------------------------------------------------------------------------------------
# The hub, started by `make hub`
# ----------------------------------------------------------------------------------------------------------


@dataclass
class Hub:
    """A running course hub, its accounts and what the tests learn along the way."""

    url: str
    instructor: str
    learners: list[str]
    passwords: dict[str, str]
    exchange: Path
    log: Path
    state: dict[str, object] = field(default_factory=dict)

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the hub's log."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def as_user(name: str, *cmd: str, timeout: float = GRADE_S, cwd: Path | None = None) -> str:
    """Run ``cmd`` as account ``name`` (runuser) with a clean environment; return its output, fail on error."""
    home = course_hub.home_of(name)
    env = [
        f"HOME={home}",
        f"USER={name}",
        f"LOGNAME={name}",
        f"PATH={Path(sys.executable).parent}:/usr/bin:/bin",
        f"PYTHONPATH={ROOT}",
        "TF_CPP_MIN_LOG_LEVEL=2",
        "TF_ENABLE_ONEDNN_OPTS=0",
        "PYTHONHASHSEED=0",
    ]
    done = subprocess.run(
        ["runuser", "-u", name, "--", "env", "-i", *env, *cmd],
        cwd=cwd or home, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    assert done.returncode == 0, (
        f"{' '.join(cmd)} as {name} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout + done.stderr


def classroom(hub: Hub, *step: str) -> str:
    """The course's grading command (tools/classroom.py) run by the instructor on their course folder."""
    course = course_hub.home_of(hub.instructor) / "course"
    return as_user(
        hub.instructor,
        sys.executable, "-m", "tools.classroom", "--course", str(course), "--exchange", str(hub.exchange), *step,
        cwd=course,
    )  # fmt: skip


def api_ok(url: str) -> bool:
    """Whether ``url`` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status == 200
    except (OSError, urllib.error.URLError):
        return False


def stop_hub(proc: subprocess.Popen, started: list, uids: set[int]) -> None:
    """Stop the hub as Ctrl-C does (it stops the servers it started), then end by pid whatever is left: the
    processes it started, and any process of the test's accounts."""
    import psutil

    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=STOP_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    leftovers = {p.pid: p for p in started}
    for p in psutil.process_iter(["uids"]):
        with contextlib.suppress(psutil.Error):
            if p.info["uids"] and p.info["uids"].real in uids:
                leftovers.setdefault(p.pid, p)
    for p in leftovers.values():
        with contextlib.suppress(psutil.Error):
            if p.is_running():
                p.kill()
    psutil.wait_procs(list(leftovers.values()), timeout=10)


@pytest.fixture(scope="module", autouse=True)
def only_when_asked(request) -> None:
    """Run only when selected with ``-m hub``: the tests create system accounts (``make unit`` collects them)."""
    if "hub" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("creates system accounts and starts a hub as root: run with -m hub (make hub-test)")


@pytest.fixture(scope="module")
def hub() -> Iterator[Hub]:
    """The course's hub (``make hub``) with two new learners and a new instructor, all removed afterwards."""
    if os.geteuid() != 0:
        pytest.fail("the hub test runs as root: it creates system accounts and starts the hub")
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps`")
    if not course_hub.PROXY.exists():
        pytest.fail(f"{course_hub.PROXY} is missing: run `make hub-deps`")
    if shutil.which("bwrap") is None:
        pytest.fail("bwrap is missing: run `make sandbox`")
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    tag = secrets.token_hex(2)
    instructor, learners = f"prof{tag}", [f"ana{tag}", f"bo{tag}"]
    names = [instructor, *learners]
    taken = [n for n in names if course_hub.user_exists(n)]
    if taken:
        pytest.fail(f"accounts {taken} exist already")
    passwords = {name: secrets.token_urlsafe(12) for name in names}
    # The venv's interpreter may live in a private folder (pyenv under /root): the accounts may pass through
    # it, not list it, while the test runs; the modes are put back afterwards.
    opened = contextlib.ExitStack()
    said = opened.enter_context(course_hub.traversable(Path(sys.executable).resolve()))
    if said:
        print(f"opened {', '.join(map(str, said))} to other accounts (o+x) during the test")
    try:  # before any account exists: a refusal leaves nothing behind
        course_hub.check_runnable()
    except SystemExit as exc:
        opened.close()
        pytest.fail(str(exc))
    tmp = Path(tempfile.mkdtemp(prefix="course-hub-"))
    tmp.chmod(0o755)
    log = OUT / "hub.log"
    proc, started, uids = None, [], set()
    try:
        for name in names:
            course_hub.create_user(name, passwords[name])
            uids.add(course_hub.pwd.getpwnam(name).pw_uid)
        ports = [free_port() for _ in range(3)]
        cmd = [
            "make", "--no-print-directory", "-o", ".venv/.installed", "-o", "hub-deps", "hub",
            f"INSTRUCTOR={instructor}", f"LEARNERS={' '.join(learners)}", "HUB_IP=127.0.0.1",
            f"HUB_PORT={ports[0]}", f"HUB_STATE={tmp / 'state'}", f"EXCHANGE={tmp / 'exchange'}",
            f"HUB_ARGS=--hub-api-port {ports[1]} --proxy-api-port {ports[2]}",
        ]  # fmt: skip
        with log.open("w") as fh:
            proc = subprocess.Popen(
                cmd, cwd=ROOT, env=kernel_env(), stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
            )
        server = Hub(f"http://127.0.0.1:{ports[0]}", instructor, learners, passwords, tmp / "exchange", log)
        deadline = time.monotonic() + HUB_START_S
        while not api_ok(f"{server.url}/hub/api/"):
            if proc.poll() is not None:
                pytest.fail(f"`make hub` exited with {proc.returncode}:\n{server.log_tail()}")
            if time.monotonic() > deadline:
                pytest.fail(f"the hub did not answer within {HUB_START_S} s:\n{server.log_tail()}")
            time.sleep(0.5)
        yield server
        started = process_tree(proc.pid)
    finally:
        if proc is not None:
            started = started or process_tree(proc.pid)
            stop_hub(proc, started, uids)
        for name in names:
            course_hub.remove_user(name)
        shutil.rmtree(tmp, ignore_errors=True)
        opened.close()
        left = [n for n in names if course_hub.user_exists(n)]
        assert not left, f"accounts {left} could not be removed"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian Chromium through Playwright; each account gets a context (cookies) of its own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def pages(hub: Hub, browser) -> Iterator[dict[str, object]]:
    """One logged-in JupyterLab page per account, opened on first use, closed at the end."""
    opened: dict[str, object] = {}
    yield opened
    for page in opened.values():
        with contextlib.suppress(Exception):
            page.context.close()


# ----------------------------------------------------------------------------------------------------------
# Driving the hub and JupyterLab
# ----------------------------------------------------------------------------------------------------------


def shot(page, name: str) -> None:
    """A screenshot for a person to look at."""
    page.screenshot(path=str(OUT / f"{name}.png"))


@contextlib.contextmanager
def screenshot_on_failure(page, name: str) -> Iterator[None]:
    """Save a screenshot when the block fails."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):
            shot(page, f"FAILED-{name}")
        raise


def login(hub: Hub, browser, pages: dict, name: str):
    """Log ``name`` in through the hub's login page; return the page once their JupyterLab is up."""
    if name in pages:
        return pages[name]
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(STEP_S * 1000)
    pages[name] = page
    page.goto(f"{hub.url}/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", hub.passwords[name])
    page.click("[type=submit]")
    try:
        page.wait_for_url(re.compile(rf".*/user/{name}/lab.*"), timeout=SPAWN_S * 1000)
        page.wait_for_selector(".lm-MenuBar-item", timeout=SPAWN_S * 1000)
    except Exception as exc:
        shot(page, f"FAILED-login-{name}")
        raise AssertionError(f"{name} did not reach their JupyterLab:\n{hub.log_tail()}") from exc
    return page


def nbgrader_menu(page) -> list[str]:
    """Labels of the visible items of the Nbgrader menu (closed again afterwards)."""
    page.locator(".lm-MenuBar-item", has_text="Nbgrader").click()
    items = page.locator("#jp-mainmenu-nbgrader .lm-Menu-item:not(.lm-mod-hidden) .lm-Menu-itemLabel")
    items.first.wait_for()
    labels = [t.strip() for t in items.all_inner_texts() if t.strip()]
    page.keyboard.press("Escape")
    return labels


def open_assignments(page):
    """Open (or refresh) the Assignments tab; return its root element."""
    page.locator(".lm-MenuBar-item", has_text="Nbgrader").click()
    page.locator("#jp-mainmenu-nbgrader .lm-Menu-item", has_text="Assignment List").click()
    panel = page.locator("#nbgrader-assignment-list")
    panel.wait_for()
    panel.locator("#refresh_assignments_list").click()
    return panel


def row(panel, listing: str, text: str):
    """The first row of one list of the Assignments tab (released, fetched, submitted) holding ``text``."""
    found = panel.locator(f"#{listing}_assignments_list > .list_item", has_text=text).first
    found.wait_for(timeout=STEP_S * 1000)
    return found


def user_api(page, hub: Hub, name: str, path: str, method: str = "GET", body: object = None) -> dict:
    """Call ``name``'s Jupyter server API from their page, with their session (and its XSRF token)."""
    return page.evaluate(
        """async ([url, method, body]) => {
            const xsrf = (document.cookie.match(/(?:^|; )_xsrf=([^;]+)/) || [])[1];
            const init = {method, credentials: 'same-origin', headers: {'Content-Type': 'application/json'}};
            if (xsrf) init.headers['X-XSRFToken'] = decodeURIComponent(xsrf);
            if (body !== null) init.body = JSON.stringify(body);
            const resp = await fetch(url, init);
            const text = await resp.text();
            return {status: resp.status, text};
        }""",
        [f"{hub.url}/user/{name}/api/{path}", method, body],
    )


def run_first_cell(page, text: str, seconds: float) -> object:
    """Run the notebook's first cell until an output holding ``text`` shows; that output. A key press sent while
    the notebook is still connecting its kernel can be lost, so the cell is run again every 20 s (it is a read
    only probe: running it twice changes nothing)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    output = cells(page).nth(0).locator(".jp-OutputArea-output", has_text=text)
    deadline = time.monotonic() + seconds
    while True:
        cells(page).nth(0).locator(".jp-InputArea-editor").click()
        page.keyboard.press("Control+Enter")
        try:
            output.wait_for(timeout=20_000)
            return output
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                raise


def open_notebook(page, hub: Hub, name: str, path: str) -> None:
    """Open a notebook of ``name``'s home in their JupyterLab and wait until its kernel is idle."""
    page.goto(f"{hub.url}/user/{name}/lab/tree/{path}?reset")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=SPAWN_S * 1000)
    page.wait_for_function(
        """() => {
            const ind = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator');
            return ind && ind.dataset.status === 'idle';
        }""",
        timeout=SPAWN_S * 1000,
        polling=250,
    )


def type_answer(page, index: int, code: str) -> None:
    """Replace the source of cell ``index`` by ``code``, typed into its editor."""
    editor = cells(page).nth(index).locator(".jp-InputArea-editor .cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(code)


def validate(page) -> tuple[str, str]:
    """Press the notebook's Validate button; return the result's classes and text, then close the dialog."""
    button = page.locator(".jp-NotebookPanel-toolbar .validate-button")
    assert button.count() == 1, "no Validate button in the learner's notebook"
    button.click()
    dialog = page.locator(".jp-Dialog").filter(has_text="Validation Results")
    dialog.wait_for(timeout=VALIDATE_S * 1000)
    message = dialog.locator("#validation-message")
    result = (message.get_attribute("class") or "", message.inner_text())
    return result


def learner_works(hub: Hub, browser, pages: dict, name: str, answers: dict[str, str], tag: str) -> tuple:
    """A learner logs in, fetches the assignment, types ``answers``, validates and submits; return what
    Validate said (classes, text)."""
    page = login(hub, browser, pages, name)
    with screenshot_on_failure(page, tag):
        panel = open_assignments(page)
        released = row(panel, "released", ASSIGNMENT)
        shot(page, f"{tag}-1-assignments")
        released.locator("button", has_text="Fetch").click()
        row(panel, "fetched", ASSIGNMENT)
        listing = user_api(page, hub, name, f"contents/{NOTEBOOK}?content=0")
        assert listing["status"] == 200, f"the fetched notebook is not in {name}'s home: {listing}"

        open_notebook(page, hub, name, NOTEBOOK)
        ids = grade_ids(RELEASE)
        page.wait_for_function(
            "n => document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell').length === n",
            arg=len(ids),
            timeout=STEP_S * 1000,
        )
        for function, code in answers.items():
            type_answer(page, ids.index(function), code)
        shot(page, f"{tag}-2-answers")
        started = time.monotonic()
        classes, text = validate(page)
        print(f"{name}: Validate answered in {time.monotonic() - started:.1f} s")
        shot(page, f"{tag}-3-validate")
        page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click()
        saved = json.loads(user_api(page, hub, name, f"contents/{NOTEBOOK}")["text"])
        sources = {
            c["metadata"].get("nbgrader", {}).get("grade_id"): c["source"] for c in saved["content"]["cells"]
        }
        for function, code in answers.items():
            assert sources[function].strip() == code.strip(), f"{function}: the typed answer was not saved"

        panel = open_assignments(page)
        row(panel, "fetched", ASSIGNMENT).locator("button", has_text="Submit").click()
        submitted = row(panel, "submitted", ASSIGNMENT)
        shot(page, f"{tag}-4-submitted")
        assert submitted.is_visible()
    return classes, text


def fetch_feedback(hub: Hub, page, name: str, tag: str) -> tuple[float, float]:
    """In the Assignments tab, fetch the feedback; open it and return (score, max score) as it reads."""
    with screenshot_on_failure(page, tag):
        panel = open_assignments(page)
        row(panel, "submitted", ASSIGNMENT).locator("button", has_text="Fetch Feedback").click()
        link = panel.locator("#submitted_assignments_list a", has_text="view feedback")
        link.first.wait_for(timeout=STEP_S * 1000)
        shot(page, f"{tag}-1-feedback-fetched")
        listing = json.loads(user_api(page, hub, name, f"contents/{ASSIGNMENT}/feedback")["text"])
        folders = sorted(item["name"] for item in listing["content"] if item["type"] == "directory")
        assert folders, f"no feedback folder in {name}'s {ASSIGNMENT}/"
        page.goto(f"{hub.url}/user/{name}/files/{ASSIGNMENT}/feedback/{folders[-1]}/{ASSIGNMENT}.html")
        heading = page.locator("h4", has_text="Score:").first.inner_text()
        shot(page, f"{tag}-2-feedback")
    found = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", heading)
    assert found, f"the feedback shows no score: {heading!r}"
    return float(found.group(1)), float(found.group(2))


def autograded_points() -> float:
    """Points of the assignment's autograded test cells."""
    nb = nbformat.read(ROOT / "source" / NOTEBOOK, as_version=4)
    meta = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    return float(sum(m.get("points", 0) for m in meta if m.get("grade") and not m.get("solution")))


# ----------------------------------------------------------------------------------------------------------
# The tests (in order: each one builds on the previous ones)
# ----------------------------------------------------------------------------------------------------------


def test_instructor_releases_and_sees_formgrader(hub: Hub, browser, pages) -> None:
    """The instructor releases the assignment with the course's command, as their own account; in the hub
    their JupyterLab has Formgrader, Create Assignment and the course list, and Formgrader (in a tab of its own)
    lists the released assignment."""
    out = classroom(hub, "release", ASSIGNMENT)
    outbound = hub.exchange / course_hub.course_id() / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert outbound.is_file(), f"nothing released to {outbound}:\n{out}"
    course = course_hub.home_of(hub.instructor)
    assert course.stat().st_mode & 0o777 == 0o700, f"{course} is not private to the instructor"
    page = login(hub, browser, pages, hub.instructor)
    with screenshot_on_failure(page, "instructor-formgrader"):
        menu = nbgrader_menu(page)
        for label in NBGRADER_MENU["instructor"]:
            assert label in menu, f"the instructor's Nbgrader menu has no {label!r}: {menu}"
        # The hub forbids framing a server's pages (frame-ancestors 'none'), so Formgrader's tab inside
        # JupyterLab stays blank: the instructor opens it in a browser tab of its own.
        formgrader = page.context.new_page()
        formgrader.goto(f"{hub.url}/user/{hub.instructor}/formgrader")
        formgrader.locator("td", has_text=ASSIGNMENT).first.wait_for(timeout=STEP_S * 1000)
        shot(formgrader, "0-instructor-formgrader")
        formgrader.close()
        status = page.request.get(f"{hub.url}/user/{hub.instructor}/formgrader").status
        assert status == 200, f"the instructor's Formgrader answers {status}"


def test_learner_1_answers_validates_and_submits(hub: Hub, browser, pages) -> None:
    """Learner 1 logs in, has the Assignments list but no Formgrader, Create Assignment or course list,
    fetches, answers every function correctly, sees Validate succeed, and submits."""
    name = hub.learners[0]
    page = login(hub, browser, pages, name)
    menu = nbgrader_menu(page)
    assert menu == NBGRADER_MENU["learner"], f"a learner's Nbgrader menu shows {menu}"
    for path in ("formgrader", "formgrader/api/assignments"):
        status = page.request.get(f"{hub.url}/user/{name}/{path}").status
        assert status == 404, f"a learner's server answers /{path} with {status} (Formgrader should be off)"
    classes, text = learner_works(hub, browser, pages, name, ANSWERS, "learner1")
    assert "validation-success" in classes, (
        f"Validate did not pass learner 1's correct answers:\n{text[:2000]}"
    )


def test_learner_2_submits_a_wrong_answer(hub: Hub, browser, pages) -> None:
    """Learner 2 does the same with a generalization gap of the wrong sign: Validate lists the failure."""
    answers = {**ANSWERS, "generalization_gap": WRONG_GAP}
    classes, text = learner_works(hub, browser, pages, hub.learners[1], answers, "learner2")
    assert "validation-failed" in classes, f"Validate passed learner 2's wrong answer:\n{text[:2000]}"
    assert "generalization_gap" in text, f"Validate's failure does not name the function:\n{text[:2000]}"


def test_instructor_collects_and_autogrades_in_the_sandbox(hub: Hub) -> None:
    """As the instructor's account: bubblewrap starts a jail, the submissions are collected, autograded in the
    sandbox (not the unsafe mode) and the feedback is released."""
    as_user(
        hub.instructor, "bwrap", "--unshare-user", "--unshare-net", "--ro-bind", "/", "/", "true", timeout=30
    )
    classroom(hub, "collect", ASSIGNMENT)
    submitted = course_hub.home_of(hub.instructor) / "course" / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == sorted(hub.learners)
    started = time.monotonic()
    out = classroom(hub, "autograde", ASSIGNMENT)
    print(out)
    hub.state["autograde_s"] = time.monotonic() - started
    assert "sandbox" in out.lower() and "unsafe" not in out.lower(), (
        f"grading did not say it is sandboxed:\n{out}"
    )
    for name in hub.learners:
        assert f"autograded {name}/{ASSIGNMENT}" in out, f"{name}'s submission was not autograded:\n{out}"
    classroom(hub, "feedback", ASSIGNMENT)


def test_learners_fetch_feedback_and_see_their_own_score(hub: Hub, browser, pages) -> None:
    """Each learner fetches the feedback in the Assignments tab and reads their score: learner 1 has every
    autograded point, learner 2 fewer."""
    full = autograded_points()
    scores = {}
    for i, name in enumerate(hub.learners, start=1):
        scores[name] = fetch_feedback(hub, login(hub, browser, pages, name), name, f"learner{i}-feedback")
    print(f"feedback scores: {scores} (autograded points: {full})")
    first, second = (scores[n] for n in hub.learners)
    assert first == (full, full), f"learner 1 should have full marks {full}: {first}"
    assert second[1] == full and second[0] < first[0], (
        f"learner 2's wrong answer should cost points: {second}"
    )


def test_learners_cannot_read_each_other(hub: Hub, browser, pages) -> None:
    """Learner 1 cannot open learner 2's server through the hub with their own session, and code in learner
    1's kernel gets PermissionError on learner 2's home, the instructor's course and the exchange's inbox."""
    one, two = hub.learners
    page = login(hub, browser, pages, one)
    with screenshot_on_failure(page, "isolation"):
        # Back in the lab (the feedback page is sandboxed: no cookies, hence no XSRF token, for its scripts).
        page.goto(f"{hub.url}/user/{one}/lab")
        page.wait_for_selector(".lm-MenuBar-item", timeout=SPAWN_S * 1000)
        targets = [
            str(course_hub.home_of(two) / NOTEBOOK),
            str(course_hub.home_of(two)),
            str(course_hub.home_of(hub.instructor) / "course" / "source" / NOTEBOOK),
            str(hub.exchange / course_hub.course_id() / "inbound"),
        ]
        code = (
            "import json, os\n"
            f"results = {{}}\nfor path in {targets!r}:\n"
            "    try:\n"
            "        os.listdir(path) if os.path.isdir(path) else open(path).read()\n"
            "        results[path] = 'READ'\n"
            "    except Exception as exc:\n"
            "        results[path] = type(exc).__name__\n"
            "print('RESULTS ' + json.dumps(results))\n"
        )
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3 (course)",
            "language": "python",
        }
        put = user_api(page, hub, one, "contents/isolation.ipynb", "PUT", {"type": "notebook", "content": nb})
        assert put["status"] in (200, 201), f"could not write the probe notebook: {put}"
        open_notebook(page, hub, one, "isolation.ipynb")
        output = run_first_cell(page, "RESULTS", SPAWN_S)
        assert not red_outputs(cells(page).nth(0)), red_outputs(cells(page).nth(0))
        results = json.loads(output.inner_text().split("RESULTS", 1)[1])
        shot(page, "isolation-1-kernel-refused")

        other = page.request.get(f"{hub.url}/user/{two}/api/contents/{NOTEBOOK}")
        assert other.status in (403, 404), f"learner 1 reached learner 2's notebook: {other.status}"
        assert '"cells"' not in other.text(), "learner 1 read learner 2's notebook through the hub"
        shown = page.goto(f"{hub.url}/user/{two}/lab")
        assert shown is not None and shown.status in (403, 404), (
            f"learner 2's lab opened for learner 1 ({shown.status if shown else None})"
        )
        shot(page, "isolation-2-hub-refuses")
    print(f"learner 1's kernel: {results}")
    assert results == dict.fromkeys(targets, "PermissionError"), f"learner 1 could read: {results}"


@pytest.mark.parametrize("role", ["learner", "instructor"])
def test_make_lab_roles(role: str) -> None:
    """`make lab` (a learner's laptop) hides Formgrader, Create Assignment and the course list, in the page's
    configuration and in the server; `make lab ROLE=instructor` has them."""
    args = ("ROLE=instructor",) if role == "instructor" else ()
    with running_lab(*args, name=f"lab-{role}") as lab:
        req = urllib.request.Request(f"{lab.url}/lab", headers={"Authorization": f"token {lab.token}"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            html = resp.read().decode()
        found = re.search(
            r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S
        )
        assert found, "the lab page carries no page configuration"
        disabled = json.loads(found.group(1)).get("disabledExtensions", [])
        page = urllib.request.Request(
            f"{lab.url}/formgrader", headers={"Authorization": f"token {lab.token}"}
        )
        try:
            with urllib.request.urlopen(page, timeout=30) as resp:
                formgrader = resp.status
        except urllib.error.HTTPError as exc:
            formgrader = exc.code
    for plugin in LEARNER_DISABLED:
        assert (plugin in disabled) == (role == "learner"), f"{role}: {plugin} in disabled: {disabled}"
    assert "@jupyter/nbgrader:validate-assignment" not in disabled
    assert "@jupyter/nbgrader:assignment-list" not in disabled
    assert formgrader == (404 if role == "learner" else 200), f"{role}: Formgrader answers {formgrader}"
