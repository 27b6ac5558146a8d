"""Secret groups through the SDK: put, create, get (show=this|inherited|all), details, patch, update, delete.

API.md sections 2-5. Everything goes through `northflank.ApiClient`; no raw HTTP.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from support import (
    DEFAULT_RESTRICTIONS,
    RFC3339_MS,
    SECRET_EXISTS,
    addon_body,
    expect_error,
    group_body,
    header,
    nf_key,
    reference_body,
    secrets_of,
)

READ_ONLY = ("id", "projectId", "createdAt", "updatedAt")


# ---------------------------------------------------------------- PUT (create-or-update)


def test_put_reference_body_answers_the_full_group(client, project):
    body = reference_body()
    response = client.put.secret(project_id=project, data=body)
    assert response.status == 200
    group = response.data
    assert group["id"] == "example-secret"
    assert group["projectId"] == project
    for key in ("name", "description", "type", "secretType", "priority", "addonDependencies", "externalAddonDependencies"):
        assert group[key] == body[key], key
    assert group["tags"] == []
    assert group["restrictions"] == {**DEFAULT_RESTRICTIONS, **body["restrictions"]}
    assert secrets_of(group) == body["secrets"]
    assert RFC3339_MS.match(group["createdAt"]), group["createdAt"]
    assert RFC3339_MS.match(group["updatedAt"]), group["updatedAt"]
    assert header(response, "ETag"), "writes answer with an ETag"


def test_put_minimal_body_fills_the_defaults(client, project):
    group = client.put.secret(project_id=project, data=group_body("Bare Group")).data
    assert group["id"] == "bare-group"
    assert group["type"] == "secret"
    assert group["tags"] == []
    assert group["restrictions"] == DEFAULT_RESTRICTIONS
    assert group["secrets"] == {"variables": {}, "files": {}, "dockerSecretMounts": {}}
    assert group["addonDependencies"] == []
    assert group["externalAddonDependencies"] == []
    assert "description" not in group or group["description"] is None


def test_put_replaces_the_stored_definition(client, project, tick):
    first = client.put.secret(project_id=project, data=reference_body()).data
    tick()
    replacement = group_body(
        "example secret",  # same derived id, different spelling
        priority=20,
        tags=["blue"],
        secrets={"variables": {"ONLY": "this"}},
    )
    second = client.put.secret(project_id=project, data=replacement).data
    assert second["id"] == first["id"] == "example-secret"
    assert second["createdAt"] == first["createdAt"]
    assert second["updatedAt"] > first["updatedAt"]
    assert second["name"] == "example secret"
    assert second["priority"] == 20
    assert second["tags"] == ["blue"]
    assert "description" not in second or second["description"] is None
    assert second["restrictions"] == DEFAULT_RESTRICTIONS, "omitted fields take their defaults"
    assert second["addonDependencies"] == [] and second["externalAddonDependencies"] == []
    assert second["secrets"] == {"variables": {"ONLY": "this"}, "files": {}, "dockerSecretMounts": {}}


def test_put_same_body_twice_is_a_no_op(client, project, tick):
    first = client.put.secret(project_id=project, data=reference_body())
    tick()
    second = client.put.secret(project_id=project, data=reference_body())
    assert second.data == first.data
    assert second.data["updatedAt"] == first.data["updatedAt"]
    assert header(second, "ETag") == header(first, "ETag"), "no new version"


def test_put_response_sent_back_with_put_changes_nothing(client, project, tick):
    first = client.put.secret(project_id=project, data=reference_body())
    tick()
    second = client.put.secret(project_id=project, data=first.data)  # read-only fields are ignored
    assert second.data == first.data
    assert header(second, "ETag") == header(first, "ETag")


@pytest.mark.parametrize("show", [None, "this"])
def test_round_trip_put_get_put_changes_nothing(client, project, tick, show):
    written = client.put.secret(project_id=project, data=reference_body())
    read = client.get.secret(project_id=project, secret_id="example-secret", show=show)
    assert read.data["updatedAt"] == written.data["updatedAt"]
    assert header(read, "ETag") == header(written, "ETag"), "reads carry the version's ETag too"
    tick()
    rewritten = client.put.secret(project_id=project, data=read.data)
    assert rewritten.data["updatedAt"] == written.data["updatedAt"]
    assert rewritten.data["createdAt"] == written.data["createdAt"]
    assert header(rewritten, "ETag") == header(written, "ETag")
    again = client.get.secret(project_id=project, secret_id="example-secret", show=show).data
    assert again == read.data


def test_team_form_reaches_the_same_groups(client, project, team_id):
    group = client.put.secret(project_id=project, team_id=team_id, data=group_body("Team Form")).data
    assert group["id"] == "team-form"
    assert [s["id"] for s in client.list.secrets.all(project_id=project).data["secrets"]] == ["team-form"]
    assert [s["id"] for s in client.list.secrets.all(project_id=project, team_id=team_id).data["secrets"]] == ["team-form"]
    client.patch.secret(project_id=project, secret_id="team-form", team_id=team_id, data={"priority": 77})
    assert client.get.secret(project_id=project, secret_id="team-form").data["priority"] == 77
    assert client.get.secret(project_id=project, secret_id="team-form", team_id=team_id).data["priority"] == 77


def test_concurrent_puts_of_one_new_name_all_succeed(client, project):
    def put(index):
        body = group_body("Raced Group", secrets={"variables": {"WRITER": str(index)}})
        return client.put.secret(project_id=project, data=body)

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(put, range(8)))
    assert all(response.status == 200 for response in responses)
    assert len({response.data["createdAt"] for response in responses}) == 1, "one creates, the others update"
    assert [s["id"] for s in client.list.secrets.all(project_id=project).data["secrets"]] == ["raced-group"]


# ---------------------------------------------------------------- POST (create)


def test_create_answers_the_full_group(client, project):
    body = reference_body()
    response = client.create.secret(project_id=project, data=body)
    assert response.status == 200
    group = response.data
    assert group["id"] == "example-secret"
    assert group["projectId"] == project
    assert group["name"] == body["name"]
    assert secrets_of(group) == body["secrets"]
    assert group["createdAt"] == group["updatedAt"]


def test_create_of_an_existing_derived_id_is_409(client, project):
    created = client.create.secret(project_id=project, data=reference_body()).data
    clash = group_body("EXAMPLE SECRET", secrets={"variables": {"OTHER": "value"}})
    expect_error(409, lambda: client.create.secret(project_id=project, data=clash), SECRET_EXISTS)
    stored = client.get.secret(project_id=project, secret_id="example-secret", show="this").data
    assert stored["name"] == created["name"]
    assert stored["updatedAt"] == created["updatedAt"]
    assert secrets_of(stored) == secrets_of(created)


# ---------------------------------------------------------------- GET and details


def test_get_answers_every_field(client, project):
    body = reference_body()
    body["stageId"] = "staging"
    body["tags"] = ["team-a"]
    client.put.secret(project_id=project, data=body)
    group = client.get.secret(project_id=project, secret_id="example-secret").data
    for key in ("id", "projectId", "name", "description", "tags", "type", "secretType", "priority", "restrictions",
                "stageId", "addonDependencies", "externalAddonDependencies", "createdAt", "updatedAt", "secrets"):
        assert key in group, key
    assert group["stageId"] == "staging"
    assert group["tags"] == ["team-a"]
    assert group["addonDependencies"] == body["addonDependencies"]
    # example-addon does not exist in this project, so every show gives the group's own values
    assert secrets_of(group) == body["secrets"]


def test_get_show_this_and_inherited_without_addons(client, project):
    body = reference_body()
    client.put.secret(project_id=project, data=body)
    own = client.get.secret(project_id=project, secret_id="example-secret", show="this").data
    assert secrets_of(own) == body["secrets"]
    inherited = client.get.secret(project_id=project, secret_id="example-secret", show="inherited").data
    assert secrets_of(inherited) == {"variables": {}, "files": {}, "dockerSecretMounts": {}}
    assert inherited["id"] == "example-secret" and inherited["name"] == body["name"]


@pytest.fixture
def linked_group(client, project):
    """A group with own values that links addon `example-addon` (USERNAME aliased, PASSWORD plain).

    Its own MONGO_USERNAME collides with the USERNAME alias, so `show=all` shows the own value winning.
    """
    client.create.addon(
        project_id=project,
        data=addon_body("Example Addon", {"USERNAME": "admin", "PASSWORD": "s3cret", "HOST": "db.internal"}),
    )
    body = group_body(
        "Linked Group",
        addonDependencies=[
            {"addonId": "example-addon", "keys": [{"keyName": "USERNAME", "aliases": ["MONGO_USERNAME"]}, {"keyName": "PASSWORD"}]}
        ],
        secrets={
            "variables": {"OWN": "mine", "MONGO_USERNAME": "own-wins"},
            "files": {"/etc/app.conf": {"data": "a2V5PXZhbHVl", "encoding": "utf-8"}},
        },
    )
    client.put.secret(project_id=project, data=body)
    return body


def test_get_show_this_gives_only_own_values(client, project, linked_group):
    group = client.get.secret(project_id=project, secret_id="linked-group", show="this").data
    assert secrets_of(group)["variables"] == {"OWN": "mine", "MONGO_USERNAME": "own-wins"}
    assert secrets_of(group)["files"] == linked_group["secrets"]["files"]


def test_get_show_inherited_gives_only_addon_values(client, project, linked_group):
    group = client.get.secret(project_id=project, secret_id="linked-group", show="inherited").data
    assert secrets_of(group)["variables"] == {
        nf_key("example-addon", "USERNAME"): "admin",  # NF_EXAMPLE-ADDON_USERNAME
        "MONGO_USERNAME": "admin",
        nf_key("example-addon", "PASSWORD"): "s3cret",
    }
    assert secrets_of(group)["files"] == {}
    assert secrets_of(group)["dockerSecretMounts"] == {}


@pytest.mark.parametrize("show", ["all", None])
def test_get_show_all_merges_with_own_values_winning(client, project, linked_group, show):
    group = client.get.secret(project_id=project, secret_id="linked-group", show=show).data
    assert secrets_of(group)["variables"] == {
        "OWN": "mine",
        "MONGO_USERNAME": "own-wins",
        "NF_EXAMPLE-ADDON_USERNAME": "admin",
        "NF_EXAMPLE-ADDON_PASSWORD": "s3cret",
    }
    assert secrets_of(group)["files"] == linked_group["secrets"]["files"]


def test_details_lists_the_linked_addon_secrets(client, project, linked_group):
    details = client.get.secret_details(project_id=project, secret_id="linked-group").data
    assert details["id"] == "linked-group"
    assert details["name"] == "Linked Group"
    assert details["projectId"] == project
    assert details["addonSecrets"] == [
        {
            "id": "example-addon",
            "name": "Example Addon",
            "addonType": "mongodb",
            "version": "7.0",
            "variables": {"NF_EXAMPLE-ADDON_USERNAME": "admin", "NF_EXAMPLE-ADDON_PASSWORD": "s3cret"},
        }
    ]
    assert secrets_of(details)["variables"]["OWN"] == "mine"


def test_details_without_links_has_empty_addon_secrets(client, project):
    client.put.secret(project_id=project, data=group_body("Plain", secrets={"variables": {"A": "1"}}))
    details = client.get.secret_details(project_id=project, secret_id="plain").data
    assert details["addonSecrets"] == []
    assert details["id"] == "plain"


# ---------------------------------------------------------------- PATCH


@pytest.fixture
def patched_group(client, project):
    body = reference_body()
    body.update(tags=["team-a"], stageId="staging")
    return client.put.secret(project_id=project, data=body).data


def patch(client, project, data):
    return client.patch.secret(project_id=project, secret_id="example-secret", data=data).data


@pytest.mark.parametrize(
    "field, value",
    [
        ("description", "Another description"),
        ("priority", 42),
        ("type", "config"),
        ("secretType", "environment-arguments"),
        ("tags", ["team-b", "blue"]),
        ("stageId", "production"),
        ("addonDependencies", [{"addonId": "other-addon", "keys": [{"keyName": "HOST", "aliases": ["DB_HOST"]}]}]),
        ("externalAddonDependencies", []),
    ],
)
def test_patch_replaces_one_field_and_keeps_the_others(client, project, patched_group, tick, field, value):
    tick()
    group = patch(client, project, {field: value})
    assert group[field] == value
    for key, before in patched_group.items():
        if key not in (field, "updatedAt"):
            assert group[key] == before, key
    assert group["updatedAt"] > patched_group["updatedAt"]
    stored = client.get.secret(project_id=project, secret_id="example-secret", show="this").data
    assert stored[field] == value


def test_patch_restrictions_replaces_them_wholesale(client, project, patched_group):
    group = patch(client, project, {"restrictions": {"restricted": True, "tags": ["web"], "tagMatchCondition": "and"}})
    assert group["restrictions"] == {**DEFAULT_RESTRICTIONS, "restricted": True, "tags": ["web"], "tagMatchCondition": "and"}


def test_patch_secrets_replaces_each_present_sub_map_only(client, project, patched_group):
    original = patched_group["secrets"]
    new_variables = {"ONLY": "variable"}
    group = patch(client, project, {"secrets": {"variables": new_variables}})
    assert secrets_of(group) == {**original, "variables": new_variables}

    new_files = {"/srv/other": {"data": "b3RoZXI=", "encoding": "utf-8"}}
    group = patch(client, project, {"secrets": {"files": new_files}})
    assert secrets_of(group) == {**original, "variables": new_variables, "files": new_files}

    group = patch(client, project, {"secrets": {"dockerSecretMounts": {}}})
    assert secrets_of(group) == {"variables": new_variables, "files": new_files, "dockerSecretMounts": {}}

    stored = client.get.secret(project_id=project, secret_id="example-secret", show="this").data
    assert secrets_of(stored) == secrets_of(group)


def test_patch_stage_id_null_clears_it(client, project, patched_group):
    assert patched_group["stageId"] == "staging"
    group = patch(client, project, {"stageId": None})
    assert group.get("stageId") is None
    stored = client.get.secret(project_id=project, secret_id="example-secret").data
    assert stored.get("stageId") is None


def test_patch_name_is_refused(client, project, patched_group):
    error = expect_error(400, lambda: patch(client, project, {"name": "Renamed Secret"}))
    assert "name" in (error.details or {}), error.details
    stored = client.get.secret(project_id=project, secret_id="example-secret").data
    assert stored["name"] == patched_group["name"]
    assert stored["updatedAt"] == patched_group["updatedAt"]


def test_patch_invalid_value_is_400_and_changes_nothing(client, project, patched_group):
    error = expect_error(400, lambda: patch(client, project, {"priority": 101, "tags": ["x"]}))
    assert {"priority", "tags[0]"} <= set(error.details or {}), error.details
    stored = client.get.secret(project_id=project, secret_id="example-secret").data
    assert stored["priority"] == patched_group["priority"]


# ---------------------------------------------------------------- POST /secrets/{id} (update)


def test_update_answers_empty_data_and_applies_the_change(client, project, patched_group):
    response = client.update.secret(
        project_id=project,
        secret_id="example-secret",
        data={"description": "Updated by POST", "priority": 5, "secrets": {"variables": {"NEW": "1"}}},
    )
    assert response.status == 200
    assert response.data == {}
    stored = client.get.secret(project_id=project, secret_id="example-secret", show="this").data
    assert stored["description"] == "Updated by POST"
    assert stored["priority"] == 5
    assert secrets_of(stored) == {**patched_group["secrets"], "variables": {"NEW": "1"}}
    assert stored["tags"] == patched_group["tags"]
    assert stored["stageId"] == patched_group["stageId"]


@pytest.mark.parametrize("field, value", [("tags", ["x-tag"]), ("stageId", "prod"), ("name", "Renamed")])
def test_update_refuses_fields_only_patch_or_put_accept(client, project, patched_group, field, value):
    error = expect_error(
        400, lambda: client.update.secret(project_id=project, secret_id="example-secret", data={field: value})
    )
    assert field in (error.details or {}), error.details


# ---------------------------------------------------------------- DELETE


def test_delete_then_404(client, project):
    client.put.secret(project_id=project, data=group_body("Doomed"))
    client.put.secret(project_id=project, data=group_body("Kept"))
    response = client.delete.secret(project_id=project, secret_id="doomed")
    assert response.status == 200
    assert response.data == {}
    expect_error(404, lambda: client.get.secret(project_id=project, secret_id="doomed"), "Secret 'doomed' not found")
    expect_error(404, lambda: client.delete.secret(project_id=project, secret_id="doomed"), "Secret 'doomed' not found")
    assert [s["id"] for s in client.list.secrets.all(project_id=project).data["secrets"]] == ["kept"]
    # the id is free again
    assert client.create.secret(project_id=project, data=group_body("Doomed")).data["id"] == "doomed"
