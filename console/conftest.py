"""Session fixtures for the console's browser tests: one `coffer serve` process (SQLite, generated admin token) and
one headless Debian Chromium driven by Selenium through Debian's chromedriver.

The suite builds nothing. It runs the binary named by COFFER_BIN (default: <repo>/.build/debug/coffer) and the
browser at CHROMIUM (default /usr/bin/chromium) with CHROMEDRIVER (default /usr/bin/chromedriver); the driver path
is given explicitly, so Selenium Manager never tries to download one. Every test ends by checking the browser's log:
no script error, no CSP violation, and no failed request but the API answers a test provoked on purpose.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from support import Api, Console

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import coffer_process  # noqa: E402  (the launcher shared with the compatibility suite)

Server = coffer_process.CofferProcess


@pytest.fixture(scope="session")
def server():
    with coffer_process.running("coffer-console-") as srv:
        yield srv


@pytest.fixture(scope="session")
def api(server: Server) -> Api:
    """The admin's API client, for setting up data the way any client would."""
    return Api(server.base_url, server.token)


@pytest.fixture
def project(api: Api) -> str:
    """A fresh project per test, so no test sees another's groups."""
    return api.new_project()


@pytest.fixture(scope="session")
def browser():
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    chromedriver = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
    for path in (chromium, chromedriver):
        if not Path(path).is_file():
            pytest.exit(f"{path} not found; install Debian's chromium and chromium-driver", returncode=2)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900",
                     "--disable-extensions", "--no-first-run", "--password-store=basic", "--lang=en-US"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # A question the page asks ("leave with unsaved work?") stays open for the test to answer through switch_to.alert.
    options.set_capability("unhandledPromptBehavior", "ignore")
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    driver.set_script_timeout(30)
    # Collects CSP violations from the first script on every page load (DevTools' injection is exempt from the CSP).
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": (
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")})
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def console(browser, server: Server, api: Api, request) -> Console:
    """The console in a clean tab state (signed out, desktop width), checked for errors when the test ends."""
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})  # a phone-width test may have failed midway
    browser.set_window_size(1280, 900)
    # Unsaved work an earlier test left in the editor is dropped without the browser's "leave this site?" question: a
    # capturing listener registered now runs before the page's own and stops it.
    browser.execute_script("window.addEventListener('beforeunload', (event) => event.stopImmediatePropagation(), true)")
    browser.get(server.base_url + "/")
    browser.execute_script("sessionStorage.clear()")
    browser.get_log("browser")  # drop what earlier tests left
    page = Console(browser, server.base_url, server.token, api, screenshots=os.environ.get("COFFER_CONSOLE_SCREENSHOTS"))
    yield page
    problems = page.problems()
    assert not problems, "browser reported problems:\n" + "\n".join(problems)
