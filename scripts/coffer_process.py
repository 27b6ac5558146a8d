"""`coffer serve` as a child process, for the Python suites (`compat/`, `console/`) and nothing else.

It runs the built binary (COFFER_BIN, default <repo>/.build/debug/coffer) on a free loopback port with a fresh data
directory and a generated admin token, keeps reading its output so it never blocks on a full pipe, and stops it with
SIGTERM, expecting a clean exit (status 0). It builds nothing.
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
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, List, Optional, Type, TypeVar

import pytest

REPO = Path(__file__).resolve().parent.parent
LISTENING = re.compile(r"Coffer listening on http://127\.0\.0\.1:(\d+)")
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0


class NotStarted(Exception):
    """The binary is missing, or the server exited or stayed silent before it reported its port."""


@dataclass
class CofferProcess:
    """A running `coffer serve`: where it listens, its admin token and data directory, and everything it logged."""

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


Process = TypeVar("Process", bound=CofferProcess)


def _drain(stream, sink: List[str], ready: Optional[threading.Event] = None, found: Optional[list] = None) -> None:
    """Keeps reading a pipe so the server never blocks on a full buffer; notes the port when it appears."""
    for line in iter(stream.readline, ""):
        sink.append(line)
        if ready is not None and not ready.is_set():
            match = LISTENING.search(line)
            if match:
                found.append(int(match.group(1)))
                ready.set()
    if ready is not None:
        ready.set()  # EOF: unblock the waiter, which then sees no port


def start(prefix: str, kind: Type[Process] = CofferProcess) -> Process:
    """Starts the server with its data in a new temporary directory named after `prefix`; raises NotStarted."""
    binary = Path(os.environ.get("COFFER_BIN", REPO / ".build" / "debug" / "coffer"))
    if not binary.is_file():
        raise NotStarted(f"coffer binary not found at {binary}; run `swift build` or set COFFER_BIN")
    data_dir = Path(tempfile.mkdtemp(prefix=prefix))
    token = "coffer_" + secrets.token_urlsafe(32)  # >= 32 characters
    env = dict(os.environ, COFFER_ADMIN_TOKEN=token)
    env.pop("COFFER_MASTER_KEY", None)  # a fresh store generates its own key into data_dir
    process = subprocess.Popen(
        [str(binary), "serve", "--port", "0", "--data-dir", str(data_dir / "data")],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1,
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
        shutil.rmtree(data_dir, ignore_errors=True)
        raise NotStarted("coffer did not report its port; stderr:\n" + "".join(stderr_lines))
    return kind(process, found[0], token, data_dir, stderr_lines, stdout_lines)


def stop(server: CofferProcess) -> None:
    """SIGTERM (unless it already exited), then the data directory goes; asserts the exit was clean."""
    process = server.process
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
    shutil.rmtree(server.data_dir, ignore_errors=True)
    assert exit_code == 0, (
        f"coffer did not exit cleanly on SIGTERM (exit code {exit_code}); last stderr lines:\n" + "".join(server.stderr_lines[-20:])
    )


@contextmanager
def running(prefix: str, kind: Type[Process] = CofferProcess) -> Iterator[Process]:
    """A session fixture's body: the server for the `with` block, stopped after it; a server that cannot start ends
    the pytest run (status 2) with the reason."""
    try:
        server = start(prefix, kind)
    except NotStarted as error:
        pytest.exit(str(error), returncode=2)
    try:
        yield server
    finally:
        stop(server)
