"""Browser fixtures: Debian's chromium driven by Playwright against the real app on a live
local server that shares the test database, and an audit of every page the browser shows
(axe-core for WCAG 2.1 A/AA, console errors such as CSP violations, a full-page screenshot).

The `app` fixture (tests/conftest.py) is session-scoped and migrated; the live server serves
that same app object from a background thread, so rows made with the factories are visible
in the browser and the autouse `_clean` fixture empties the tables after each test.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--lang=da-DK"]
# Chromium on Linux takes its UI locale (which formats <input type="date">) from LANGUAGE,
# not from --lang; it needs Debian's chromium-l10n for Danish, else it falls back to en-US.
LAUNCH_ENV = {**os.environ, "LANGUAGE": "da"}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Runs axe on the document and returns only what a failure message needs.
AXE_RUN = """async (tags) => {
  if (typeof window.axe === "undefined") { return null; }
  const result = await window.axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
    target: v.nodes.length ? v.nodes[0].target.join(" ") : "",
    html: v.nodes.length ? v.nodes[0].html.slice(0, 200) : "",
  }));
}"""


def _missing(what: str, how: str) -> None:
    """Fail in CI (CI=true), where the Makefile installs everything; skip on a laptop."""
    message = f"{what} mangler: {how}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI=true kræver browsertestene)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _missing(str(CHROMIUM), "installér Debians chromium (make chromium, eller "
                                "apt-get install chromium)")
    if not AXE_JS.exists():
        _missing(str(AXE_JS), "kør npm ci (make assets)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=LAUNCH_ARGS, env=LAUNCH_ENV)
        yield browser
        browser.close()


class _QuietHandler(WSGIRequestHandler):
    """Keeps the request log out of test output; errors are still logged."""

    def log_request(self, *args, **kwargs) -> None:
        pass


def _sending_queued_mail(app):
    """The app, followed after each request by what the scheduler's mail_queue job does a
    few seconds later: account e-mails (confirmation, reset) land in mail.outbox."""
    from indsatsteam.notifications.mail_queue import send_queued

    def wsgi(environ, start_response):
        yield from app(environ, start_response)
        with app.app_context():
            send_queued()

    return wsgi


@pytest.fixture(scope="session")
def _server(app) -> Iterator[str]:
    """The app on 127.0.0.1 and a port the OS picks, for the whole session."""
    server = make_server("127.0.0.1", 0, _sending_queued_mail(app), threaded=True,
                         request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def live_server(_server, app, monkeypatch) -> str:
    """The live server's base URL; mail goes to indsatsteam.mail.outbox and its links point
    at the live server. monkeypatch restores the shared app's config after the test."""
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "memory")
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", _server)
    return _server


@pytest.fixture
def new_page(browser, live_server):
    """new_page() opens a page in a fresh browser context: its own cookies, so a test can
    have several users logged in at once. The contexts close after the test."""
    contexts = []

    def _new_page():
        context = browser.new_context(base_url=live_server, locale="da-DK",
                                      timezone_id="Europe/Copenhagen",
                                      viewport={"width": 1280, "height": 900})
        # An init script is injected by the browser itself, so the page's CSP
        # (script-src 'self') does not block it, as it would an inline <script> tag.
        context.add_init_script(script=AXE_JS.read_text(encoding="utf-8"))
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@dataclass
class Audit:
    """Checks each page the test shows: call `check("forside")` after every navigation and
    `assert_clean()` at the end. Screenshots go to tests/artifacts/<prefix>NN-<name>.png."""

    page: object
    prefix: str = ""
    count: int = 0
    violations: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)
    audited: set[str] = field(default_factory=set)
    allowed_console: list[re.Pattern] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.console_errors.append(
            f"{self.page.url}: uncaught {error}"))
        self.page.on("framenavigated", self._on_navigated)

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        if any(pattern.search(message.text) for pattern in self.allowed_console):
            return
        self.console_errors.append(f"{self.page.url}: {message.text}")

    def _on_navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.loaded.append(frame.url.split("#")[0])

    def allow_console(self, pattern: str) -> None:
        """Expect a console error, e.g. Chrome's note that a form page answered 400."""
        self.allowed_console.append(re.compile(pattern))

    def check(self, name: str) -> Path:
        self.page.wait_for_load_state("load")
        self.count += 1
        label = f"{self.prefix}{self.count:02d}-{name}"
        found = self.page.evaluate(AXE_RUN, WCAG_TAGS)
        if found is None:
            raise AssertionError(f"axe-core blev ikke indlæst på {self.page.url}")
        for v in found:
            self.violations.append(
                f"{v['id']} ({v['impact']}) på {label} [{self.page.url}]: {v['help']}; "
                f"{v['count']} element(er), først {v['target']}: {v['html']}")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.audited.add(self.page.url.split("#")[0])
        return path

    def assert_clean(self) -> None:
        unchecked = sorted({url for url in self.loaded
                            if url not in self.audited and url != "about:blank"})
        problems = []
        if self.violations:
            problems.append(f"axe fandt {len(self.violations)} WCAG 2.1 A/AA-fejl:\n  "
                            + "\n  ".join(self.violations))
        if self.console_errors:
            problems.append("Fejl i browserens konsol:\n  " + "\n  ".join(self.console_errors))
        if unchecked:
            problems.append("Sider vist uden tilgængelighedstjek:\n  " + "\n  ".join(unchecked))
        assert not problems, "\n".join(problems)


@pytest.fixture
def audit(page) -> Audit:
    return Audit(page)


@pytest.fixture
def new_audited_page(new_page):
    """new_audited_page("leder-") → (page, Audit) in a fresh browser context, for tests in
    which several users work side by side; call assert_clean() on each Audit."""

    def _new(prefix: str = ""):
        page = new_page()
        return page, Audit(page, prefix=prefix)

    return _new
