"""Session fixtures: one `coffer serve` process for the whole run, and an SDK client pointed at it.

The suite builds nothing. It runs the binary named by COFFER_BIN (default: <repo>/.build/debug/coffer)
on a free port with a fresh data directory and a generated admin token, and stops it with SIGTERM at
the end, expecting a clean exit (status 0): `scripts/coffer_process.py`, shared with the console's suite.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from northflank import ApiClient

from support import new_project

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import coffer_process  # noqa: E402  (the launcher shared with the console's suite)


class Server(coffer_process.CofferProcess):
    """The running `coffer serve`, and SDK clients of it."""

    def client(self, token: str | None = None, **kwargs) -> ApiClient:
        return ApiClient(api_token=token or self.token, base_url=self.base_url, **kwargs)


@pytest.fixture(scope="session")
def server():
    with coffer_process.running("coffer-compat-", Server) as srv:
        yield srv


@pytest.fixture(scope="session")
def client(server: Server) -> ApiClient:
    """The SDK client the tests drive: `ApiClient(api_token=token, base_url=...)`."""
    return ApiClient(api_token=server.token, base_url=server.base_url)


@pytest.fixture(scope="session")
def team_id() -> str:
    """The admin token's team (the team created on first start). Not named by API.md; override with COFFER_TEAM_ID."""
    return os.environ.get("COFFER_TEAM_ID", "default")


@pytest.fixture
def project(client: ApiClient) -> str:
    """A fresh, empty project per test, so tests never see each other's groups or addons."""
    return new_project(client)


@pytest.fixture
def tick():
    """Sleep past the millisecond resolution of timestamps, so an `updatedAt` that should move can move."""

    def _tick() -> None:
        time.sleep(0.005)

    return _tick
