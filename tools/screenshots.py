"""Screenshots of the dashboard for the README, taken by headless Chromium against `telex serve`.

    python tools/screenshots.py --db out/demo.duckdb --out docs/img      (or: make screenshots)

Writes overview.png and network.png. Uses Debian's /usr/bin/chromium through playwright (no browser download).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWS = {"overview": "/", "network": "/network"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="out/demo.duckdb")
    parser.add_argument("--out", default="docs/img")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from telex.serving.server import start_local

    try:
        server, port = start_local(args.db)
    except RuntimeError as error:
        raise SystemExit(str(error)) from None
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
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
