"""Reading on a phone (390 px, no sideways scrolling of the page) and working with the keyboard alone."""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from support import Console

PHONE_WIDTH = 390


def seed(console: Console, project: str) -> None:
    api = console.api
    api.call("POST", f"/v1/projects/{project}/services", {"name": "checkout", "tags": ["pci"]})
    long_key = "DATABASE_URL_WITH_A_RATHER_LONG_NAME_FOR_NARROW_SCREENS"
    long_value = "postgres://user@db.internal:5432/app?sslmode=require&application_name=checkout-service-with-a-long-name"
    api.put_group(project, "database", {long_key: long_value, "DB_POOL": "10"}, description="Primary database", priority=20)
    api.call("PATCH", f"/v1/projects/{project}/secrets/database", {"secrets": {"variables": {long_key: long_value, "DB_POOL": "12"}}})


def test_every_main_page_fits_a_390_px_screen(console: Console, project: str):
    seed(console, project)
    # A phone's viewport, as Chromium's device emulation gives it (overlay scrollbars, so the page has all 390 px).
    phone = {"width": PHONE_WIDTH, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    console.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
    assert console.driver.execute_script("return document.documentElement.clientWidth") == PHONE_WIDTH
    console.sign_in()
    pages = {
        "projects": "#/projects",
        "groups": f"#/projects/{project}",
        "group": f"#/projects/{project}/groups/database",
        "edit": f"#/projects/{project}/groups/database/edit",
        "new": f"#/projects/{project}/new",
        "history": f"#/projects/{project}/groups/database/history",
        "workloads": f"#/projects/{project}/workloads",
        "environment": f"#/projects/{project}/services/checkout",
        "audit": f"#/projects/{project}/audit",
        "tokens": "#/tokens",
    }
    for name, fragment in pages.items():
        console.open(fragment)
        console.wait(lambda d: not d.find_elements("css selector", "main p.muted") or "Loading" not in d.find_element("css selector", "main").text)
        width = console.scroll_width()
        assert width <= PHONE_WIDTH, f"{name} scrolls sideways: {width} px"
        if name == "group":
            console.button("Reveal DATABASE_URL_WITH_A_RATHER_LONG_NAME_FOR_NARROW_SCREENS").click()
            assert console.scroll_width() <= PHONE_WIDTH, "a revealed long value widens the page"
            console.screenshot("phone-group")
    console.open("#/signin")
    assert console.scroll_width() <= PHONE_WIDTH
    console.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def focused(console: Console) -> dict:
    return console.driver.execute_script(
        "const e = document.activeElement; const s = getComputedStyle(e);"
        "return {tag: e.tagName, text: (e.textContent || '').trim(), label: e.getAttribute('aria-label') || '', href: e.getAttribute('href') || '',"
        " outline: s.outlineStyle, outlineWidth: s.outlineWidth}")


def tab_to(console: Console, matches, limit: int = 80) -> dict:
    """Presses Tab until the focused element satisfies `matches`; every stop must show a visible focus ring."""
    for _ in range(limit):
        ActionChains(console.driver).send_keys(Keys.TAB).perform()
        element = focused(console)
        if element["tag"] not in ("BODY", "MAIN", "H1"):
            assert element["outline"] != "none" and element["outlineWidth"] != "0px", f"no visible focus on {element}"
        if matches(element):
            return element
    raise AssertionError("never reached by Tab")


def shift_tab_to(console: Console, matches, limit: int = 40) -> dict:
    """Presses Shift+Tab until the focused element satisfies `matches`."""
    for _ in range(limit):
        element = focused(console)
        if matches(element):
            return element
        press(console, Keys.SHIFT, Keys.TAB, Keys.SHIFT)
    raise AssertionError("never reached by Shift+Tab")


def press(console: Console, *keys) -> None:
    ActionChains(console.driver).send_keys(*keys).perform()


def test_keyboard_only_sign_in_browse_reveal_and_a_dialog_that_traps_and_returns_focus(console: Console, project: str):
    seed(console, project)
    console.open("#/signin")
    console.wait(lambda d: focused(console)["tag"] == "INPUT")  # the token field has focus on arrival
    press(console, console.admin_token, Keys.ENTER)
    console.wait_for_text("h1", "Projects")
    # Shift+Tab from the page's heading reaches the skip link first of all; it moves focus to the content, address kept.
    shift_tab_to(console, lambda e: e["text"] == "Skip to content")
    press(console, Keys.ENTER)
    console.wait(lambda d: d.execute_script("return document.activeElement.id") == "main")
    assert console.driver.execute_script("return location.hash") == "#/projects" and console.find("h1").text == "Projects"
    tab_to(console, lambda e: e["href"] == f"#/projects/{project}")
    press(console, Keys.ENTER)
    console.wait_for_text("h1", project)
    tab_to(console, lambda e: e["href"] == f"#/projects/{project}/groups/database")
    press(console, Keys.ENTER)
    console.wait_for_text("h1", "database")
    tab_to(console, lambda e: e["label"] == "Reveal DB_POOL")
    press(console, Keys.SPACE)
    console.wait_for_text("main tbody tr", "12")
    assert focused(console)["label"] == "Hide DB_POOL"
    shift_tab_to(console, lambda e: e["text"] == "Delete…")
    press(console, Keys.ENTER)
    console.dialog()
    assert focused(console)["tag"] == "INPUT"
    for _ in range(6):  # Tab cycles inside the modal dialog; it never reaches the page behind it
        press(console, Keys.TAB)
        assert console.driver.execute_script("return document.activeElement.closest('dialog') !== null || document.activeElement === document.body")
    press(console, Keys.ESCAPE)
    console.wait(lambda d: not d.find_elements("css selector", "dialog"))
    assert focused(console)["text"] == "Delete…"  # focus is back where the dialog was opened
    # Edit with keys only: open the editor, change a value, save with Enter.
    shift_tab_to(console, lambda e: e["text"] == "Edit")
    press(console, Keys.ENTER)
    console.wait_for_text("h1", "Edit database")
    tab_to(console, lambda e: e["label"] == "Value of DB_POOL", limit=120)
    press(console, "13", Keys.ENTER)  # Tab into a field selects its text, so typing replaces it
    console.wait_for_text("#status", "Saved database")
    assert console.api.call("GET", f"/v1/projects/{project}/secrets/database")[0]["secrets"]["variables"]["DB_POOL"] == "13"
