"""What a benchmark reads of the processes it runs: CPU time, peak memory, and the bot's
database counters (`/metrics`)."""

from __future__ import annotations

import os
import socket
import urllib.request
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2:].split()  # after the name, which may hold spaces


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process has used so far."""
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / _TICK


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process, its children that ended, and its children still running (a
    PostgreSQL server: the postmaster, its finished and its live backends)."""
    fields = _stat(pid)
    total = sum(int(f) for f in fields[11:15]) / _TICK
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            child = _stat(int(entry.name))
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(child[1]) == pid:
            total += (int(child[11]) + int(child[12])) / _TICK
    return total


def database_use(port: int) -> dict[str, float]:
    """The running bot's database counters (transactions, statements, round trips,
    retries) from its `/metrics`."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as answer:
        text = answer.read().decode()
    return {line.split('"')[1]: float(line.split()[-1]) for line in text.splitlines()
            if line.startswith("ocop_database_use{")}


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Probe:
    """Counters read before and after a run: the bot's CPU, its database counters (when it
    serves `/metrics` on `port`), the database server's CPU (when `server_pid` is given)."""

    def __init__(self, pid: int, port: int | None, server_pid: int | None) -> None:
        self.pid, self.port, self.server_pid = pid, port, server_pid
        self._before = self._read()

    def _read(self) -> dict[str, float]:
        now = {"cpu": cpu_seconds(self.pid)}
        if self.port is not None:
            now |= database_use(self.port)
        if self.server_pid is not None:
            now["server_cpu"] = tree_cpu_seconds(self.server_pid)
        return now

    def per_update(self, updates: int) -> dict[str, float]:
        """What the run cost per update: CPU in ms, database transactions, statements,
        round trips and retries."""
        after = self._read()
        used = {k: after[k] - self._before.get(k, 0.0) for k in after}
        result = {"cpu_ms_per_update": round(used.pop("cpu") * 1000 / updates, 3)}
        if "server_cpu" in used:
            result["server_cpu_ms_per_update"] = round(
                used.pop("server_cpu") * 1000 / updates, 3)
        for kind, value in used.items():
            result[f"{kind}_per_update"] = round(value / updates, 2)
        return result
