"""Browser tests: a real `datasette` server (the command `roundtrace serve` runs) over the seeds
plus the hostile article, driven by Playwright in Debian's Chromium (never `playwright install`).

Without Chromium (or the playwright package) the tests skip with the reason — except under CI
(CI=true), where a missing browser is a failure. A failing test leaves a full-page screenshot in
test-artifacts/. Every page a test opens is checked for console errors (CSP violations
included), uncaught exceptions and dialogs.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from roundtrace.paths import ARTICLES_DIR, ENTITIES_FILE, ROOT
from roundtrace.pipeline import build
from roundtrace.serve import command
from roundtrace.site import write_zip

ARTIFACTS = ROOT / "test-artifacts"
HOSTILE_DIR = ROOT / "tests" / "corpora" / "hostile"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"browser tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        _unavailable("Debian chromium is not installed (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright Python package is not installed (pip install '.[test]')")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def site_dist(tmp_path_factory) -> Path:
    articles = tmp_path_factory.mktemp("browser") / "articles"
    shutil.copytree(ARTICLES_DIR, articles)
    for f in HOSTILE_DIR.glob("*.md"):
        shutil.copy(f, articles / f.name)
    out = articles.parent / "dist"
    build(articles, out, ENTITIES_FILE, progress=False)
    write_zip(out)
    return out


@pytest.fixture(scope="session")
def server(site_dist, chromium_path, tmp_path_factory):
    host, port = "127.0.0.1", _free_port()
    log = tmp_path_factory.mktemp("server") / "datasette.log"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "build"))
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            command(site_dist, host, port), stdout=fh, stderr=subprocess.STDOUT, env=env
        )
    base = f"http://{host}:{port}"
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            pytest.fail(f"datasette exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/-/versions.json", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.terminate()
            pytest.fail(f"datasette did not answer within 60 s:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def browser(chromium_path):
    """Per module: Playwright's sync API keeps its event loop marked as running while it is
    open, which would break the asyncio tests that run after the browser tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watched:
    """A page plus everything it reported: console errors, page errors, dialogs."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def goto(self, path: str, status: int = 200):
        response = self.page.goto(self.base + path, wait_until="load")
        got = response.status if response is not None else None
        assert got == status, f"{path}: HTTP {got}"
        return response

    def assert_clean(self):
        assert not self.dialogs, f"dialogs fired: {self.dialogs}"
        assert not self.errors, f"console errors: {self.errors}"
        assert self.page.evaluate("typeof window.__pwned") == "undefined", "a script ran"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _new_watched(request, browser, base, **context_args):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **context_args)
    page = context.new_page()
    page.set_default_timeout(15_000)
    watched = Watched(page, base)

    def finish():
        rep = getattr(request.node, "rep_call", None)
        if rep is None or rep.failed or watched.errors or watched.dialogs:
            ARTIFACTS.mkdir(exist_ok=True)
            name = "".join(c if c.isalnum() or c in "-_" else "_" for c in request.node.name)
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        context.close()

    request.addfinalizer(finish)
    return watched


@pytest.fixture
def web(request, browser, server) -> Watched:
    """A fresh browser tab on the test server; checked for console errors after the test."""
    watched = _new_watched(request, browser, server, accept_downloads=True)
    yield watched
    watched.assert_clean()


@pytest.fixture
def web_nojs(request, browser, server) -> Watched:
    watched = _new_watched(request, browser, server, java_script_enabled=False)
    yield watched
    assert not watched.dialogs and not watched.errors
