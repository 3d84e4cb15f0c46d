"""The periodic hold-expiry job: `python -m services.ticketing expire [--every SECONDS] [--once]`.

Holds are also released on read and before a "sold out" answer; this job keeps counters honest for
shows nobody is looking at. Safe to run in several processes at once (expired rows are SKIP LOCKED).
"""

from __future__ import annotations

import argparse
import time

from services import clock
from services.ticketing.store import release_expired_holds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m services.ticketing")
    parser.add_argument("command", choices=["expire"])
    parser.add_argument("--every", type=float, default=30.0, help="seconds between runs")
    parser.add_argument("--once", action="store_true", help="run once and exit")
    args = parser.parse_args(argv)
    while True:
        released = release_expired_holds(clock.now())
        if released:
            print(f"released {released} expired holds", flush=True)
        if args.once:
            return
        time.sleep(args.every)


if __name__ == "__main__":
    main()
