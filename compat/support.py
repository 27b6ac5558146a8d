"""Helpers shared by the compatibility tests (bodies, error expectations, naming rules of API.md)."""

from __future__ import annotations

import copy
import json
import re
import uuid
from pathlib import Path
from typing import Any, Callable, Dict, Optional

import pytest
from northflank import ApiCallError, ApiClient

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RFC3339_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")

# The reference API's messages (API.md sections 1, 3, 7).
INVALID_TOKEN = "The token used to authenticate is not valid"
SECRET_EXISTS = "There is already a secret with the same derived identifier"


def reference_body() -> Dict[str, Any]:
    """A fresh copy of examples/put-secret.request.json (the product docs' example)."""
    return json.loads((FIXTURES / "put-secret.request.json").read_text(encoding="utf-8"))


def group_body(name: str, **fields: Any) -> Dict[str, Any]:
    """A minimal valid secret-group body: name, secretType, priority, plus any fields given."""
    body: Dict[str, Any] = {"name": name, "secretType": "environment", "priority": 10}
    body.update(copy.deepcopy(fields))
    return body


def derived_id(name: str) -> str:
    """API.md section 3: the name lowercased, every whitespace character replaced by '-'."""
    return re.sub(r"\s", "-", name.lower())


def nf_key(addon_id: str, key: str) -> str:
    """API.md section 5: a linked key surfaces as NF_<ADDON-ID uppercased>_<keyName>."""
    return f"NF_{addon_id.upper()}_{key}"


def addon_body(name: str, credentials: Dict[str, str], type_: str = "mongodb", version: str = "7.0") -> Dict[str, Any]:
    """Coffer's addon body (API.md section 5): {name, type, version, credentials}."""
    return {"name": name, "type": type_, "version": version, "credentials": dict(credentials)}


def new_project(client: ApiClient) -> str:
    name = f"Compat {uuid.uuid4().hex[:12]}"
    return client.create.project(data={"name": name}).data["id"]


def expect_error(status: int, call: Callable[[], Any], message: Optional[str] = None) -> ApiCallError:
    """Run an SDK call that must fail with `status` (and `message`, if given); return the ApiCallError."""
    with pytest.raises(ApiCallError) as info:
        call()
    error = info.value
    assert error.status == status, f"expected HTTP {status}, got {error.status}: {error.message!r} details={error.details!r}"
    if message is not None:
        assert error.message == message, f"HTTP {status} message: expected {message!r}, got {error.message!r}"
    assert isinstance(error.id, str) and error.id, "the error envelope must carry a request id"
    return error


def header(response: Any, name: str) -> Optional[str]:
    """A response header, case-insensitively (the SDK keeps the server's spelling)."""
    for key, value in response.headers.items():
        if key.lower() == name.lower():
            return value
    return None


def secrets_of(group: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """`secrets` with each sub-map present (absent ones read as empty)."""
    values = group.get("secrets") or {}
    return {
        "variables": values.get("variables") or {},
        "files": values.get("files") or {},
        "dockerSecretMounts": values.get("dockerSecretMounts") or {},
    }


DEFAULT_RESTRICTIONS = {
    "restricted": False,
    "nfObjects": [],
    "tags": [],
    "tagMatchCondition": "or",
    "stageIds": [],
}
