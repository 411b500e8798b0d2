"""A throwaway PostgreSQL server from the machine's binaries, for tests and benchmarks.

`initdb` in a temporary folder (as the `postgres` or `nobody` user when run as root: the
server refuses to run as root), listening only on a Unix socket in that folder; each caller
gets its own empty database with `fresh_database()`.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

SEARCHED = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/opt/homebrew/bin")


def find_binaries() -> Path | None:
    """The newest folder holding `initdb` and `pg_ctl` (PostgreSQL 15 or later), or None."""
    found = [Path(p) for pattern in SEARCHED for p in glob.glob(pattern)]
    on_path = shutil.which("initdb")
    if on_path:
        found.append(Path(on_path).parent)
    usable = [p for p in found if (p / "initdb").exists() and (p / "pg_ctl").exists()
              and _major(p) >= 15]
    return max(usable, key=_major) if usable else None


def _major(folder: Path) -> int:
    try:
        out = subprocess.run([str(folder / "pg_ctl"), "--version"], capture_output=True,
                             text=True, check=True).stdout
        return int(out.split()[-1].split(".")[0])
    except (OSError, ValueError, subprocess.CalledProcessError):
        return 0


class ThrowawayPostgres:
    """One server in a temporary folder; `stop()` removes it all."""

    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.folder = Path(tempfile.mkdtemp(prefix="ocop-pg-"))
        self._user = _server_user()
        self._names = itertools.count(1)
        self._started = False

    def start(self, extra: str = "") -> ThrowawayPostgres:
        """initdb, then start the server on a socket in the folder (`extra`: more `-c`
        settings, e.g. to load pg_stat_statements)."""
        data = self.folder / "data"
        if self._user is not None:
            os.chown(self.folder, self._user.pw_uid, self._user.pw_gid)
        self._run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C", "--no-sync")
        options = (f"-c listen_addresses='' -c unix_socket_directories='{self.folder}'"
                   " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                   f" -c max_connections=60 -c shared_buffers=64MB {extra}")
        self._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(self.folder / "log"),
                  "-w", "start")
        self._started = True
        return self

    def url(self, database: str = "postgres") -> str:
        """A connection URL to one database of the server."""
        return f"postgresql://postgres@/{database}?host={self.folder}"

    def fresh_database(self, template: str = "template0", name: str | None = None) -> str:
        """Create a new database (empty, or a copy of `template`); its URL."""
        name = name or f"ocop_{os.getpid()}_{next(self._names)}"
        subprocess.run([str(self.binaries / "createdb"), "-h", str(self.folder), "-U",
                        "postgres", "-T", template, name], check=True, capture_output=True)
        return self.url(name)

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        if self._started:
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
            self._started = False
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.binaries / program), *args]
        if self._user is not None:
            command = ["runuser", "-u", self._user.pw_name, "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.folder)


def _server_user() -> pwd.struct_passwd | None:
    """Who runs the server: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root and no 'postgres' or 'nobody' user to run PostgreSQL")
