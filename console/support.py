"""Helpers of the console's browser tests: a small API client for setting up data (urllib, as any script would),
and a page object over the Selenium driver that waits the way a reader does: until the text is there."""

from __future__ import annotations

import base64
import json
import re
import secrets
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, List, Optional

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

WAIT_S = 10
EXPECTED_API_FAILURE = re.compile(r"/v1/\S* - Failed to load resource: the server responded with a status of (400|401|403|404|409|412) ")


class ApiFailure(Exception):
    def __init__(self, status: int, body: dict):
        super().__init__(f"{status}: {body}")
        self.status = status
        self.body = body


class Api:
    """`/v1` with a bearer token: answers `(data, headers)` or raises ApiFailure."""

    def __init__(self, base_url: str, token: str):
        self.base_url = base_url
        self.token = token

    def call(self, method: str, path: str, body: Any = None, headers: Optional[dict] = None):
        request = urllib.request.Request(self.base_url + path, method=method, data=None if body is None else json.dumps(body).encode())
        request.add_header("Authorization", f"Bearer {self.token}")
        if body is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or b"{}").get("data"), response.headers
        except urllib.error.HTTPError as error:
            raise ApiFailure(error.code, json.loads(error.read() or b"{}")) from None

    def new_project(self) -> str:
        data, _ = self.call("POST", "/v1/projects", {"name": "console " + secrets.token_hex(4)})
        return data["id"]

    def put_group(self, project: str, name: str, variables: dict, **fields) -> dict:
        body = {"name": name, "secretType": fields.pop("secretType", "environment"), "priority": fields.pop("priority", 10),
                "secrets": {"variables": variables, **fields.pop("secrets", {})}, **fields}
        data, _ = self.call("PUT", f"/v1/projects/{project}/secrets", body)
        return data

    def new_token(self, role: str, name: Optional[str] = None, **fields) -> str:
        data, _ = self.call("POST", "/v1/tokens", {"name": name or f"{role} {secrets.token_hex(3)}", "role": role, **fields})
        return data["secret"]


class Console:
    """The console in the browser: navigation, waiting, the checks every test ends with, and screenshots."""

    def __init__(self, driver, base_url: str, admin_token: str, api: Api, screenshots: Optional[str]):
        self.driver = driver
        self.base_url = base_url
        self.admin_token = admin_token
        self.api = api
        self.screenshot_dir = Path(screenshots) if screenshots else None

    # Navigation

    def sign_in(self, token: Optional[str] = None) -> None:
        self.open("#/signin")
        field = self.find("input[name=token]")
        field.send_keys(token or self.admin_token)
        self.find("form.signin button[type=submit]").click()
        self.wait_for_text("h1", "Projects")

    def open(self, fragment: str) -> None:
        """Goes to a console address the way a link does (same page, new fragment) and waits for its heading."""
        current = self.driver.current_url
        if not current.startswith(self.base_url):
            self.driver.get(self.base_url + "/" + fragment)
        else:
            self.driver.execute_script("location.hash = arguments[0]", fragment)
        self.wait(lambda d: d.execute_script("return location.hash") == fragment and d.find_elements(By.CSS_SELECTOR, "main h1"))

    # Finding and waiting

    def wait(self, condition, timeout: float = WAIT_S):
        return WebDriverWait(self.driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(condition)

    def find(self, css: str, timeout: float = WAIT_S) -> WebElement:
        return self.wait(lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()), False), timeout)

    def find_all(self, css: str) -> List[WebElement]:
        return [element for element in self.driver.find_elements(By.CSS_SELECTOR, css) if element.is_displayed()]

    def wait_for_text(self, css: str, text: str, timeout: float = WAIT_S) -> WebElement:
        return self.wait(lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, css) if text in e.text and e.is_displayed()), False), timeout)

    def button(self, label: str, within: str = "body") -> WebElement:
        """The visible button (or button-styled link) whose text or aria-label is `label`."""
        def found(driver):
            for element in driver.find_elements(By.CSS_SELECTOR, f"{within} button, {within} a.button"):
                if element.is_displayed() and label in (element.text, element.get_attribute("aria-label")):
                    return element
            return False
        return self.wait(found)

    def row(self, text: str, within: str = "main") -> WebElement:
        return self.wait_for_text(f"{within} tbody tr", text)

    def dialog(self) -> WebElement:
        return self.find("dialog[open]")

    def page_source_text(self) -> str:
        """Everything in the DOM, markup and attribute values included, for checks that a value is not in it."""
        return self.driver.execute_script("return document.documentElement.outerHTML")

    # The checks of every test

    def problems(self) -> List[str]:
        """Script errors, console errors, CSP violations and failed loads, except API answers a test provoked."""
        found = []
        for entry in self.driver.get_log("browser"):
            if entry["level"] in ("SEVERE", "WARNING") and not EXPECTED_API_FAILURE.search(entry["message"]):
                found.append(f"{entry['level']} {entry.get('source', '')}: {entry['message']}")
        found += [f"CSP violation: {v}" for v in self.driver.execute_script("return window.__violations || []")]
        return found

    def scroll_width(self) -> int:
        return self.driver.execute_script("return document.documentElement.scrollWidth")

    def screenshot(self, name: str, whole_page: bool = True) -> None:
        """Saves a PNG of the page into COFFER_CONSOLE_SCREENSHOTS, when set (for docs/console/): the whole page, or
        what is on screen (for a modal dialog, whose backdrop covers the screen only)."""
        if self.screenshot_dir is None:
            return
        self.screenshot_dir.mkdir(parents=True, exist_ok=True)
        self.driver.execute_script("document.getElementById('status').textContent = ''")
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": whole_page})
        (self.screenshot_dir / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))


def editor_row(console: Console, key: str) -> WebElement:
    """The editor's row whose key input holds `key` (an input's value is a property, so CSS cannot select it)."""
    return console.wait(lambda d: d.execute_script(
        "return [...document.querySelectorAll('tr.key-row')].find((row) => row.querySelector('td.key input').value === arguments[0]) || false", key))


def editor_value(row: WebElement) -> WebElement:
    return row.find_element(By.CSS_SELECTOR, "td:nth-child(2) input, td:nth-child(2) textarea")
