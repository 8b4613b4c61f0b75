"""The page in a real headless Chromium (Debian's chromium and chromium-driver, via Selenium)
against the app serving a database built from the canonical article."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from dateline.models import RawDocument
from dateline.serve import create_app
from dateline.store import Store

from ..conftest import SEED
from .conftest import TOKEN, serve_settings

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1100",
)
HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
HOSTILE_TEXT = (
    "Bree, 5 March 2024\n\n"
    "Orc raiders shelled the town of Bree on Monday, killing 4 civilians, medics said. "
    '<script>window.__injected = 1; alert("script")</script> '
    '<img src=y onerror="window.__injected = 2"> was written on a wall of the clinic.\n'
)
PASTED = (
    "Osgiliath, 8 April 2024\n\n"
    "Orc raiders shelled the town of Bree on Sunday, killing 6 civilians, officials said. "
    "Troops of Gondor attacked the raiders near Osgiliath on Monday.\n"
)


def _driver(profile: str) -> Any:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        message = "needs Debian's chromium and chromium-driver (make browser installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never download a browser
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))


class LiveServer:
    """The app under uvicorn on a free loopback port, in a thread."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, pipeline: Any) -> Iterator[dict[str, Any]]:
    path = tmp_path_factory.mktemp("site")
    settings = serve_settings(path)
    store = Store(settings.db_url)
    seed = pipeline.process(RawDocument(text=SEED.read_text(encoding="utf-8"), origin=str(SEED)))
    hostile = pipeline.process(
        RawDocument(text=HOSTILE_TEXT, origin="hostile", title=HOSTILE_TITLE)
    )
    store.add(seed)
    store.add(hostile)
    app = create_app(settings, store=store, pipeline=lambda: pipeline)
    with LiveServer(app) as url:
        yield {"url": url, "seed": seed, "hostile": hostile, "api": httpx.Client(base_url=url)}
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    profile = tempfile.mkdtemp(prefix="dateline-chromium-")
    try:
        driver = _driver(profile)
        try:
            yield driver
        finally:
            driver.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _open(browser: Any, url: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get("about:blank")
    browser.get(url)
    WebDriverWait(browser, 30).until(
        lambda d: d.find_element("css selector", "body").get_attribute("data-ready") == "1"
    )


def _wait(browser: Any, condition: Any, timeout: float = 30) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout).until(condition)


def _count(browser: Any) -> int:
    return int(browser.find_element("id", "count").text)


def _errors(browser: Any) -> list[str]:
    return [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def _click(browser: Any, element: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(browser).move_to_element(element).click().perform()


def test_map_shows_the_events_of_the_article(site: dict[str, Any], browser: Any) -> None:
    _open(browser, site["url"] + "/")
    api = site["api"]
    located = api.get("/events.geojson").json()["features"]
    assert located
    markers = browser.find_elements("css selector", "path.event-marker")
    assert len(markers) == len(located)
    shown = {m.get_attribute("data-event-id") for m in markers}
    assert shown == {f["id"] for f in located}
    assert _count(browser) == api.get("/events?limit=1").json()["total"]
    # The offline basemap drew the country outlines.
    _wait(browser, lambda d: d.find_element("id", "map").get_attribute("data-basemap") == "1")
    assert browser.find_elements("css selector", ".leaflet-basemap-pane canvas")
    assert _errors(browser) == []


def test_clicking_an_event_opens_its_article_with_marked_spans(
    site: dict[str, Any], browser: Any
) -> None:
    _open(browser, site["url"] + "/")
    seed = site["seed"]
    marker = next(
        m
        for m in browser.find_elements("css selector", "path.event-marker")
        if m.get_attribute("data-doc-id") == seed.document.id
    )
    event_id = marker.get_attribute("data-event-id")
    _click(browser, marker)
    _wait(browser, lambda d: d.find_element("id", "article").is_displayed())
    assert browser.find_element("id", "a-title").text == seed.document.title
    event = next(e for e in seed.events if e.id == event_id)
    selected = browser.find_elements("css selector", "#a-text mark.selected")
    assert selected
    marked = "".join(m.get_attribute("textContent") for m in selected)
    assert event.provenance.trigger.text in marked
    assert browser.find_elements(
        "css selector", f'#a-events li.selected[data-event-id="{event_id}"]'
    )
    # Every event of the article is linked from the text.
    linked = set()
    for mark in browser.find_elements("css selector", "#a-text mark[data-events]"):
        linked.update(mark.get_attribute("data-events").split())
    assert linked == {e.id for e in seed.events}
    checks = browser.find_elements("css selector", "#a-checks li.check")
    assert len(checks) == len(seed.checks)


def test_the_date_filter_changes_the_count(site: dict[str, Any], browser: Any) -> None:
    _open(browser, site["url"] + "/")
    api = site["api"]
    total = _count(browser)
    days = api.get("/timeline").json()["buckets"]
    day = min(
        {b["date"] for b in days}, key=lambda d: sum(b["count"] for b in days if b["date"] == d)
    )
    expected = api.get(f"/events?since={day}&until={day}&limit=1").json()["total"]
    assert 0 < expected < total
    browser.execute_script(
        "document.getElementById('f-since').value = arguments[0];"
        "document.getElementById('f-until').value = arguments[0];",
        day,
    )
    browser.find_element("id", "f-apply").click()
    _wait(browser, lambda d: _count(d) != total)
    assert _count(browser) == expected
    markers = browser.find_elements("css selector", "path.event-marker")
    located = api.get(f"/events.geojson?since={day}&until={day}").json()["features"]
    assert len(markers) == len(located)
    # A bar of the timeline filters too.
    browser.find_element("id", "timeline-clear").click()
    _wait(browser, lambda d: _count(d) == total)
    bars = [
        b
        for b in browser.find_elements("css selector", "#histogram g.bin")
        if 0 < int(b.get_attribute("data-count")) < total
    ]
    bar = bars[-1]
    start, end = bar.get_attribute("data-start"), bar.get_attribute("data-end")
    _click(browser, bar.find_element("css selector", "rect.hit"))
    expected = api.get(f"/events?since={start}&until={end}&limit=1").json()["total"]
    _wait(browser, lambda d: _count(d) == expected)
    assert browser.find_element("id", "f-since").get_attribute("value") == start


def test_the_paste_box_returns_events(site: dict[str, Any], browser: Any) -> None:
    _open(browser, site["url"] + f"/#token={TOKEN}")
    assert "token" not in browser.current_url
    before = _count(browser)
    browser.find_element("id", "paste-toggle").click()
    browser.find_element("id", "p-title").send_keys("Raid near Osgiliath")
    browser.find_element("id", "p-text").send_keys(PASTED)
    browser.find_element("id", "p-submit").click()
    found = _wait(
        browser, lambda d: d.find_elements("css selector", "#paste-result ul.found li"), 60
    )
    docs = site["api"].get("/documents?q=Osgiliath").json()["items"]
    assert len(docs) == 1
    record = site["api"].get(f"/documents/{docs[0]['id']}").json()
    assert len(found) == len(record["events"]) > 0
    assert "ASSAULT" in found[0].text
    _wait(browser, lambda d: _count(d) == before + len(record["events"]))
    _wait(browser, lambda d: d.find_element("id", "a-title").text == "Raid near Osgiliath")


def test_markup_in_titles_and_text_stays_text(site: dict[str, Any], browser: Any) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    hostile = site["hostile"]
    _open(browser, site["url"] + f"/#doc={hostile.document.id}")
    _wait(browser, lambda d: d.find_element("id", "a-title").text == HOSTILE_TITLE)
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert browser.execute_script("return window.__injected === undefined")
    assert browser.find_elements("css selector", "#article img, #article script") == []
    assert browser.find_elements("css selector", "img[src='x'], img[src='y']") == []
    text = browser.find_element("id", "a-text").get_attribute("textContent")
    assert text == hostile.document.text
    expected = site["api"].get("/events", params={"q": "medics said"}).json()["total"]
    assert expected > 0
    browser.find_element("id", "f-q").send_keys("medics said")
    browser.find_element("id", "f-apply").click()
    _wait(browser, lambda d: _count(d) == expected)
    cells = [c.text for c in browser.find_elements("css selector", "#events-table td.title")]
    assert cells and set(cells) == {HOSTILE_TITLE}
