"""Kubernetes' External Secrets Operator reads Coffer through its generic `webhook` provider (API.md section 14).

These tests send exactly what the provider sends: the SecretStore's URL template rendered with the ExternalSecret's
`remoteRef.key`, the `Authorization` header rendered from the token secret, a GET without a body; and then read the
answer the way it does, with a JSONPath library (`result.jsonPath`). The SecretStore and ExternalSecrets below are the
README's, so what is tested is what users copy.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any, Dict, Tuple

from jsonpath_ng.ext import parse as jsonpath

from support import group_body

# The README's SecretStore (spec.provider.webhook), with the server's address and project filled in by the test.
URL_TEMPLATE = "{base}/v1/projects/{project}/services/api/runtime-environment/values/{{{{ .remoteRef.key }}}}"
URL_TEMPLATE_ALL = "{base}/v1/projects/{project}/services/api/runtime-environment/values"
HEADERS_TEMPLATE = {"Authorization": "Bearer {{ print .auth.token }}"}


def render(template: str, remote_key: str = "", token: str = "") -> str:
    """ESO renders templates with Go's text/template; these use two fields, substituted the same way."""
    rendered = re.sub(r"\{\{\s*\.remoteRef\.key\s*\}\}", remote_key, template)
    return re.sub(r"\{\{\s*print \.auth\.token\s*\}\}", token, rendered)


def provider_get(url_template: str, token: str, remote_key: str = "") -> Tuple[int, Any]:
    """One webhook request: GET, the rendered headers, no body (the provider's default method)."""
    request = urllib.request.Request(render(url_template, remote_key), method="GET")
    for name, value in HEADERS_TEMPLATE.items():
        request.add_header(name, render(value, token=token))
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def call(server, method: str, path: str, body: Dict[str, Any] | None = None) -> Dict[str, Any]:
    request = urllib.request.Request(server.base_url + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Authorization", f"Bearer {server.token}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def seeded(server, client, project: str) -> str:
    """Service `api` in `project` inheriting a secret group with a templated value; answers a workload token for it."""
    body = group_body("Database", type="secret", secrets={"variables": {"DB_HOST": "db.internal", "DB_URL": "postgres://${DB_HOST}/app"}})
    client.put.secret(project_id=project, data=body)
    call(server, "POST", f"/v1/projects/{project}/services", {"name": "api"})
    created = call(server, "POST", "/v1/tokens", {
        "name": "external-secrets", "role": "workload", "workload": {"projectId": project, "kind": "service", "id": "api"},
    })
    return created["data"]["secret"]


def test_data_from_extract_reads_every_variable_as_flat_strings(server, client, project):
    token = seeded(server, client, project)
    status, answer = provider_get(URL_TEMPLATE_ALL.format(base=server.base_url, project=project), token)
    assert status == 200
    matches = jsonpath("$.data").find(answer)
    assert len(matches) == 1
    data = matches[0].value
    # dataFrom.extract needs an object of strings; templates come resolved.
    assert data == {"DB_HOST": "db.internal", "DB_URL": "postgres://db.internal/app"}
    assert all(isinstance(value, str) for value in data.values())


def test_data_with_a_remote_key_reads_one_value(server, client, project):
    token = seeded(server, client, project)
    template = URL_TEMPLATE.format(base=server.base_url, project=project)
    status, answer = provider_get(template, token, remote_key="DB_URL")
    assert status == 200
    assert [match.value for match in jsonpath("$.data.value").find(answer)] == ["postgres://db.internal/app"]

    # A key the workload does not have is a 404 with the error envelope, which the provider reports as a failure.
    status, answer = provider_get(template, token, remote_key="NOPE")
    assert status == 404
    assert "NOPE" in answer["error"]["message"]


def test_the_workload_token_reads_its_own_workload_only(server, client, project):
    token = seeded(server, client, project)
    call(server, "POST", f"/v1/projects/{project}/services", {"name": "other"})
    other = URL_TEMPLATE_ALL.format(base=server.base_url, project=project).replace("/services/api/", "/services/other/")
    status, _ = provider_get(other, token)
    assert status == 403
    status, _ = provider_get(URL_TEMPLATE_ALL.format(base=server.base_url, project=project), "coffer_not-a-real-token-0123456789abcdef")
    assert status == 401
