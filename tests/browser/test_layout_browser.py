"""The layout of every page, for every role, at 1280 and 375 px (tests/layout_check.py): the
footer below all content, nothing wider than the window, no box mostly empty. On the way, no
link may lead the role to a page it is refused (403) or cannot find (404).

Like the security audit (shared/tools/audit.py), each role starts from the page it lands on
after logging in (the front page for visitors) and follows the same-origin links breadth-first,
bounded, skipping downloads and links that look state-changing. The demo data give every role
something to open. Pages with a problem are saved as tests/artifacts/layout-*.png
(every page with LAYOUT_SCREENSHOTS=1, to look at them).
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import pytest
from layout_check import ARTIFACTS, layout_problems

from indsatsteam.demo.seed import DEMO_PASSWORD, DEMO_USERS, seed_demo

pytestmark = pytest.mark.browser

WIDTHS = (1280, 375)
MAX_PAGES = 40  # per role
QUERY_VARIANTS = 2  # distinct query strings followed per path
UNSAFE = re.compile(r"(?<![a-zæøå])(log[\s_-]?(out|ud|af)|slet|tr(æ|ae|a)k[\s_-]?tilbage|fjern)",
                    re.IGNORECASE)
DOWNLOAD = re.compile(r"\.(csv|xlsx|ics|json|png|svg|js|css)$|^/static/|/eksport/")
ROLES = ["besoegende", *(email.split("@")[0] + ("-" + email.split("@")[1].split(".")[0]
                                                 if email.startswith("ansoeger") else "")
                         for email, _name, _role in DEMO_USERS)]
EMAILS = dict(zip(ROLES[1:], (email for email, _n, _r in DEMO_USERS), strict=True))

LINKS = """() => Array.from(document.querySelectorAll('a[href]')).map(a => ({
  href: a.href, text: a.textContent.trim(), download: a.hasAttribute('download')}))"""


def _wanted(link: dict, origin: str) -> bool:
    parts = urlsplit(link["href"])
    if f"{parts.scheme}://{parts.netloc}" != origin or link["download"]:
        return False
    return not (DOWNLOAD.search(parts.path) or UNSAFE.search(parts.path)
                or UNSAFE.search(link["text"]))


def _log_in(page, email: str) -> None:
    page.goto("/log-ind")
    page.get_by_label("E-mailadresse").fill(email)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state("load")
    assert "/log-ind" not in page.url, f"{email} kunne ikke logge ind"


def crawl_layout(page, origin: str, start: str, role: str) -> tuple[list[str], list[str]]:
    """Visit up to MAX_PAGES pages from `start`; return (pages checked, problems found)."""
    queue, seen, checked, problems, variants = [start], {start}, [], [], {}
    while queue and len(checked) < MAX_PAGES:
        url = queue.pop(0)
        response = page.goto(url, wait_until="load")
        if response is None or "html" not in response.headers.get("content-type", ""):
            continue
        if response.status in (403, 404):  # show only what a role may open
            problems.append(f"[{role}] et link fører til {url}, som svarer {response.status}")
        final = page.url.split("#")[0]
        if final != url and final in checked:
            continue
        checked.append(final)
        path = urlsplit(final).path
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            found = layout_problems(page)
            if found or os.environ.get("LAYOUT_SCREENSHOTS") == "1":
                slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "forside"
                shot = ARTIFACTS / f"layout-{role}-{slug}-{width}.png"
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(shot), full_page=True)
                problems.extend(f"[{role}, {width} px] {final}: {p}" for p in found)
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        for link in page.evaluate(LINKS):
            href = link["href"].split("#")[0]
            if href in seen or not _wanted(link, origin):
                continue
            parts = urlsplit(href)
            queries = variants.setdefault(parts.path, set())
            if parts.query and parts.query not in queries and len(queries) >= QUERY_VARIANTS:
                continue
            queries.add(parts.query)
            seen.add(href)
            queue.append(href)
    return checked, problems


@pytest.mark.parametrize("role", ROLES)
def test_every_page_has_a_sound_layout(app, page, live_server, role):
    seed_demo(echo=lambda _line: None)
    if role in EMAILS:
        _log_in(page, EMAILS[role])
        start = page.url.split("#")[0]
    else:
        start = f"{live_server}/"
    checked, problems = crawl_layout(page, live_server, start, role)
    assert len(checked) >= 3, checked
    assert not problems, f"{len(problems)} layoutfejl på {len(checked)} sider:\n" + \
        "\n".join(problems)
