"""What a limited token sees: the API's 403 message naming the missing permission, withheld values, no Tokens page;
and a token revoked mid-session sends the reader back to sign in with the API's reason."""

from selenium.webdriver.common.by import By

from support import Console


def test_a_viewer_sees_withheld_values_and_the_permission_a_delete_needs(console: Console, project: str):
    console.api.put_group(project, "web", {"A": "secret-a"})
    viewer = console.api.new_token("viewer")
    console.sign_in(viewer)
    assert not console.find_all("#nav-tokens")
    console.open(f"#/projects/{project}/groups/web")
    assert "withheld" in console.row("A").text
    assert not console.find_all("main button[data-vault]")
    console.button("Delete…").click()
    console.dialog().find_element(By.CSS_SELECTOR, "input").send_keys("web")
    console.button("Delete group", within="dialog[open]").click()
    alert = console.wait_for_text("main .alert", "The required permission is 'Project > Secrets > SecretGroups > Delete'")
    assert "ask an admin" in alert.text
    console.screenshot("forbidden")
    console.open("#/tokens")
    console.wait_for_text("main .alert", "Team > Tokens > Manage")


def test_a_token_revoked_mid_session_signs_the_reader_out_with_the_reason(console: Console, project: str):
    data, _ = console.api.call("POST", "/v1/tokens", {"name": "short lived", "role": "developer"})
    console.sign_in(data["secret"])
    console.api.call("DELETE", f"/v1/tokens/{data['token']['id']}")
    console.driver.execute_script("location.hash = arguments[0]", f"#/projects/{project}")
    console.wait_for_text("h1", "Sign in")
    console.wait_for_text("main .alert", "You were signed out")
    assert console.driver.execute_script("return sessionStorage.getItem('coffer.token')") is None
