"""History: the versions of a group, a diff of two of them by key name, and rollback as a new version."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import Console


def three_versions(console: Console, project: str) -> None:
    api = console.api
    api.put_group(project, "web", {"A": "1", "B": "2"})
    api.call("PATCH", f"/v1/projects/{project}/secrets/web", {"secrets": {"variables": {"A": "1", "B": "two", "C": "3"}}})
    api.call("PATCH", f"/v1/projects/{project}/secrets/web", {"priority": 50, "secrets": {"variables": {"B": "two", "C": "3"}}})


def test_versions_and_a_diff_of_two(console: Console, project: str):
    three_versions(console, project)
    console.sign_in()
    console.open(f"#/projects/{project}/groups/web/history")
    console.wait_for_text("h1", "History of web")
    rows = console.find_all("main tbody tr")
    assert [row.text.split()[0] for row in rows] == ["v3", "v2", "v1"]
    assert "current" in rows[0].text and "create" in rows[2].text
    Select(console.find("#diff-from")).select_by_value("1")
    Select(console.find("#diff-to")).select_by_value("3")
    console.button("Compare").click()
    diff = console.wait_for_text("#diff", "Changes from v1 to v3")
    assert [item.text for item in diff.find_elements(By.CSS_SELECTOR, "li")] == ["added C", "changed B", "removed A"]
    assert "priority" in diff.text
    assert "two" not in diff.text  # names only, no values
    console.screenshot("history-diff")


def test_a_diff_with_values_masks_each_until_its_own_reveal(console: Console, project: str):
    three_versions(console, project)
    console.sign_in()
    console.open(f"#/projects/{project}/groups/web/history")
    Select(console.find("#diff-from")).select_by_value("1")
    Select(console.find("#diff-to")).select_by_value("2")
    console.find("#diff-values").click()
    console.button("Compare").click()
    diff = console.wait_for_text("#diff", "Changes from v1 to v2")
    rows = diff.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert [row.find_element(By.CSS_SELECTOR, "td[data-label=Key]").text for row in rows] == ["C", "B"]
    assert "two" not in diff.text and "3" not in diff.find_element(By.CSS_SELECTOR, "tbody").text  # masked until revealed
    assert rows[0].find_element(By.CSS_SELECTOR, "td[data-label=Before]").text == "—"  # C was added: nothing before
    console.button("Reveal B after").click()
    console.wait(lambda d: rows[1].find_element(By.CSS_SELECTOR, "td[data-label=After] code").text == "two")
    assert "2" not in rows[1].find_element(By.CSS_SELECTOR, "td[data-label=Before]").text  # only the one revealed
    console.button("Reveal B before").click()
    console.wait(lambda d: rows[1].find_element(By.CSS_SELECTOR, "td[data-label=Before] code").text == "2")
    console.screenshot("history-diff-values")


def test_rollback_after_confirmation_records_a_new_version(console: Console, project: str):
    three_versions(console, project)
    console.sign_in()
    console.open(f"#/projects/{project}/groups/web/history")
    console.button("Roll back to version 1").click()
    console.wait_for_text("dialog[open]", "recorded as a new version after v3")
    console.button("Cancel", within="dialog[open]").click()
    assert console.api.call("GET", f"/v1/projects/{project}/secrets/web")[1]["ETag"] == '"3"'
    console.button("Roll back to version 1").click()
    console.button("Roll back to v1", within="dialog[open]").click()
    console.wait_for_text("#status", "Rolled back to version 1, now version 4")
    console.wait(lambda d: console.find_all("main tbody tr")[0].text.startswith("v4"))
    assert "rollback" in console.find_all("main tbody tr")[0].text
    group, headers = console.api.call("GET", f"/v1/projects/{project}/secrets/web")
    assert group["secrets"]["variables"] == {"A": "1", "B": "2"} and group["priority"] == 10 and headers["ETag"] == '"4"'
