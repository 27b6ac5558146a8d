"""The audit log with its filters, and tokens for admins: created with their text shown once, then revoked."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import Api, ApiFailure, Console


def test_audit_log_filters_by_resource_and_action(console: Console, project: str):
    api = console.api
    api.put_group(project, "web", {"A": "1"})
    api.put_group(project, "worker", {"B": "1"})
    api.call("PATCH", f"/v1/projects/{project}/secrets/web", {"secrets": {"variables": {"A": "2", "SECRET_NAME": "value-not-logged"}}})
    console.sign_in()
    console.open(f"#/projects/{project}/audit")
    console.row("worker")
    assert len(console.find_all("#audit-results tbody tr")) == 4  # the project, two creates, one update
    console.find("main .field[data-path=resourceId] input").send_keys("web")
    Select(console.find("main .field[data-path=action] select")).select_by_value("update")
    console.button("Apply filters").click()
    console.wait(lambda d: len(console.find_all("#audit-results tbody tr")) == 1)
    entry = console.find("#audit-results tbody tr")
    assert "update" in entry.text and "web" in entry.text and "v2" in entry.text and "SECRET_NAME" in entry.text
    assert "value-not-logged" not in console.page_source_text()
    console.screenshot("audit")
    console.button("Clear").click()
    console.wait(lambda d: len(console.find_all("#audit-results tbody tr")) == 4)


def test_create_a_token_whose_text_is_shown_once_then_revoke_it(console: Console):
    console.sign_in()
    console.find("#nav-tokens").click()
    console.wait_for_text("h1", "Tokens")
    console.find("main .field[data-path=name] input").send_keys("ci deploy")
    Select(console.find("main .field[data-path=role] select")).select_by_value("viewer")
    console.button("Create token").click()
    secret = console.wait_for_text("dialog[open]", "only time this token is shown").find_element(By.ID, "new-token-secret").text
    projects, _ = Api(console.base_url, secret).call("GET", "/v1/projects")
    assert "projects" in projects
    console.screenshot("token-created", whole_page=False)
    console.button("I have stored it").click()
    console.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog"))
    row = console.row("ci deploy")
    assert "viewer" in row.text and "active" in row.text
    assert secret not in console.page_source_text()
    console.screenshot("tokens")
    console.button("Revoke ci deploy").click()
    console.button("Revoke token", within="dialog[open]").click()
    console.wait(lambda d: "revoked" in console.row("ci deploy").text)
    try:
        Api(console.base_url, secret).call("GET", "/v1/projects")
        raise AssertionError("a revoked token still works")
    except ApiFailure as failure:
        assert failure.status == 401


def test_token_form_shows_the_apis_400_next_to_the_field(console: Console):
    console.sign_in()
    console.open("#/tokens")
    console.find("main .field[data-path=name] input").send_keys("x")
    console.button("Create token").click()
    error = console.wait_for_text("main .field[data-path=name] .field-error", "at least 3")
    assert error.is_displayed()
