"""Issue 7's quality bar on every main page, at 1280×800 and 1920×1080, in a real browser.

Each page: no console error or uncaught exception, no request to any host but the app, no
horizontal scrollbar, a top bar on one line, every form control labelled, and Tab landing on
visible elements that show a focus ring. Screenshots of each page go to test-artifacts/.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from knowledge.services import add_document, create_knowledge_base
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.knowledge.faq import FAQ_MARKDOWN
from tests.pages.conftest import failing_flow
from tests.workflows.processes import wait_until
from workflows import services
from workflows.models import Execution

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SIZES = [{"width": 1280, "height": 800}, {"width": 1920, "height": 1080}]
TAB_STOPS = 20  # enough to leave the top bar and reach the page's own first control

# Controls a person fills in or picks from, and those of them with no accessible name.
UNLABELLED_CONTROLS_JS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter((el) => el.type !== 'hidden')
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
    && !el.getAttribute('aria-labelledby') && !el.getAttribute('title'))
  .map((el) => el.outerHTML.slice(0, 160))"""

# What has focus now: where it is, whether it can be seen, and whether it draws a focus indicator.
FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {
    html: el.outerHTML.slice(0, 120),
    visible: box.width > 0 && box.height > 0 && style.visibility !== 'hidden',
    ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none',
    inTopbar: !!el.closest('.topbar'),
  };
}"""

# Empty when the page does not scroll sideways; else the outermost elements that stick out, to fix.
OVERFLOWING_JS = """() => document.documentElement.scrollWidth <= window.innerWidth ? [] :
  [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
    .filter((el) => !(el.parentElement && el.parentElement.getBoundingClientRect().right > window.innerWidth + 1))
    .map((el) => el.outerHTML.slice(0, 160))"""

# One row: every item of the top bar's nav overlaps every other vertically.
NAV_ON_ONE_ROW_JS = """() => {
  const boxes = [...document.querySelectorAll('.topbar nav > a, .topbar nav > details > summary')]
    .map((el) => el.getBoundingClientRect());
  return Math.max(...boxes.map((box) => box.top)) < Math.min(...boxes.map((box) => box.bottom));
}"""

CHARTS_DRAWN_JS = """() => [...document.querySelectorAll('canvas[data-chart]')]
  .every((canvas) => window.Chart && window.Chart.getChart(canvas))"""


@pytest.fixture
def pages_to_check(acme, alice, server) -> dict[str, str]:
    """The main pages, by name, with a workflow that has one failed run to show."""
    workflow = services.create_workflow(
        acme.default_project, name="Quality check", definition=failing_flow(), actor=alice
    )
    execution = services.start_execution(workflow, input={"amount": 5}, version=None, actor=alice)
    # The server's worker runs it; a finished run's page stops polling, so it is judged at rest.
    wait_until(lambda: Execution.objects.get(pk=execution.pk).is_terminal, what="the run to finish")
    kb = create_knowledge_base(acme.default_project, name="Support FAQ")
    add_document(kb, FAQ_MARKDOWN.encode(), filename="faq.md")
    return {
        "dashboard": "/",
        "workflow-list": "/workflows/",
        "editor": f"/workflows/{workflow.id}/edit",
        "execution-list": "/executions/",
        "execution-detail": f"/executions/{execution.id}/",
        "metrics": f"/workflows/{workflow.id}/metrics",
        "usage": "/usage/",
        "data-dashboard": "/data-dashboard/",
        "knowledge-bases": "/knowledge-bases/",
        "knowledge-base": f"/knowledge-bases/{kb.id}/?q=refund",
        "chat-channels": "/chat/channels/",
        "chat-conversations": "/chat/conversations/",
        "data": "/data/",
        "data-console": "/data/query/",
        "data-upload": "/data/upload/",
        "dataset": f"/data/datasets/{orders_dataset(acme, alice).id}/",
    }


def orders_dataset(acme, alice):
    """A dataset of three orders, so the Data pages have rows, columns and a console to show."""
    from datasets.services import Upload, create_dataset
    from tests.datasets.conftest import ORDERS_CSV

    return create_dataset(acme.default_project, name="Orders", upload=Upload(ORDERS_CSV, "orders.csv"), actor=alice)


def watch_the_page(page: Page, server: str) -> dict[str, list[str]]:
    """Collect what must stay empty: requests to other hosts and uncaught script errors."""
    app = urlsplit(server).netloc
    seen: dict[str, list[str]] = {"foreign": [], "uncaught": []}

    def note_url(url: str) -> None:
        # data: and blob: URLs are the page's own bytes, not a request to anybody.
        if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != app:
            seen["foreign"].append(url)

    page.on("request", lambda request: note_url(request.url))
    page.on("websocket", lambda socket: note_url(socket.url))
    page.on("pageerror", lambda error: seen["uncaught"].append(str(error)))
    return seen


def wait_until_drawn(page: Page, name: str) -> None:
    """The parts drawn by script must be there before the page is judged."""
    if name == "editor":
        expect(page.get_by_test_id("canvas")).to_be_visible()
    if name in ("metrics", "usage"):
        page.wait_for_function(CHARTS_DRAWN_JS)
    page.wait_for_load_state("networkidle")


def focus_stops(page: Page, name: str) -> list[dict]:
    """Focus the first link of the page, then press Tab until focus leaves the top bar (or TAB_STOPS run out).

    Starting from the brand link rather than the body: a page may have focused one of its own
    controls on load, and Tab would then start from there.
    """
    page.locator(".topbar .brand").focus()
    stops = [page.evaluate(FOCUSED_JS)]
    for _ in range(TAB_STOPS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        assert focused is not None, f"{name}: Tab after {stops[-1]['html']} left focus nowhere"
        stops.append(focused)
        if not focused["inTopbar"]:
            break
    return stops


def check_page(page: Page, name: str) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate(OVERFLOWING_JS) == [], f"{name}: scrolls sideways"
    assert page.evaluate(NAV_ON_ONE_ROW_JS), f"{name}: the top bar wraps at {width} px"
    assert page.evaluate(UNLABELLED_CONTROLS_JS) == [], f"{name}: controls without a label"
    stops = focus_stops(page, name)
    assert not stops[-1]["inTopbar"], f"{name}: Tab never reached the page's content"
    for stop in stops:
        assert stop["visible"] and stop["ring"], f"{name}: focus on {stop['html']} cannot be seen"


@pytest.mark.parametrize("viewport", SIZES, ids=lambda size: f"{size['width']}x{size['height']}")
def test_every_main_page_meets_the_quality_bar(alice, server, page, viewport, pages_to_check):
    seen = watch_the_page(page, server)
    log_in(page, server, alice)

    for name, path in pages_to_check.items():
        page.goto(f"{server}{path}")
        wait_until_drawn(page, name)
        check_page(page, name)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"quality-{viewport['width']}-{name}.png"))
        assert page.console_errors == [], f"{name}: console errors"

    assert seen == {"foreign": [], "uncaught": []}


def test_the_admin_menu_opens_from_the_keyboard(alice, server, page):
    log_in(page, server, alice)
    members = page.get_by_role("link", name="Members")
    expect(members).to_be_hidden()

    page.locator(".nav-group summary", has_text="Admin").focus()
    page.keyboard.press("Enter")

    expect(members).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="API keys")).to_be_focused()
    members.click()
    expect(page).to_have_url(re.compile(r"/settings/members/$"))


def test_the_developers_menu_holds_the_api_docs_graphiql_and_webhooks(alice, server, page):
    log_in(page, server, alice)
    graphiql = page.get_by_role("link", name="GraphiQL")
    expect(graphiql).to_be_hidden()
    page.locator(".nav-group summary", has_text="Developers").focus()
    page.keyboard.press("Enter")
    for name in ("API docs", "GraphiQL", "Webhooks"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    page.get_by_role("link", name="Webhooks", exact=True).click()
    expect(page).to_have_url(re.compile(r"/webhooks/$"))
