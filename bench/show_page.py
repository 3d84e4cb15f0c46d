"""Show-page time-to-content under load: 50 loads in headless Chromium while 200 simulated visitors
keep opening show pages against the same backend.

A simulated visitor does what a browser does on the wire: GET the page's HTML, open the Reflex event
websocket (socket.io) with a fresh session token, send the page's hydrate-and-load event (captured from a
real Chromium session at start-up, so it matches this build), wait for the state that carries the page's
data, close, and open the next show. Time-to-content is measured in Chromium from navigation start
until the show title and the ticket action are on screen.

Usage: python bench/show_page.py [--loads 50] [--visitors 200] [--no-redis]
Prints p50/p95 time-to-content; the target is p95 under 1.5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import scratch_database
from tools.app_process import AppProcess, free_port

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
CONTENT_READY = """() => {
  const title = document.querySelector('#show-title');
  const action = document.querySelector('#ticket-action');
  return title && title.textContent.trim().length > 0 && action && action.offsetParent !== null;
}"""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def capture_connect_frame(browser, url: str, slug: str) -> str:
    """The first socket.io frame a real browser sends on a show page: the hydrate-and-load event."""
    frames: list[str] = []
    page = browser.new_page()
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: frames.append(str(payload))))
    page.goto(f"{url}/shows/{slug}")
    page.wait_for_function(CONTENT_READY)
    page.close()
    return next(frame for frame in frames if frame.startswith("40/_event,"))


async def one_visit(http, ws_base: str, frame: str, slugs: list[str], template_slug: str) -> None:
    import websockets

    slug = random.choice(slugs)
    response = await http.get(f"/shows/{slug}")
    response.raise_for_status()
    token = str(uuid.uuid4())
    async with websockets.connect(f"{ws_base}/_event/?token={token}&EIO=4&transport=websocket",
                                  max_size=None, open_timeout=30) as socket:
        await socket.recv()  # engine.io open packet
        await socket.send(frame.replace(template_slug, slug))
        while True:
            message = await asyncio.wait_for(socket.recv(), timeout=30)
            if message == "2":
                await socket.send("3")
            elif '"is_hydrated_rx_state_":true' in message:
                return


async def visitors_main(url: str, frame: str, slugs: list[str], template_slug: str, count: int,
                        stop_at: float, counts) -> None:
    import httpx

    ws_base = url.replace("http://", "ws://")
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:
        async def visitor() -> None:
            await asyncio.sleep(random.random() * 2)
            while time.time() < stop_at:
                try:
                    await one_visit(http, ws_base, frame, slugs, template_slug)
                    counts[0] += 1
                except Exception:
                    counts[1] += 1
                await asyncio.sleep(random.random() * 0.5)  # a visitor reads for a moment

        await asyncio.gather(*(visitor() for _ in range(count)))


def run_visitors(*args) -> None:
    asyncio.run(visitors_main(*args))


def measure(browser, url: str, slugs: list[str], loads: int) -> list[float]:
    """Time-to-content of `loads` show pages, each in a new tab (a fresh Reflex session), assets cached."""
    context = browser.new_context()
    timings = []
    for index in range(loads):
        page = context.new_page()
        started = time.perf_counter()
        page.goto(f"{url}/shows/{slugs[index % len(slugs)]}", wait_until="commit")
        page.wait_for_function(CONTENT_READY, timeout=30000)
        timings.append(time.perf_counter() - started)
        page.close()
    context.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=50)
    parser.add_argument("--visitors", type=int, default=200)
    parser.add_argument("--no-redis", action="store_true", help="one backend worker, state on disk (the embedded run)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with scratch_database("barby_bench_pages") as database_url, tempfile.TemporaryDirectory() as scratch:
        from services.catalog import upcoming_shows

        slugs = [card.slug for card in upcoming_shows("he")]
        env = {"DATABASE_URL": database_url, "SMTP_PORT": str(free_port())}
        if not args.no_redis:
            env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
        app = AppProcess(free_port(), env, Path(scratch) / "reflex.log", build_dir=".web-bench")
        with app, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
            frame = capture_connect_frame(browser, app.url, slugs[0])
            cold = measure(browser, app.url, slugs, 1)[0]
            idle = measure(browser, app.url, slugs, 10)

            counts = multiprocessing.Array("i", 2)
            stop_at = time.time() + 3600
            load = multiprocessing.Process(target=run_visitors, daemon=True,
                                           args=(app.url, frame, slugs, slugs[0], args.visitors, stop_at, counts))
            load.start()
            time.sleep(5)  # let the visitors ramp up
            before, load_started = counts[0], time.perf_counter()
            timings = measure(browser, app.url, slugs, args.loads)
            visits = counts[0] - before
            elapsed = time.perf_counter() - load_started
            load.terminate()
            browser.close()

    workers = "1 backend worker, no Redis" if args.no_redis else "Redis state, backend workers per Reflex default"
    print(f"Show page time-to-content ({workers}; {len(slugs)} shows; PostgreSQL)")
    print(f"  first load, cold browser cache:      {cold * 1000:7.0f} ms")
    print(f"  idle backend, 10 loads:     p50 {percentile(idle, .5) * 1000:6.0f} ms   p95 {percentile(idle, .95) * 1000:6.0f} ms")
    print(f"  under load, {args.loads} loads:     p50 {percentile(timings, .5) * 1000:6.0f} ms   "
          f"p95 {percentile(timings, .95) * 1000:6.0f} ms   max {max(timings) * 1000:6.0f} ms   "
          f"mean {statistics.mean(timings) * 1000:6.0f} ms")
    print(f"  simulated visitors: {args.visitors}, {visits / elapsed:.1f} page opens/s during the measurement, "
          f"{counts[1]} failed")
    print(json.dumps({"p50_ms": round(percentile(timings, .5) * 1000), "p95_ms": round(percentile(timings, .95) * 1000),
                      "target_p95_ms": 1500}))


if __name__ == "__main__":
    main()
