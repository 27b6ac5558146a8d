"""Errors as the SDK sees them: ApiCallError(status, message, id, details) built from the error envelope.

The SDK takes `status` from the HTTP status line, and `message`, `id`, `details` from
`{"error": {...}}` of the body (message falls back to the raw body text). API.md section 1.
"""

from __future__ import annotations

import json

import httpx
import pytest
from northflank import ApiCallError, ApiClient

from support import INVALID_TOKEN, SECRET_EXISTS, expect_error, group_body, header, reference_body

# ---------------------------------------------------------------- 400


def test_400_details_are_keyed_by_json_path_all_at_once(client, project):
    body = reference_body()
    body["name"] = "no!"  # breaks the pattern
    body["restrictions"]["nfObjects"][0]["type"] = "addon"
    del body["priority"]
    error = expect_error(400, lambda: client.put.secret(project_id=project, data=body))
    details = error.details
    assert isinstance(details, dict), details
    assert {"name", "restrictions.nfObjects[0].type", "priority"} <= set(details), details
    assert details["restrictions.nfObjects[0].type"] == ["must be one of: service, job"]
    for path, messages in details.items():
        assert isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages), (path, messages)
    assert error.message


@pytest.mark.parametrize(
    "fields, path",
    [
        ({"priority": 10.5}, "priority"),
        ({"priority": 101}, "priority"),
        ({"secretType": "runtime"}, "secretType"),
        ({"tags": ["ok-tag", "x"]}, "tags[1]"),
        ({"stageId": "no spaces"}, "stageId"),
        ({"restrictions": {"nfObjects": [{"id": "svc"}]}}, "restrictions.nfObjects[0].type"),
        ({"restrictions": {"tagMatchCondition": "xor"}}, "restrictions.tagMatchCondition"),
        ({"addonDependencies": [{"addonId": "a", "keys": [{"keyName": "123"}]}]}, "addonDependencies[0].keys[0].keyName"),
        # keys that are not plain identifiers print quoted in brackets (Coffer's JSONPath rendering)
        ({"secrets": {"variables": {"BAD KEY": "v"}}}, 'secrets.variables["BAD KEY"]'),
        ({"secrets": {"variables": {"NULLED": None}}}, "secrets.variables.NULLED"),
        ({"secrets": {"files": {"relative/path": {"data": "YQ==", "encoding": "utf-8"}}}}, 'secrets.files["relative/path"]'),
        ({"secrets": {"files": {"/bad/base64": {"data": "%%%", "encoding": "utf-8"}}}}, 'secrets.files["/bad/base64"].data'),
        ({"colour": "red"}, "colour"),
    ],
)
def test_400_names_the_offending_path(client, project, fields, path):
    body = group_body("Valid Name", **fields)
    error = expect_error(400, lambda: client.put.secret(project_id=project, data=body))
    assert path in (error.details or {}), error.details


def test_400_on_create_too(client, project):
    error = expect_error(400, lambda: client.create.secret(project_id=project, data={"name": "ab"}))
    assert {"name", "secretType", "priority"} <= set(error.details or {}), error.details


def test_400_never_echoes_a_value(client, project):
    marker = "Do-Not-Echo-7f3a9c"
    body = group_body("Valid Name", description=marker + "<>", secrets={"variables": {"K": {"nested": marker}}})
    error = expect_error(400, lambda: client.put.secret(project_id=project, data=body))
    assert marker not in error.message
    assert marker not in json.dumps(error.details)


# ---------------------------------------------------------------- 401


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda c, p: c.list.projects(), id="list.projects"),
        pytest.param(lambda c, p: c.put.secret(project_id=p, data=reference_body()), id="put.secret"),
        pytest.param(lambda c, p: c.get.secret(project_id=p, secret_id="example-secret"), id="get.secret"),
        pytest.param(lambda c, p: c.list.secrets(project_id=p), id="list.secrets"),
        pytest.param(lambda c, p: c.list.addons(project_id=p), id="list.addons"),
    ],
)
def test_401_for_a_token_that_is_not_valid(server, project, call):
    impostor = server.client(token="coffer_" + "x" * 43)
    expect_error(401, lambda: call(impostor, project), INVALID_TOKEN)


# ---------------------------------------------------------------- 403


def test_403_for_another_team(client, project):
    expect_error(
        403, lambda: client.put.secret(project_id=project, team_id="someone-elses-team", data=group_body("Nope Group"))
    )


# ---------------------------------------------------------------- 404


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda c: c.put.secret(project_id="nope", data=reference_body()), id="put.secret"),
        pytest.param(lambda c: c.create.secret(project_id="nope", data=reference_body()), id="create.secret"),
        pytest.param(lambda c: c.get.project(project_id="nope"), id="get.project"),
        pytest.param(lambda c: c.list.secrets(project_id="nope"), id="list.secrets"),
        pytest.param(lambda c: c.get.secret(project_id="nope", secret_id="example-secret"), id="get.secret"),
        pytest.param(lambda c: c.list.addons(project_id="nope"), id="list.addons"),
    ],
)
def test_404_unknown_project(client, call):
    expect_error(404, lambda: call(client), "Project 'nope' not found")


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda c, p: c.get.secret(project_id=p, secret_id="nope"), id="get.secret"),
        pytest.param(lambda c, p: c.get.secret(project_id=p, secret_id="nope", show="this"), id="get.secret-this"),
        pytest.param(lambda c, p: c.get.secret_details(project_id=p, secret_id="nope"), id="get.secret_details"),
        pytest.param(lambda c, p: c.patch.secret(project_id=p, secret_id="nope", data={"priority": 1}), id="patch.secret"),
        pytest.param(lambda c, p: c.update.secret(project_id=p, secret_id="nope", data={"priority": 1}), id="update.secret"),
        pytest.param(lambda c, p: c.delete.secret(project_id=p, secret_id="nope"), id="delete.secret"),
    ],
)
def test_404_unknown_group(client, project, call):
    expect_error(404, lambda: call(client, project), "Secret 'nope' not found")


# ---------------------------------------------------------------- 409


def test_409_create_secret(client, project):
    client.create.secret(project_id=project, data=group_body("Twice"))
    expect_error(409, lambda: client.create.secret(project_id=project, data=group_body("TWICE")), SECRET_EXISTS)


def test_409_create_project(client, project):
    name = client.get.project(project_id=project).data["name"]
    expect_error(409, lambda: client.create.project(data={"name": name}))


# ---------------------------------------------------------------- 412 (beyond the reference API: ETag / If-Match)


def with_headers(server, headers) -> ApiClient:
    """The SDK cannot add headers per call; an injected httpx client can (the SDK then sends through it)."""
    return ApiClient(api_token=server.token, base_url=server.base_url, http_client=httpx.Client(headers=headers))


def test_412_if_match_mismatch_changes_nothing(server, client, project):
    written = client.put.secret(project_id=project, data=reference_body())
    etag = header(written, "ETag")
    assert etag, "writes answer with an ETag"
    changed = reference_body()
    changed["priority"] = 11
    stale = with_headers(server, {"If-Match": '"stale-version"'})
    expect_error(412, lambda: stale.put.secret(project_id=project, data=changed))
    expect_error(412, lambda: stale.patch.secret(project_id=project, secret_id="example-secret", data={"priority": 12}))
    stored = client.get.secret(project_id=project, secret_id="example-secret").data
    assert stored["priority"] == 10 and stored["updatedAt"] == written.data["updatedAt"]

    fresh = with_headers(server, {"If-Match": etag})
    response = fresh.patch.secret(project_id=project, secret_id="example-secret", data={"priority": 13})
    assert response.data["priority"] == 13
    assert header(response, "ETag") != etag


# ---------------------------------------------------------------- the envelope itself


def test_error_id_is_the_request_id_header(server, project):
    quiet = server.client(throw_on_http_error=False)
    response = quiet.put.secret(project_id="nope", data=reference_body())
    assert response.status == 404
    assert isinstance(response.error, ApiCallError)
    assert response.error.id and response.error.id == header(response, "X-Request-Id")
    assert response.data is None, "an error body has no `data`"
    body = json.loads(response.raw_text)
    assert set(body) == {"error"}
    assert body["error"]["status"] == 404
    assert body["error"]["message"] == "Project 'nope' not found"


def test_no_value_reaches_the_server_log(server, client, project):
    marker = "LogCanary-91b2e7"
    client.put.secret(project_id=project, data=group_body("Canary", secrets={"variables": {"CANARY": marker}}))
    with pytest.raises(ApiCallError):
        client.put.secret(project_id=project, data=group_body("Canary", priority=marker))
    assert marker not in server.log_text()
    assert server.token not in server.log_text()
