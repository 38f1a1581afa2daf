"""The course site (``make site``), opened in headless Chromium: figures, links, search, and no secrets.

The site is built by ``tools/site.py`` (cached: after ``make site`` the fixture's build takes seconds) and served
from ``build/site/html`` on a free local port. Needs Debian's ``chromium`` (``make browser-deps``).
"""

from __future__ import annotations

import contextlib
import functools
import html
import http.server
import re
import shutil
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from test_browser import CHROMIUM, CHROMIUM_ARGS

from tools import site

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
HTML = site.OUT / "html"
LESSONS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
REGIONS = (("### BEGIN SOLUTION", "### END SOLUTION"), ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"))


@pytest.fixture(scope="module")
def built() -> Path:
    """The site, built (or brought up to date) once for this module."""
    done = site.build()
    assert done.returncode == 0, f"the site does not build:\n{done.stdout[-2000:]}\n{done.stderr[-6000:]}"
    return HTML


@pytest.fixture(scope="module")
def base_url(built: Path) -> Iterator[str]:
    """The built site served over HTTP on a free local port."""
    handler = functools.partial(QuietHandler, directory=str(built))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server that does not log every request."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        return


@pytest.fixture(scope="module")
def page(base_url: str) -> Iterator[object]:
    """A page of headless Chromium (Debian's), off the network but for the local server."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps`")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_every_lesson_page_shows_its_figures(base_url: str, page) -> None:
    """Each lesson was executed: its page shows figures (every image loaded) and no error output."""
    assert LESSONS, "no lesson notebooks"
    for lesson in LESSONS:
        page.goto(f"{base_url}notebooks/{lesson}.html")
        page.wait_for_load_state("load")
        images = page.eval_on_selector_all(
            ".cell_output img",
            "els => els.map(e => [e.getAttribute('src'), e.complete && e.naturalWidth > 0])",
        )
        assert images, f"{lesson}: no figure on the page"
        assert all(ok for _, ok in images), f"{lesson}: figures that do not load: {images}"
        errors = page.locator(".cell_output .output.traceback, .cell_output .output.stderr").count()
        assert errors == 0, f"{lesson}: {errors} error or stderr outputs on the page"
        page.screenshot(path=str(site.OUT / f"{lesson}.png"), full_page=False)


def page_links(path: Path) -> list[str]:
    """The internal link targets (``href``, ``src``) of one HTML page."""
    text = path.read_text(encoding="utf-8")
    out = []
    for url in re.findall(r'(?:href|src)="([^"]+)"', text):
        url = html.unescape(url)
        if urllib.parse.urlsplit(url).scheme or url.startswith(("//", "mailto:", "javascript:")):
            continue
        out.append(url)
    return out


def test_internal_links_resolve(base_url: str, built: Path) -> None:
    """Every internal link of every page leads to a page that the server returns, and to an anchor in it."""
    pages = sorted(built.rglob("*.html"))
    ids: dict[str, set[str]] = {}
    broken = []
    for path in pages:
        here = path.relative_to(built).as_posix()
        for link in page_links(path):
            parts = urllib.parse.urlsplit(urllib.parse.urljoin(here, link))
            target, fragment = parts.path or here, parts.fragment
            try:
                with urllib.request.urlopen(base_url + urllib.parse.quote(target)) as response:
                    body = response.read().decode("utf-8", "replace")
            except OSError as exc:
                broken.append(f"{here} -> {link} ({exc})")
                continue
            if fragment and target.endswith(".html"):
                found = ids.setdefault(target, set(re.findall(r'\bid="([^"]+)"', body)))
                if urllib.parse.unquote(fragment) not in found:
                    broken.append(f"{here} -> {link} (no anchor #{fragment})")
    assert len(pages) > len(LESSONS)
    assert not broken, "broken links:\n" + "\n".join(sorted(set(broken))[:30])


def test_lessons_link_to_their_exercises(built: Path) -> None:
    """A lesson's link to its exercise (a repository path in the notebook) leads to the exercise's page."""
    text = (built / "notebooks" / "01_overfitting.html").read_text(encoding="utf-8")
    assert 'href="../release/01_overfitting/01_overfitting.html' in text


def test_the_search_box_finds_dropout(base_url: str, page) -> None:
    """Searching from the home page's search box lists the Dropout lesson."""
    page.goto(base_url + "index.html")
    box = page.locator("input[name='q']").first
    box.fill("Dropout")
    box.press("Enter")
    page.wait_for_url("**/search.html?q=Dropout*")
    page.wait_for_selector("#search-results li a", timeout=30_000)
    found = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.getAttribute('href'))")
    assert any("03_dropout" in href for href in found), found


def secret_lines(root: Path = ROOT) -> dict[str, str]:
    """Lines of the instructor's solutions and hidden tests (source/) that no public notebook shows (a lesson
    may teach a line an answer also uses), each with where it comes from."""
    public = [*(root / "notebooks").glob("*.ipynb"), *(root / "release").glob("*/*.ipynb")]
    shown = {
        line.strip()
        for path in public
        for cell in nbformat.read(path, as_version=4).cells
        for line in cell.source.splitlines()
    }
    out: dict[str, str] = {}
    for path in sorted((root / "source").glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            lines: list[str] = []
            if cell.cell_type == "markdown" and meta.get("solution"):
                lines = cell.source.splitlines()
            for begin, end in REGIONS:
                inside = False
                for line in cell.source.splitlines():
                    if line.strip().startswith(end):
                        inside = False
                    if inside:
                        lines.append(line)
                    if line.strip().startswith(begin):
                        inside = True
            for line in (line.strip() for line in lines):
                if len(line) >= 20 and line not in shown:
                    out.setdefault(line, f"{path.parent.name}: {meta.get('grade_id')}")
    return out


def page_text(path: Path) -> str:
    """A page's text as a reader (or a search engine) gets it: markup removed, entities decoded."""
    text = re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8", errors="replace"))
    return html.unescape(text)


def test_no_page_shows_a_solution_or_a_hidden_test(built: Path) -> None:
    """No file of the site holds a line of a solution or of a hidden test (checked against source/)."""
    secrets = secret_lines()
    assert len(secrets) > 50, "too few solution lines found: the check would prove nothing"
    files = [p for p in built.rglob("*") if p.suffix in (".html", ".js", ".txt", ".ipynb", ".json")]
    leaks = []
    for path in files:
        text = (
            page_text(path) if path.suffix == ".html" else path.read_text(encoding="utf-8", errors="replace")
        )
        leaks += [
            f"{path.relative_to(built)}: {where}: {line}" for line, where in secrets.items() if line in text
        ]
    assert not leaks, "solution or hidden-test lines on the site:\n" + "\n".join(leaks[:20])


def test_a_rebuild_with_nothing_changed_takes_seconds(built: Path) -> None:
    """Staged files keep their time stamps and executions are cached: nothing is executed again."""
    began = time.monotonic()
    done = site.build()
    seconds = time.monotonic() - began
    assert done.returncode == 0, done.stderr[-3000:]
    assert seconds < 60, f"a rebuild with nothing changed took {seconds:.0f} s"


def test_a_failing_cell_fails_the_build(tmp_path: Path) -> None:
    """A lesson whose cell raises stops the build, naming the notebook."""
    root = tmp_path / "course"
    shutil.copytree(ROOT / "site", root / "site")
    (root / "docs").mkdir(parents=True)
    for name in ("claims.json", "bench.md"):
        shutil.copy2(ROOT / "docs" / name, root / "docs" / name)
    (root / "notebooks").mkdir()
    (root / "release").mkdir()
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# Broken"), nbformat.v4.new_code_cell("1 / 0")]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "notebooks" / "01_broken.ipynb")
    with contextlib.chdir(tmp_path):
        done = site.build(root, tmp_path / "out")
    assert done.returncode != 0
    assert "01_broken" in done.stdout + done.stderr
