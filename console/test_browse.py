"""Browsing: projects, a project's groups (type, priority, restrictions), a group with its values masked, search by
key across the project, revealing one value at a time and copying one without showing it."""

import json

from selenium.webdriver.common.by import By

from support import Console


def seed(console: Console, project: str) -> None:
    api = console.api
    api.put_group(project, "database", {"DATABASE_URL": "postgres://db.internal/app", "DB_POOL": "10", "DB_PASSWORD": "s3cr3t-db-pass"}, priority=20,
                  description="Primary database", secrets={"files": {"/etc/app/ca.pem": {"data": "LS0tQkVHSU4tLS0K", "encoding": "utf-8"}}})
    api.put_group(project, "feature flags", {"FLAG_NEW_CHECKOUT": "true", "LOG_LEVEL": "info"}, type="config", priority=5)
    api.put_group(project, "payments", {"STRIPE_KEY": "sk_live_topsecret", "LOG_LEVEL": "debug"}, priority=30, secretType="environment-arguments",
                  restrictions={"restricted": True, "nfObjects": [{"id": "checkout", "type": "service"}], "tags": ["pci"], "tagMatchCondition": "or"})


def test_browse_projects_groups_and_a_group(console: Console, project: str):
    seed(console, project)
    console.sign_in()
    console.row(project).find_element(By.CSS_SELECTOR, f"a[href='#/projects/{project}']").click()
    console.wait_for_text("h1", project)
    payments = console.row("payments")
    assert "secret" in payments.text and "30" in payments.text and "runtime and build" in payments.text
    assert "restricted: service checkout; tagged pci" in payments.text
    flags = console.row("feature flags")
    assert "config" in flags.text and "every service and job" in flags.text
    console.screenshot("groups")
    flags.find_element(By.LINK_TEXT, "feature flags").click()
    console.wait_for_text("h1", "feature flags")
    assert [cell.text for cell in console.find_all("main tbody td.key")] == ["FLAG_NEW_CHECKOUT", "LOG_LEVEL"]
    assert "info" not in console.find("main").text


def test_search_by_name_and_by_key_across_the_project(console: Console, project: str):
    seed(console, project)
    console.sign_in()
    console.open(f"#/projects/{project}")
    search = console.find("#group-search")
    search.send_keys("stripe")
    console.wait(lambda d: [r.text.split("\n")[0] for r in console.find_all("main tbody tr")] == ["payments"])
    assert "Keys: STRIPE_KEY" in console.row("payments").text
    search.clear()
    search.send_keys("log_level")
    console.wait(lambda d: sorted(r.text.split("\n")[0] for r in console.find_all("main tbody tr")) == ["feature flags", "payments"])
    search.clear()
    search.send_keys("datab")
    console.wait(lambda d: [r.text.split("\n")[0] for r in console.find_all("main tbody tr")] == ["database"])
    search.clear()
    search.send_keys("no such thing")
    console.wait_for_text("main p.empty", "No group matches.")
    # The search read every group's keys; none of their values reached the page.
    assert "sk_live_topsecret" not in console.page_source_text()


def test_reveal_one_value_while_the_others_stay_hidden_and_copy_without_showing(console: Console, project: str):
    seed(console, project)
    console.sign_in()
    console.open(f"#/projects/{project}/groups/database")
    console.wait_for_text("h1", "database")
    # Hidden values are not in the page at all, not merely covered.
    source = console.page_source_text()
    for value in ("postgres://db.internal/app", "s3cr3t-db-pass", "LS0tQkVHSU4tLS0K", "---BEGIN"):
        assert value not in source
    console.button("Reveal DB_PASSWORD").click()
    console.wait_for_text("main tbody tr", "s3cr3t-db-pass")
    source = console.page_source_text()
    assert "s3cr3t-db-pass" in source and "postgres://db.internal/app" not in source and "---BEGIN" not in source
    assert console.button("Hide DB_PASSWORD").get_attribute("aria-pressed") == "true"
    console.screenshot("group")
    console.button("Hide DB_PASSWORD").click()
    console.wait(lambda d: "s3cr3t-db-pass" not in console.page_source_text())
    # A file is revealed decoded.
    console.button("Reveal /etc/app/ca.pem").click()
    console.wait_for_text("main tbody tr", "---BEGIN---")
    # Copy puts the value on the clipboard and never on the page.
    permissions = ["clipboardReadWrite", "clipboardSanitizedWrite"]
    console.driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": console.base_url, "permissions": permissions})
    console.button("Copy DATABASE_URL").click()
    console.wait_for_text("#status", "Copied DATABASE_URL")
    clipboard = console.driver.execute_async_script("navigator.clipboard.readText().then(arguments[0], (e) => arguments[0]('error ' + e))")
    assert clipboard == "postgres://db.internal/app"
    assert "postgres://db.internal/app" not in console.page_source_text()
    # Nor in the address, the storage or the browser's log.
    assert "s3cr3t" not in console.driver.current_url
    storage = console.driver.execute_script("return JSON.stringify(Object.assign({}, sessionStorage, localStorage))")
    assert "postgres://" not in storage and "s3cr3t" not in json.dumps(storage)
