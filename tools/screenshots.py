"""Screenshots of the dashboard for the README, taken by headless Chromium against `telex serve`.

    python tools/screenshots.py --db out/demo.duckdb --out docs/img      (or: make screenshots)

Writes overview.png and network.png. Uses Debian's /usr/bin/chromium through playwright (no browser download).
"""

from __future__ import annotations

import argparse
import http.client
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWS = {"overview": "/", "network": "/network"}


def wait_for(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("telex serve exited before answering")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("telex serve did not answer within 30 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="out/demo.duckdb")
    parser.add_argument("--out", default="docs/img")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-c", "from telex.cli import app; app()", "serve", "--db", args.db,
                               "--port", str(port)])
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        wait_for(port, server)
        with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
            context = p.chromium.launch_persistent_context(profile, executable_path=args.chromium, headless=True,
                                                           args=ARGS, viewport={"width": 1280, "height": 900})
            page = context.new_page()
            for name, path in VIEWS.items():
                page.goto(f"http://127.0.0.1:{port}{path}")
                page.wait_for_selector("body[data-ready]")
                page.screenshot(path=str(out / f"{name}.png"), full_page=True)
                print(f"wrote {out / (name + '.png')}")
            context.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
