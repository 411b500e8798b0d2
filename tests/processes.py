"""Bot processes for process-level tests: start `ocop-bot run`, read their logs, kill them all."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "ocop-bot"


def free_port() -> int:
    """A local port nobody listens on (yet)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bot_command() -> list[str]:
    """`ocop-bot` (or `python -m bot` where the script is not installed)."""
    return [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot"]


class ProcessGroup:
    """`ocop-bot` processes of one test, logging to files in tmp_path; all killed at teardown."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.db_path = tmp_path / "ocop.db"
        self.procs: list[subprocess.Popen[bytes]] = []

    def base_env(self, **extra: str) -> dict[str, str]:
        """PATH, a HOME in tmp_path, the database and INFO logs; `extra` wins.

        The health check's own listener is off (port 0) unless a test asks for it: bots of
        tests running side by side must not compete for its fixed port.
        """
        return {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(self.tmp_path),
            "OCOP_DB_PATH": str(self.db_path),
            "OCOP_LOG_LEVEL": "INFO",
            "OCOP_HEALTH_PORT": "0",
            **extra,
        }

    def spawn(self, env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
        """Start `ocop-bot ARGS` with this environment, its output going to a log file."""
        log = (self.tmp_path / f"bot{len(self.procs) + 1}.log").open("wb")
        proc = subprocess.Popen(
            [*bot_command(), *args], cwd=self.tmp_path, env=env, stdout=log, stderr=log
        )
        self.procs.append(proc)
        return proc

    def log(self) -> str:
        """Everything the processes wrote."""
        return "\n".join(p.read_text("utf-8", "replace") for p in self.tmp_path.glob("bot*.log"))

    def kill_all(self) -> None:
        """SIGKILL every process still running and reap it."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait(10)
