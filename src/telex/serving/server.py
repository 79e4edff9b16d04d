"""Starting the server: the checks that come before listening, then uvicorn."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import subprocess
import sys
import time
from pathlib import Path

LOOPBACK_NAMES = {"localhost", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, token: str | None, insecure: bool) -> None:
    """Anyone who can reach a non-loopback address could read the database: require a token, or an explicit
    --insecure."""
    if not is_loopback(host) and not token and not insecure:
        raise ValueError(f"refusing to listen on {host} without a token: pass --token (or set TELEX_TOKEN), "
                         "or --insecure to serve the database to anyone who can reach this address")


def serve(db: Path, host: str = "127.0.0.1", port: int = 8000, token: str | None = None, insecure: bool = False,
          query_timeout: float = 10.0) -> None:
    import uvicorn

    from telex.serving.app import create_app

    check_exposure(host, token, insecure)
    app = create_app(db, token=token, query_timeout=query_timeout)
    # h11's header limit bounds the request line and headers; the app itself bounds URL length and body size.
    # limit_concurrency counts open keep-alive connections too: 256 lets dozens of clients in (bench/api_load.py
    # runs 50) and still answers 503 rather than queueing without end under a flood.
    uvicorn.run(app, host=host, port=port, log_level="warning", h11_max_incomplete_event_size=16 * 1024,
                limit_concurrency=256, timeout_keep_alive=5, server_header=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_local(db: str | Path, timeout: float = 30.0, **popen) -> tuple[subprocess.Popen, int]:
    """`telex serve` in a subprocess on a free loopback port, returned once /api/health answers (the browser
    tests, the screenshots and the load bench all need a real server). Raises RuntimeError if it exits first
    or does not answer in time."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", "from telex.cli import app; app()", "serve", "--db", str(db),
                                "--port", str(port)], **popen)
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/health")
            if connection.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
    exited = process.poll() is not None
    process.kill()
    output = process.communicate()[0] if process.stdout else None
    raise RuntimeError(("telex serve exited before answering" if exited
                        else f"telex serve did not answer within {timeout:g} s") + (f": {output}" if output else ""))
