"""The web page in a real headless Chromium, against a real ``taiyaku serve`` process.

Playwright drives Debian's ``/usr/bin/chromium`` (``make test`` installs it with the CJK
fonts when missing; no browser is ever downloaded). Outside CI a machine without Chromium
skips these tests; in CI (``$CI`` set) a missing Chromium fails them. Screenshots go to
``build/screenshots/``.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import BACKENDS
from tests.serverdata import DOCUMENT, TOKEN, build

# A real server and a real browser: seconds to start.
pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip(f"{CHROMIUM} is missing (make test installs it)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.loads(answer.read())


@pytest.fixture(scope="module", params=BACKENDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A ``taiyaku serve`` on a free loopback port, stopped after the tests; its base URL.

    Once on a SQLite file, once on a PostgreSQL database (the page's tests run on each).
    """
    folder = tmp_path_factory.mktemp("serve")
    pool = request.getfixturevalue("pg_pool") if request.param == "postgres" else None
    db = build(pool.take() if pool else folder / "project.db")
    token = folder / "token.txt"
    token.write_text(TOKEN + "\n", encoding="utf-8")
    port = _free_port()
    command = [sys.executable, "-m", "taiyaku", "--db", str(db), "serve", "--port", str(port)]
    # Two worker processes: the page's reads and writes may land on either.
    log = folder / "serve.log"
    with log.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(
            [*command, "--token-file", str(token), "--workers", "2"], stderr=stderr
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get_json(base + "/api/stats")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    message = log.read_text(encoding="utf-8")
                    raise RuntimeError(f"taiyaku serve did not start: {message}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        if pool:
            pool.give_back(str(db))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(
        base_url=server,
        viewport={"width": 1100, "height": 800},
        permissions=["clipboard-read", "clipboard-write"],
    )
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
    yield tab
    context.close()
    assert errors == []


def shot(page: Any, name: str) -> None:
    """Save what the window shows (a long document: its first screen)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


def test_typing_a_query_shows_the_term_and_the_match(page: Any) -> None:
    page.goto("/")
    page.fill("#q", "国際戦略")
    page.press("#q", "Enter")
    first = page.locator(".result").first
    assert first.locator(".ja").inner_text() == "国際戦略局"
    assert first.locator(".en").inner_text() == "Global Strategy Bureau"

    page.keyboard.press("Alt+2")  # the match tab, same query kept
    page.wait_for_url("**tab=match**")
    page.fill("#q", "2024年4月29日及び30日に会合を開催しました。")
    page.press("#q", "Enter")
    match = page.locator(".result.match").first
    assert match.locator(".score").inner_text() == "96%"
    assert match.locator(".diff del").inner_text() == "3"
    assert match.locator(".diff ins").inner_text() == "4"
    assert "April 29 and 30, 2024." in match.locator(".adapted").inner_text()

    page.fill("#q", "国際戦略局の組識")
    page.press("#q", "Enter")
    assert page.locator(".sentence mark").inner_text() == "国際戦略局"
    assert (
        "Organisation of the Global Strategy Bureau" in page.locator(".result").first.inner_text()
    )
    shot(page, "search-match.png")


def test_keys_move_through_results_and_copy(page: Any) -> None:
    page.goto("/?tab=concordance&q=戦略")
    page.focus("#q")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.dataset.copy")
    assert focused == page.locator(".result").nth(1).get_attribute("data-copy")
    page.keyboard.press("c")
    expect(page.locator("#status")).to_have_text(re.compile("^Copied"))
    assert page.evaluate("navigator.clipboard.readText()") == focused
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"


def test_stored_html_never_runs(page: Any) -> None:
    page.goto("/?tab=concordance&q=危険")
    found = page.locator(".result .found").first.inner_text()
    assert "<script>window.__pwned = 1</script>" in found
    assert '<img src=x onerror="window.__pwned = 2">' in found
    # A query is echoed back escaped too.
    page.goto("/?tab=lookup&q=" + urllib.request.quote("<script>window.__pwned = 3</script>"))
    assert page.input_value("#q") == "<script>window.__pwned = 3</script>"
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src=x]").count() == 0
    page.goto("/?tab=concordance&q=危険")
    shot(page, "escaped-script.png")
    assert page.evaluate("window.__pwned") is None


def test_glossary_view_shows_status_and_the_preferred_term(page: Any) -> None:
    page.goto("/glossary?q=情報通信")
    row = page.locator("tr.status-deprecated")
    assert row.locator(".badge").inner_text() == "deprecated"
    assert row.locator(".instead").inner_text() == "use 情報通信 → ICT"
    page.select_option("select[name=status]", "preferred")
    page.click("form.filter button")
    assert page.locator("tr.status-deprecated").count() == 0
    assert page.locator("tbody tr").count() >= 1


def test_reviewing_a_pair_stores_it(page: Any, server: str) -> None:
    before = get_json(f"{server}/api/documents/{DOCUMENT}/pairs")["pairs"]
    page.goto(f"/documents/{DOCUMENT}")
    assert page.locator(".row.low").count() > 0
    rows = page.locator(".pairs .row")
    rows.nth(0).focus()
    assert rows.nth(0).locator(".actions").is_hidden()  # no token yet: no review actions
    page.fill("#token", TOKEN)
    page.press("#token", "Enter")
    rows.nth(0).focus()
    assert rows.nth(0).locator(".actions").is_visible()
    assert rows.nth(1).locator(".actions").is_hidden()  # only the pair worked on
    page.keyboard.press("m")  # merge the first two pairs
    rows.nth(1).focus()
    page.keyboard.press("e")  # edit the (new) second pair
    page.locator(".pairs .row").nth(1).locator(".tgt textarea").fill("Edited in the browser.")
    page.keyboard.press("Escape")
    rows.nth(2).focus()
    page.keyboard.press("a")
    rows.nth(3).focus()
    page.keyboard.press("e")  # split 通信規格課 / Communications Standards Division in two
    areas = rows.nth(3).locator("textarea")
    areas.nth(0).evaluate("area => area.setSelectionRange(2, 2)")
    areas.nth(1).evaluate("area => area.setSelectionRange(15, 15)")
    rows.nth(3).locator("button[data-act=split]").click()
    assert "4 changes not saved" in page.inner_text("#dirty")
    shot(page, "document-review.png")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#status")).to_have_text(re.compile("^Saved"))

    after = get_json(f"{server}/api/documents/{DOCUMENT}/pairs")["pairs"]
    assert len(after) == len(before)
    assert after[0]["source_text"] == before[0]["source_text"] + before[1]["source_text"]
    assert after[0]["target_text"] == before[0]["target_text"] + " " + before[1]["target_text"]
    # What the reviewer touched is stored as `align --apply` stores it; the rest stays aligned.
    assert [p["origin"] for p in after[:6]] == ["reviewed"] * 5 + ["aligned"]
    assert after[0]["confidence"] is None
    assert after[1]["target_text"] == "Edited in the browser."
    assert after[1]["source_text"] == before[2]["source_text"]
    assert after[2]["source_text"] == before[3]["source_text"]
    assert after[5]["confidence"] == before[5]["confidence"]
    assert before[4]["source_text"] == "通信規格課"
    assert [(p["source_text"], p["target_text"]) for p in after[3:5]] == [
        ("通信", "Communications"),
        ("規格課", "Standards Division"),
    ]
    assert after[5]["confidence"] == before[5]["confidence"]


def test_a_wrong_token_saves_nothing(page: Any, server: str) -> None:
    before = get_json(f"{server}/api/documents/{DOCUMENT}/pairs")["pairs"]
    page.goto(f"/documents/{DOCUMENT}")
    page.fill("#token", "not-the-token")
    page.press("#token", "Enter")
    page.locator(".pairs .row").first.focus()
    page.keyboard.press("a")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#status")).to_have_text(re.compile("^Not saved"))
    assert "wrong token" in page.inner_text("#status")
    assert get_json(f"{server}/api/documents/{DOCUMENT}/pairs")["pairs"] == before


def test_the_page_fits_a_360_pixel_phone_with_japanese_fonts(browser: Any, server: str) -> None:
    context = browser.new_context(base_url=server, viewport={"width": 360, "height": 740})
    phone = context.new_page()
    for path, name in (
        ("/?tab=match&q=" + urllib.request.quote("国際戦略局の組識"), "search-360.png"),
        ("/glossary", "glossary-360.png"),
        (f"/documents/{DOCUMENT}", "document-360.png"),
    ):
        phone.goto(path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path
        shot(phone, name)
    assert phone.evaluate("document.fonts.check('16px \"Noto Sans CJK JP\"', '国際')")
    family = phone.evaluate("getComputedStyle(document.querySelector('.src')).fontFamily")
    assert "Noto Sans CJK JP" in family
    context.close()


def test_pairs_added_under_a_document_are_shown_but_not_reviewed(page: Any, server: str) -> None:
    request = urllib.request.Request(
        f"{server}/api/units",
        data=json.dumps(
            {"units": [{"source_text": "追加", "target_text": "Added", "document": DOCUMENT}]}
        ).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"},
    )
    urllib.request.urlopen(request, timeout=10).read()
    before = get_json(f"{server}/api/documents/{DOCUMENT}/pairs")["pairs"]
    page.goto(f"/documents/{DOCUMENT}")
    page.fill("#token", TOKEN)
    page.press("#token", "Enter")
    added = page.locator('.pairs .row[data-origin="added"]')
    assert added.locator(".tgt").inner_text() == "Added"
    assert added.locator(".actions").count() == 0
    added.focus()
    page.keyboard.press("a")
    assert page.inner_text("#dirty") == ""
    page.locator('.pairs .row[data-origin="aligned"]').first.focus()
    page.keyboard.press("a")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#status")).to_have_text(re.compile("^Saved"))
    after = get_json(f"{server}/api/documents/{DOCUMENT}/pairs")["pairs"]
    assert len(after) == len(before)
    assert [p for p in after if p["origin"] == "added"] == [
        p for p in before if p["origin"] == "added"
    ]
