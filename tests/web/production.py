"""Helpers of the production-server tests: start `bin/serve` (what `make serve` runs) or
gunicorn in a subprocess on a loopback port of this branch's range, and talk HTTP to it."""
from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PORTS = range(51200, 51300)  # the loopback ports the test machine gives these tests


def free_port() -> int:
    """Return a port of PORTS nobody listens on now."""
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 51200-51299")


def server_env(tmp_path: Path, database_url: str, port: int, **extra: str) -> dict[str, str]:
    """Return the environment of a production server: configuration from FLASK_* only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "WEB_"))}
    env.update({
        "FLASK_DATABASE_URL": database_url, "FLASK_SECRET_KEY": "production-test",
        "FLASK_ENCODER": "hashing", "FLASK_SEARCH_INDEX_DIR": str(tmp_path / "idx"),
        "WEB_BIND": f"127.0.0.1:{port}", "WEB_WORKERS": "2", "PYTHON": sys.executable,
    })
    env.update(extra)
    return env


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start `command` in the repository with its output going to `log`."""
    with log.open("w") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, env=env, cwd=REPO, stdout=out,
                                stderr=subprocess.STDOUT)


def get(port: int, path: str, headers: dict[str, str] | None = None
        ) -> tuple[int, dict[str, str], bytes]:
    """GET `path` from 127.0.0.1:port; return (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def wait_until_listening(process: subprocess.Popen, log: Path, limit: float = 120) -> None:
    """Wait until gunicorn's master has bound its socket (it logs "Listening at").

    Connecting before would be refused, and retried connections to a port of the ephemeral
    range can connect the client to itself (TCP simultaneous open)."""
    deadline = time.monotonic() + limit
    while "Listening at" not in log.read_text():
        if process.poll() is not None:
            raise AssertionError(f"server exited {process.returncode}:\n{log.read_text()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"not listening after {limit} s:\n{log.read_text()}")
        time.sleep(0.1)


def wait_until_ready(process: subprocess.Popen, port: int, log: Path,
                     limit: float = 120) -> dict:
    """Poll /readyz until it answers 200; return its JSON body (fails on exit or timeout)."""
    deadline = time.monotonic() + limit
    wait_until_listening(process, log, limit)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited {process.returncode}:\n{log.read_text()}")
        try:
            status, _, body = get(port, "/readyz")
        except OSError:
            time.sleep(0.2)
            continue
        if status == 200:
            return json.loads(body)
        time.sleep(0.2)
    raise AssertionError(f"not ready after {limit} s:\n{log.read_text()}")


def stop(process: subprocess.Popen, timeout: float = 40) -> int:
    """Send SIGTERM and return the exit code (killed if it does not exit in time)."""
    if process.poll() is None:
        process.terminate()
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise
