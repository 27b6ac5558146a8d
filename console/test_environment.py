"""A service's effective runtime and build environment as the server resolves it: each key's source group, what it
shadows (masked like every value), and the warnings of the resolution and of the project."""

from selenium.webdriver.common.by import By

from support import Console


def seed(console: Console, project: str) -> None:
    api = console.api
    api.call("POST", f"/v1/projects/{project}/services", {"name": "checkout", "tags": ["pci"], "runtimeEnvironment": {"PORT": "8080"}})
    api.put_group(project, "base", {"LOG_LEVEL": "info", "REGION": "eu-west-1"}, priority=10)
    api.put_group(project, "payments", {"LOG_LEVEL": "debug", "STRIPE_KEY": "sk_live_x"}, priority=30,
                  restrictions={"restricted": True, "tags": ["pci"]})
    api.put_group(project, "build tools", {"NPM_TOKEN": "npm_secret"}, secretType="arguments", priority=10)
    api.put_group(project, "orphan", {"UNUSED": "1"}, restrictions={"restricted": True, "nfObjects": [{"id": "ghost", "type": "service"}]})


def test_effective_environment_shows_sources_shadowed_values_and_warnings(console: Console, project: str):
    seed(console, project)
    console.sign_in()
    console.open(f"#/projects/{project}/workloads")
    console.find("main a[href$='/services/checkout']").click()
    console.wait_for_text("h1", "checkout")
    log_level = console.find("#phase-runtime tr[data-key=LOG_LEVEL]")
    assert "group payments (priority 30)" in log_level.text
    shadows = log_level.find_element(By.CSS_SELECTOR, "ul.shadowed li")
    assert "group base (priority 10)" in shadows.text
    assert "debug" not in console.page_source_text() and "info" not in log_level.text
    shadows.find_element(By.CSS_SELECTOR, "button[data-vault=toggle]").click()
    console.wait(lambda d: "info" in shadows.text)
    assert "debug" not in log_level.text  # revealing the loser leaves the winner hidden
    assert "set on the workload itself" in console.find("#phase-runtime tr[data-key=PORT]").text
    assert "REGION" in console.find("#phase-runtime").text and "NPM_TOKEN" not in console.find("#phase-runtime").text
    warnings = console.find("#phase-runtime .warnings")
    assert "orphan" in warnings.text
    console.screenshot("effective-environment")
    console.find("button[role=tab][aria-controls=phase-build]").click()
    build = console.find("#phase-build")
    assert "NPM_TOKEN" in build.text and "group build-tools" in build.text
    assert not console.find_all("#phase-runtime")
