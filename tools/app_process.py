"""Start the whole app (`reflex run --env prod --single-port`) as a child process and wait until it serves.

Shared by the browser tests and the page benchmarks, so both measure the app exactly as it runs.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUN = PROJECT_ROOT / "tools" / "node_modules" / "bun" / "bin" / "bun.exe"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AppProcess:
    """The app on `port`, with `env` added to this process's environment; a context manager.

    `build_dir` keeps this run's compiled frontend apart from `make run`'s `.web`, so a test run or a
    bench never rebuilds (and deletes the assets of) an app that is serving from the same checkout.
    """

    def __init__(self, port: int, env: dict[str, str], log: Path, build_dir: str = ".web-test") -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self.env = {
            **os.environ, "PUBLIC_BASE_URL": self.url, "BACKEND_BASE_URL": self.url,
            "REFLEX_TELEMETRY_ENABLED": "false", "REFLEX_BUN_PATH": str(BUN), "PYTHONPATH": str(PROJECT_ROOT),
            "REFLEX_WEB_WORKDIR": str(PROJECT_ROOT / build_dir),
            "REFLEX_STATES_WORKDIR": str(PROJECT_ROOT / f"{build_dir}-states"),
            **env,
        }
        self.process: subprocess.Popen | None = None

    def start(self, seconds: float = 300) -> AppProcess:
        command = [sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port",
                   "--frontend-port", str(self.port), "--backend-port", str(self.port), "--backend-host", "127.0.0.1"]
        with self.log.open("w") as output:
            self.process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=self.env, stdout=output,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        self._wait(seconds)
        return self

    def _wait(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited early:\n{self.log.read_text()[-4000:]}")
            try:
                if httpx.get(self.url + "/ping", timeout=2).status_code == 200 and \
                        httpx.get(self.url + "/", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"the app did not start in {seconds}s:\n{self.log.read_text()[-4000:]}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)

    def __enter__(self) -> AppProcess:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
