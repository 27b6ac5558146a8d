"""Signing in and out: a token is checked against the API before it is kept, and kept in this tab only."""

from support import Console


def test_an_invalid_token_is_refused_with_the_apis_message(console: Console):
    console.open("#/signin")
    console.find("input[name=token]").send_keys("coffer_not-a-real-token-0123456789abcdef")
    console.find("form.signin button[type=submit]").click()
    error = console.wait_for_text("#token-error", "token")
    api_message = console.api.__class__(console.base_url, "coffer_not-a-real-token-0123456789abcdef")
    try:
        api_message.call("GET", "/v1/projects")
    except Exception as failure:  # the API's own words, whatever they are
        assert error.text == failure.body["error"]["message"]
    assert console.driver.execute_script("return sessionStorage.getItem('coffer.token')") is None
    assert console.find("input[name=token]").get_attribute("aria-invalid") == "true"
    console.screenshot("sign-in")


def test_sign_in_keeps_the_token_in_this_tab_only_and_sign_out_forgets_it(console: Console):
    console.sign_in()
    assert console.driver.execute_script("return sessionStorage.getItem('coffer.token')") == console.admin_token
    assert console.driver.execute_script("return localStorage.length") == 0
    assert console.admin_token not in console.driver.current_url
    assert console.find("#nav-tokens").is_displayed()  # the admin token may manage tokens
    console.button("Sign out").click()
    console.wait_for_text("h1", "Sign in")
    assert console.driver.execute_script("return sessionStorage.getItem('coffer.token')") is None
