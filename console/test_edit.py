"""Creating, editing and deleting groups: a table of keys, a pasted .env previewed before it is applied, saves
with If-Match, and the API's errors shown where they belong without losing what was typed."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions

from support import Console, editor_row, editor_value


def open_editor(console: Console, project: str, group: str) -> None:
    console.sign_in()
    console.open(f"#/projects/{project}/groups/{group}/edit")
    console.wait_for_text("h1", "Edit")


def test_edit_a_value_and_the_priority_and_save(console: Console, project: str):
    console.api.put_group(project, "database", {"DB_POOL": "10", "DB_HOST": "db.internal"})
    open_editor(console, project, "database")
    value = editor_value(editor_row(console, "DB_POOL"))
    assert value.get_attribute("type") == "password"
    value.clear()
    value.send_keys("25")
    priority = console.find("main input[type=number]")
    priority.clear()
    priority.send_keys("42")
    console.wait_for_text("main .notice", "1 changed")
    console.button("Save changes").click()
    console.wait_for_text("#status", "Saved database as version 2")
    console.wait_for_text("h1", "database")
    group, headers = console.api.call("GET", f"/v1/projects/{project}/secrets/database")
    assert group["secrets"]["variables"] == {"DB_POOL": "25", "DB_HOST": "db.internal"}
    assert group["priority"] == 42 and headers["ETag"] == '"2"'


def test_paste_a_dotenv_see_the_preview_then_save(console: Console, project: str):
    console.api.put_group(project, "web", {"KEEP": "same", "CHANGE_ME": "old", "DROP_ME": "x"})
    open_editor(console, project, "web")
    console.button("Paste .env…").click()
    dialog = console.dialog()
    dialog.find_element(By.CSS_SELECTOR, "textarea").send_keys(
        "# pasted from the old host\nexport KEEP=same\nCHANGE_ME=\"new value\"\nADDED_KEY='literal ${NOT_EXPANDED}'\n")
    console.wait_for_text("dialog[open] .preview", "2 keys would change; 1 unchanged.")
    assert "ADDED_KEY" in dialog.find_element(By.CSS_SELECTOR, ".preview-added").text
    assert "CHANGE_ME" in dialog.find_element(By.CSS_SELECTOR, ".preview-changed").text
    assert not dialog.find_elements(By.CSS_SELECTOR, ".preview-removed")
    dialog.find_element(By.ID, "dotenv-replace").click()
    console.wait_for_text("dialog[open] .preview-removed", "DROP_ME")
    assert "new value" not in dialog.find_element(By.CSS_SELECTOR, ".preview").text  # key names only
    console.screenshot("edit-dotenv-preview", whole_page=False)
    console.button("Apply to the table").click()
    console.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog[open]"))
    summary = console.wait_for_text("main .notice", "Not saved yet")
    assert "1 added" in summary.text and "1 changed" in summary.text and "1 removed" in summary.text
    assert console.api.call("GET", f"/v1/projects/{project}/secrets/web")[0]["secrets"]["variables"]["CHANGE_ME"] == "old"
    console.button("Save changes").click()
    console.wait_for_text("#status", "Saved web")
    variables = console.api.call("GET", f"/v1/projects/{project}/secrets/web")[0]["secrets"]["variables"]
    assert variables == {"KEEP": "same", "CHANGE_ME": "new value", "ADDED_KEY": "literal ${NOT_EXPANDED}"}


def test_a_bad_paste_names_its_lines_and_cannot_be_applied(console: Console, project: str):
    console.api.put_group(project, "web", {"A": "1"})
    open_editor(console, project, "web")
    console.button("Paste .env…").click()
    console.dialog().find_element(By.CSS_SELECTOR, "textarea").send_keys("GOOD=1\nthis is not a pair\nBAD KEY=2\n")
    preview = console.wait_for_text("dialog[open] .preview", "line 2: expected KEY=value")
    assert "line 3:" in preview.text and "this is not" not in preview.text
    assert not console.button("Apply to the table").is_enabled()
    console.button("Cancel", within="dialog[open]").click()


def test_api_400_details_appear_next_to_their_fields_and_the_form_keeps_what_was_typed(console: Console, project: str):
    console.api.put_group(project, "web", {"A": "1"})
    open_editor(console, project, "web")
    console.button("Add variable").click()
    row = editor_row(console, "")
    row.find_element(By.CSS_SELECTOR, "td.key input").send_keys("bad key")
    editor_value(row).send_keys("typed value")
    priority = console.find("main input[type=number]")
    priority.clear()
    priority.send_keys("101")
    console.button("Save changes").click()
    console.wait_for_text("main .alert", "Validation failed")
    row = editor_row(console, "bad key")
    assert "must match" in row.find_element(By.CSS_SELECTOR, ".field-error").text
    assert row.find_element(By.CSS_SELECTOR, "td.key input").get_attribute("aria-invalid") == "true"
    priority_field = console.find("main .field[data-path=priority]")
    assert "100" in priority_field.find_element(By.CSS_SELECTOR, ".field-error").text
    assert editor_value(row).get_attribute("value") == "typed value"
    assert console.find("main input[type=number]").get_attribute("value") == "101"
    console.screenshot("edit-validation")


def test_a_412_offers_to_reload_and_keeps_the_edit_until_then(console: Console, project: str):
    console.api.put_group(project, "web", {"A": "1"})
    open_editor(console, project, "web")
    value = editor_value(editor_row(console, "A"))
    value.clear()
    value.send_keys("mine")
    console.api.call("PATCH", f"/v1/projects/{project}/secrets/web", {"secrets": {"variables": {"A": "theirs", "B": "2"}}})
    console.button("Save changes").click()
    alert = console.wait_for_text("main .alert", "Reload the current version")
    assert "changed this since you opened it" in alert.text
    assert editor_value(editor_row(console, "A")).get_attribute("value") == "mine"
    console.button("Reload the current version").click()
    console.wait(lambda d: editor_value(editor_row(console, "B")).get_attribute("value") == "2")
    assert editor_value(editor_row(console, "A")).get_attribute("value") == "theirs"


def test_leaving_with_unsaved_work_asks_first_and_staying_keeps_it(console: Console, project: str):
    console.api.put_group(project, "web", {"A": "1"})
    open_editor(console, project, "web")
    console.button("Cancel").click()  # nothing typed yet: no question
    console.wait_for_text("h1", "web")
    assert not expected_conditions.alert_is_present()(console.driver)
    console.open(f"#/projects/{project}/groups/web/edit")
    value = editor_value(editor_row(console, "A"))
    value.clear()
    value.send_keys("typed")
    console.button("Cancel").click()
    question = console.wait(expected_conditions.alert_is_present())
    assert "not saved" in question.text
    question.dismiss()  # stay
    assert console.driver.execute_script("return location.hash") == f"#/projects/{project}/groups/web/edit"
    assert editor_value(editor_row(console, "A")).get_attribute("value") == "typed"
    console.find("#sign-out").click()  # signing out asks too; staying keeps the session
    console.wait(expected_conditions.alert_is_present()).dismiss()
    assert console.driver.execute_script("return sessionStorage.getItem('coffer.token')") is not None
    console.find("header a[href='#/projects']").click()  # any way out asks
    question = console.wait(expected_conditions.alert_is_present())
    question.accept()  # leave: asked once only
    console.wait_for_text("h1", "Projects")
    assert not expected_conditions.alert_is_present()(console.driver)
    assert console.api.call("GET", f"/v1/projects/{project}/secrets/web")[0]["secrets"]["variables"] == {"A": "1"}


def test_create_a_group_then_delete_it_after_typing_its_id(console: Console, project: str):
    console.sign_in()
    console.open(f"#/projects/{project}")
    console.button("New group").click()
    console.wait_for_text("h1", "New group")
    console.find("main .field[data-path=name] input").send_keys("Queue Workers")
    console.button("Add variable").click()
    row = editor_row(console, "")
    row.find_element(By.CSS_SELECTOR, "td.key input").send_keys("QUEUE_URL")
    editor_value(row).send_keys("amqp://queue")
    console.button("Create group").click()
    console.wait_for_text("h1", "Queue Workers")
    assert console.api.call("GET", f"/v1/projects/{project}/secrets/queue-workers")[0]["secrets"]["variables"] == {"QUEUE_URL": "amqp://queue"}
    console.button("Delete…").click()
    dialog = console.dialog()
    confirm = console.button("Delete group", within="dialog[open]")
    assert not confirm.is_enabled()
    dialog.find_element(By.CSS_SELECTOR, "input").send_keys("queue-workers")
    console.wait(lambda d: confirm.is_enabled())
    confirm.click()
    console.wait_for_text("#status", "Deleted Queue Workers")
    console.wait_for_text("main p.empty", "No groups yet.")
