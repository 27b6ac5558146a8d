"""Session fixtures: one `coffer serve` process for the whole run, and an SDK client pointed at it.

The suite builds nothing. It runs the binary named by COFFER_BIN (default: <repo>/.build/debug/coffer)
on a free port with a fresh data directory and a generated admin token, and stops it with SIGTERM at
the end, expecting a clean exit (status 0).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import List

import pytest
from northflank import ApiClient

from support import new_project

REPO = Path(__file__).resolve().parent.parent
LISTENING = re.compile(r"Coffer listening on http://127\.0\.0\.1:(\d+)")
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0


@dataclass
class Server:
    """A running `coffer serve`: where it listens, its admin token, and everything it logged so far."""

    process: subprocess.Popen
    port: int
    token: str
    data_dir: Path
    stderr_lines: List[str] = field(default_factory=list)
    stdout_lines: List[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        return "".join(self.stdout_lines) + "".join(self.stderr_lines)

    def client(self, token: str | None = None, **kwargs) -> ApiClient:
        return ApiClient(api_token=token or self.token, base_url=self.base_url, **kwargs)


def _drain(stream, sink: List[str], ready: threading.Event | None = None, found: list | None = None) -> None:
    """Keep reading a pipe so the server never blocks on a full buffer; note the port when it appears."""
    for line in iter(stream.readline, ""):
        sink.append(line)
        if ready is not None and not ready.is_set():
            match = LISTENING.search(line)
            if match:
                found.append(int(match.group(1)))
                ready.set()
    if ready is not None:
        ready.set()  # EOF: unblock the waiter, which then sees no port


@pytest.fixture(scope="session")
def server():
    binary = Path(os.environ.get("COFFER_BIN", REPO / ".build" / "debug" / "coffer"))
    if not binary.is_file():
        pytest.exit(f"coffer binary not found at {binary}; run `swift build` or set COFFER_BIN", returncode=2)

    data_dir = Path(tempfile.mkdtemp(prefix="coffer-compat-"))
    token = "coffer_" + secrets.token_urlsafe(32)  # >= 32 characters
    env = dict(os.environ, COFFER_ADMIN_TOKEN=token)
    env.pop("COFFER_MASTER_KEY", None)  # a fresh store generates its own key into data_dir
    process = subprocess.Popen(
        [str(binary), "serve", "--port", "0", "--data-dir", str(data_dir / "data")],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    stderr_lines: List[str] = []
    stdout_lines: List[str] = []
    ready = threading.Event()
    found: list = []
    threading.Thread(target=_drain, args=(process.stderr, stderr_lines, ready, found), daemon=True).start()
    threading.Thread(target=_drain, args=(process.stdout, stdout_lines), daemon=True).start()

    if not ready.wait(START_TIMEOUT_S) or not found:
        process.kill()
        process.wait()
        pytest.exit(
            "coffer did not report its port; stderr:\n" + "".join(stderr_lines),
            returncode=2,
        )

    srv = Server(process, found[0], token, data_dir, stderr_lines, stdout_lines)
    try:
        yield srv
    finally:
        exit_code = None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                exit_code = process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        else:
            exit_code = process.returncode
        shutil.rmtree(data_dir, ignore_errors=True)
        assert exit_code == 0, (
            f"coffer did not exit cleanly on SIGTERM (exit code {exit_code}); last stderr lines:\n"
            + "".join(stderr_lines[-20:])
        )


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
