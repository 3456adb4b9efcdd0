"""Time the web pages in headless Chromium against a store: until each page shows its data.

    .venv/bin/python scripts/ui_timings.py --db events.duckdb [--runs 5]

Starts the server (uvicorn in a thread, as the tests do) on a free port,
opens each page in Debian's Chromium at 1280×800 and measures from
navigation start until the page's data is on screen (the element named in
PAGES is visible). The first visit per page warms caches and is not
counted; the median and worst of the other runs are printed in
milliseconds.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: Page, and the element that shows its data has arrived.
PAGES = {
    "/": "#events-total",
    "/?quad=material+conflict": "#events-total",
    "/map": "#map-status[data-count]",
    "/timeline?interval=week": "g.bar, #timeline .empty",
    "/network": "a.node, #network .empty",
    "/stories": "#stories-total, #story-list .empty",
}


def serve(db: Path) -> tuple[str, uvicorn.Server, threading.Thread]:
    from hendelse.serve.app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            sys.exit("the server did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, thread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the store to serve")
    parser.add_argument("--runs", type=int, default=5, help="timed visits per page (default 5)")
    options = parser.parse_args()
    if not options.db.exists():
        sys.exit(f"no store at {options.db}: make one with `hendelse ingest ARTICLES --db FILE`")
    base, server, thread = serve(options.db)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            print(f"{'page':32} {'median ms':>10} {'worst ms':>9}")
            for path, ready in PAGES.items():
                times = []
                for run in range(options.runs + 1):
                    started = time.perf_counter()
                    page.goto(base + path)
                    page.locator(ready).first.wait_for(state="attached", timeout=60_000)
                    if run:  # the first visit warms caches
                        times.append((time.perf_counter() - started) * 1000)
                print(f"{path:32} {statistics.median(times):10.0f} {max(times):9.0f}")
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)


if __name__ == "__main__":
    main()
