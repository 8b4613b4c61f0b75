"""Screenshots of the page for the README: serve the canonical article on loopback and photograph
it in headless Chromium (Debian's chromium and chromium-driver).

    .venv/bin/python docs/screenshots.py      # or: make screenshots
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.local_server import local_server, post_seed

HERE = Path(__file__).resolve().parent
PASTED = (
    "Goma, 12 February 2024\n\n"
    "M23 rebels attacked the town of Sake on Tuesday, killing 14 civilians, local officials "
    "said. The United Nations called on the rebels to withdraw.\n"
)
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1400,1050", "--hide-scrollbars",
)  # fmt: skip


def _ready(driver: webdriver.Chrome) -> None:
    WebDriverWait(driver, 60).until(
        lambda d: d.find_element("css selector", "body").get_attribute("data-ready") == "1"
    )
    time.sleep(1.5)  # let the basemap finish drawing


def main() -> None:
    """Start the server, load the article, take the pictures, stop everything."""
    token = secrets.token_urlsafe(16)
    work = Path(tempfile.mkdtemp(prefix="dateline-shots-"))
    os.environ["SE_OFFLINE"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (*FLAGS, f"--user-data-dir={work / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    try:
        with (
            local_server(f"sqlite:///{work / 'shots.sqlite'}", token) as base,
            httpx.Client(base_url=base, timeout=120) as client,
        ):
            record = post_seed(client, token)
            _pictures(driver, base, token, record)
    finally:
        driver.quit()
        shutil.rmtree(work, ignore_errors=True)
    print("wrote", ", ".join(p.name for p in sorted(HERE.glob("screenshot-*.png"))))


def _pictures(driver: webdriver.Chrome, base: str, token: str, record: dict[str, Any]) -> None:
    """The overview with the deadliest event selected, the article panel, the paste box."""
    deadliest = max(record["events"], key=lambda e: (e["fatalities"] or {}).get("low") or 0)
    doc = record["document"]["id"]
    driver.get(f"{base}/#doc={doc}&event={deadliest['id']}")
    _ready(driver)
    WebDriverWait(driver, 30).until(lambda d: d.find_elements("css selector", "mark.selected"))
    time.sleep(0.5)
    driver.save_screenshot(str(HERE / "screenshot-overview.png"))
    driver.execute_script("document.getElementById('side-panel').scrollTo(0, 0)")
    time.sleep(0.3)
    driver.find_element("id", "side-panel").screenshot(str(HERE / "screenshot-article.png"))

    driver.get("about:blank")  # a new page load, not a change of fragment
    driver.get(f"{base}/#token={token}")
    _ready(driver)
    driver.find_element("id", "paste-toggle").click()
    driver.find_element("id", "p-title").send_keys("Rebels attack Sake")
    driver.find_element("id", "p-text").send_keys(PASTED)
    driver.find_element("id", "p-submit").click()
    WebDriverWait(driver, 60).until(
        lambda d: d.find_elements("css selector", "#paste-result ul.found li")
    )
    driver.execute_script("document.getElementById('side-panel').scrollTo(0, 0)")
    time.sleep(1.5)
    driver.save_screenshot(str(HERE / "screenshot-paste.png"))


if __name__ == "__main__":
    main()
