"""Addons and external addons through the SDK (API.md section 5).

Coffer's addon body is `{name, type, version, credentials}`; the SDK's TypedDicts describe Northflank's
managed-addon shape instead, but they are annotations only: the SDK sends the dict as given.
SDK calls: create.addon, list.addons(.all), get.addon, patch.addon, delete.addon;
create.external_addon, list.external_addons(.all), get.external_addon, update.external_addon (PATCH),
delete.external_addon (path parameter `externalAddonId`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable

import pytest

from support import addon_body, expect_error, group_body, nf_key, secrets_of

CREDENTIALS = {"HOST": "db.internal", "PORT": "5432", "USERNAME": "admin", "PASSWORD": "first-password"}


@dataclass
class Kind:
    """One addon family: the SDK calls for it, the list key, and the group field that links it."""

    name: str
    create: Callable
    list_all: Callable
    get: Callable
    patch: Callable
    delete: Callable
    list_key: str
    dependency_field: str
    type_: str


def addons(client) -> Kind:
    return Kind(
        "addons",
        create=lambda p, data: client.create.addon(project_id=p, data=data),
        list_all=lambda p: client.list.addons.all(project_id=p),
        get=lambda p, i: client.get.addon(project_id=p, addon_id=i),
        patch=lambda p, i, data: client.patch.addon(project_id=p, addon_id=i, data=data),
        delete=lambda p, i: client.delete.addon(project_id=p, addon_id=i),
        list_key="addons",
        dependency_field="addonDependencies",
        type_="postgresql",
    )


def external_addons(client) -> Kind:
    return Kind(
        "external-addons",
        create=lambda p, data: client.create.external_addon(project_id=p, data=data),
        list_all=lambda p: client.list.external_addons.all(project_id=p),
        get=lambda p, i: client.get.external_addon(project_id=p, external_addon_id=i),
        patch=lambda p, i, data: client.update.external_addon(project_id=p, external_addon_id=i, data=data),
        delete=lambda p, i: client.delete.external_addon(project_id=p, external_addon_id=i),
        list_key="externalAddons",
        dependency_field="externalAddonDependencies",
        type_="rds",
    )


@pytest.fixture(params=[addons, external_addons], ids=["addons", "external-addons"])
def kind(request, client) -> Kind:
    return request.param(client)


def listed_ids(kind: Kind, project: str):
    """Ids from `.all()`, whatever the list key (test_list_all checks the key itself)."""
    data = kind.list_all(project).data
    assert len(data) == 1, list(data)
    return [addon["id"] for addon in next(iter(data.values()))]


def test_create_answers_the_addon(kind, project):
    body = addon_body("Main Database", CREDENTIALS, type_=kind.type_, version="16")
    response = kind.create(project, body)
    assert response.status == 200
    addon = response.data
    assert addon["id"] == "main-database"
    assert addon["name"] == "Main Database"
    assert addon["type"] == kind.type_
    assert addon["version"] == "16"
    assert addon["credentials"] == CREDENTIALS


def test_create_of_an_existing_id_is_409(kind, project):
    kind.create(project, addon_body("Main Database", CREDENTIALS, type_=kind.type_))
    expect_error(409, lambda: kind.create(project, addon_body("main database", {"X": "y"}, type_=kind.type_)))
    assert kind.get(project, "main-database").data["credentials"] == CREDENTIALS


def test_create_invalid_body_is_400(kind, project):
    error = expect_error(400, lambda: kind.create(project, {"type": kind.type_, "credentials": {"A": 1.5}}))
    assert "name" in (error.details or {}), error.details


def test_list_all(kind, project):
    for name in ("Zeta Cache", "Alpha Db", "Mid Queue"):
        kind.create(project, addon_body(name, {"HOST": name.lower()}, type_=kind.type_))
    data = kind.list_all(project).data
    assert len(data) == 1, f"`.all()` only concatenates when data holds exactly one list: {list(data)}"
    assert list(data) == [kind.list_key], f"the SDK's List{kind.list_key[0].upper() + kind.list_key[1:]}Response names the list {kind.list_key!r}"
    listed = data[kind.list_key]
    assert [addon["id"] for addon in listed] == ["alpha-db", "mid-queue", "zeta-cache"]
    for addon in listed:
        assert {"id", "name", "type", "version"} <= set(addon), addon


def test_get(kind, project):
    kind.create(project, addon_body("Main Database", CREDENTIALS, type_=kind.type_, version="16"))
    addon = kind.get(project, "main-database").data
    assert addon["id"] == "main-database"
    assert addon["name"] == "Main Database"
    assert addon["type"] == kind.type_
    assert addon["version"] == "16"
    assert addon["credentials"] == CREDENTIALS


def test_get_unknown_is_404(kind, project):
    # API.md fixes no wording for an unknown addon; like the project and group messages, it names the id
    # (which also tells it apart from the router's "No route matches this method and path").
    for call in (
        lambda: kind.get(project, "no-such-addon"),
        lambda: kind.patch(project, "no-such-addon", {"version": "1"}),
        lambda: kind.delete(project, "no-such-addon"),
    ):
        error = expect_error(404, call)
        assert "no-such-addon" in error.message, error.message


def test_patch(kind, project):
    kind.create(project, addon_body("Main Database", CREDENTIALS, type_=kind.type_, version="16"))
    response = kind.patch(project, "main-database", {"version": "17"})
    assert response.status == 200
    assert response.data["version"] == "17"
    assert kind.get(project, "main-database").data["version"] == "17"
    assert kind.get(project, "main-database").data["credentials"] == CREDENTIALS

    rotated = {**CREDENTIALS, "PASSWORD": "second-password"}
    kind.patch(project, "main-database", {"credentials": rotated})
    assert kind.get(project, "main-database").data["credentials"] == rotated


def test_credential_change_reaches_linked_groups_at_once(kind, client, project):
    kind.create(project, addon_body("Main Database", CREDENTIALS, type_=kind.type_))
    keys = [{"keyName": "PASSWORD", "aliases": ["DB_PASSWORD"]}, {"keyName": "HOST"}]
    client.put.secret(
        project_id=project,
        data=group_body("Api", **{kind.dependency_field: [{"addonId": "main-database", "keys": keys}]}),
    )
    password = nf_key("main-database", "PASSWORD")  # NF_MAIN-DATABASE_PASSWORD

    def variables(show):
        return secrets_of(client.get.secret(project_id=project, secret_id="api", show=show).data)["variables"]

    assert variables("inherited") == {password: "first-password", "DB_PASSWORD": "first-password",
                                      nf_key("main-database", "HOST"): "db.internal"}

    kind.patch(project, "main-database", {"credentials": {**CREDENTIALS, "PASSWORD": "rotated"}})
    assert variables("inherited")[password] == "rotated"
    assert variables("inherited")["DB_PASSWORD"] == "rotated"
    assert variables("all")[password] == "rotated"
    assert variables(None)["DB_PASSWORD"] == "rotated"
    if kind.name == "addons":
        details = client.get.secret_details(project_id=project, secret_id="api").data
        assert details["addonSecrets"][0]["variables"][password] == "rotated"


def test_delete_of_a_linked_addon_is_409_naming_the_groups(kind, client, project):
    kind.create(project, addon_body("Main Database", CREDENTIALS, type_=kind.type_))
    dependency = [{"addonId": "main-database", "keys": [{"keyName": "HOST"}]}]
    for name in ("First Consumer", "Second Consumer"):
        client.put.secret(project_id=project, data=group_body(name, **{kind.dependency_field: dependency}))
    client.put.secret(project_id=project, data=group_body("Bystander"))

    error = expect_error(409, lambda: kind.delete(project, "main-database"))
    text = error.message + " " + json.dumps(error.details)
    assert "first-consumer" in text and "second-consumer" in text, (error.message, error.details)
    assert "bystander" not in text
    assert kind.get(project, "main-database").data["id"] == "main-database", "the refused delete changed nothing"

    for group in ("first-consumer", "second-consumer"):
        client.patch.secret(project_id=project, secret_id=group, data={kind.dependency_field: []})
    response = kind.delete(project, "main-database")
    assert response.status == 200
    expect_error(404, lambda: kind.get(project, "main-database"))
    assert listed_ids(kind, project) == []
