"""Addon links of a secret group: get.secret_link, update.secret_link, delete.secret_link (API.md section 5)."""

from __future__ import annotations

import json

import pytest

from support import addon_body, expect_error, group_body, nf_key, secrets_of

CREDENTIALS = {"HOST": "db.internal", "PORT": "27017", "USERNAME": "admin", "PASSWORD": "s3cret"}


@pytest.fixture
def setup(client, project):
    client.create.addon(project_id=project, data=addon_body("Example Addon", CREDENTIALS))
    client.put.secret(project_id=project, data=group_body("App Secrets", secrets={"variables": {"OWN": "1"}}))
    return project


def link(client, project, addon_id, keys, secret_id="app-secrets"):
    return client.update.secret_link(project_id=project, secret_id=secret_id, addon_id=addon_id, data={"keys": keys})


def inherited(client, project, secret_id="app-secrets"):
    return secrets_of(client.get.secret(project_id=project, secret_id=secret_id, show="inherited").data)["variables"]


def test_get_link_of_an_unlinked_addon(client, setup):
    response = client.get.secret_link(project_id=setup, secret_id="app-secrets", addon_id="example-addon")
    info = response.data
    assert info["secretId"] == "app-secrets"
    assert info["secretName"] == "App Secrets"
    assert info["addonId"] == "example-addon"
    assert info["addonName"] == "Example Addon"
    assert info["addonType"] == "mongodb"
    assert info["linked"] is False
    assert not info.get("linkedKeys")
    assert sorted(info["availableKeys"]) == sorted(CREDENTIALS)


def test_update_link_creates_it(client, setup):
    response = link(client, setup, "example-addon", [{"keyName": "USERNAME", "aliases": ["MONGO_USERNAME"]}])
    assert response.status == 200
    assert response.data == {
        "keys": [{"keyName": "USERNAME", "aliases": ["MONGO_USERNAME"], "defaultKey": "NF_EXAMPLE-ADDON_USERNAME"}]
    }
    info = client.get.secret_link(project_id=setup, secret_id="app-secrets", addon_id="example-addon").data
    assert info["linked"] is True
    assert info["linkedKeys"] == response.data["keys"]
    group = client.get.secret(project_id=setup, secret_id="app-secrets", show="this").data
    assert group["addonDependencies"] == [
        {"addonId": "example-addon", "keys": [{"keyName": "USERNAME", "aliases": ["MONGO_USERNAME"]}]}
    ]
    assert inherited(client, setup) == {"NF_EXAMPLE-ADDON_USERNAME": "admin", "MONGO_USERNAME": "admin"}


def test_update_link_replaces_the_key_list(client, setup):
    link(client, setup, "example-addon", [{"keyName": "USERNAME", "aliases": ["MONGO_USERNAME"]}])
    response = link(client, setup, "example-addon", [{"keyName": "HOST"}, {"keyName": "PORT", "aliases": ["DB_PORT"]}])
    keys = {key["keyName"]: key for key in response.data["keys"]}
    assert set(keys) == {"HOST", "PORT"}
    assert keys["HOST"]["defaultKey"] == nf_key("example-addon", "HOST")
    assert keys["HOST"].get("aliases", []) == []
    assert keys["PORT"]["aliases"] == ["DB_PORT"]
    assert inherited(client, setup) == {
        "NF_EXAMPLE-ADDON_HOST": "db.internal",
        "NF_EXAMPLE-ADDON_PORT": "27017",
        "DB_PORT": "27017",
    }


def test_delete_link(client, setup):
    link(client, setup, "example-addon", [{"keyName": "PASSWORD"}])
    response = client.delete.secret_link(project_id=setup, secret_id="app-secrets", addon_id="example-addon")
    assert response.status == 200
    info = client.get.secret_link(project_id=setup, secret_id="app-secrets", addon_id="example-addon").data
    assert info["linked"] is False
    group = client.get.secret(project_id=setup, secret_id="app-secrets").data
    assert group["addonDependencies"] == []
    assert secrets_of(group)["variables"] == {"OWN": "1"}


def test_link_to_an_addon_that_does_not_exist_yet_is_accepted(client, setup):
    response = link(client, setup, "later-addon", [{"keyName": "PASSWORD", "aliases": ["LATER_PASSWORD"]}])
    assert response.status == 200
    assert response.data["keys"][0]["defaultKey"] == "NF_LATER-ADDON_PASSWORD"
    group = client.get.secret(project_id=setup, secret_id="app-secrets").data
    assert {"addonId": "later-addon", "keys": [{"keyName": "PASSWORD", "aliases": ["LATER_PASSWORD"]}]} in group[
        "addonDependencies"
    ]
    assert inherited(client, setup) == {}, "a link to a missing addon contributes nothing"

    details = client.get.secret_details(project_id=setup, secret_id="app-secrets").data
    warnings = {key: value for key, value in details.items() if "warning" in key.lower()}
    assert "later-addon" in json.dumps(warnings), f"details must warn about the missing addon: {details!r}"

    # configuration applied in any order: once the addon exists, the link delivers
    client.create.addon(project_id=setup, data=addon_body("Later Addon", {"PASSWORD": "late"}))
    assert inherited(client, setup) == {"NF_LATER-ADDON_PASSWORD": "late", "LATER_PASSWORD": "late"}


def test_link_to_a_missing_key_contributes_nothing(client, setup):
    link(client, setup, "example-addon", [{"keyName": "NOT_A_KEY"}, {"keyName": "HOST"}])
    assert inherited(client, setup) == {"NF_EXAMPLE-ADDON_HOST": "db.internal"}


def test_get_link_of_an_unknown_addon_is_404(client, setup):
    error = expect_error(
        404, lambda: client.get.secret_link(project_id=setup, secret_id="app-secrets", addon_id="no-such-addon")
    )
    assert "no-such-addon" in error.message, error.message


def test_link_routes_on_an_unknown_group_are_404(client, setup):
    message = "Secret 'nope' not found"
    expect_error(404, lambda: client.get.secret_link(project_id=setup, secret_id="nope", addon_id="example-addon"), message)
    expect_error(404, lambda: link(client, setup, "example-addon", [{"keyName": "HOST"}], secret_id="nope"), message)
    expect_error(
        404, lambda: client.delete.secret_link(project_id=setup, secret_id="nope", addon_id="example-addon"), message
    )


def test_invalid_link_body_is_400(client, setup):
    error = expect_error(400, lambda: link(client, setup, "example-addon", [{"aliases": ["bad alias!"]}]))
    assert {"keys[0].keyName", "keys[0].aliases[0]"} <= set(error.details or {}), error.details
