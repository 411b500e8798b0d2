"""The deployment files hold together: the systemd units pass `systemd-analyze verify`, and the
Containerfile copies what exists, installs every package, runs as a non-root user, checks
/healthz and starts `ocop-bot run`. (No container engine here: the image is not built.)"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = ("ocop-bot.service", "ocop-bot-backup.service", "ocop-bot-backup.timer")
INSTALLED = "/opt/ocop-bot/.venv/bin/ocop-bot"  # where docs/it-operations.md installs it


def test_the_systemd_units_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed: the units are not verified")
    here = Path(sys.executable).with_name("ocop-bot")  # verify needs ExecStart to exist
    for name in UNITS:
        text = (DEPLOY / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace(INSTALLED, str(here)), encoding="utf-8")
    done = subprocess.run([analyze, "verify", "--man=no", *(str(tmp_path / n) for n in UNITS)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def test_the_service_keeps_to_the_guide() -> None:
    service = (DEPLOY / "ocop-bot.service").read_text(encoding="utf-8")
    for line in ("User=ocop", "WorkingDirectory=/var/lib/ocop-bot",
                 "EnvironmentFile=/etc/ocop-bot/ocop-bot.env", "Restart=on-failure",
                 "RestartPreventExitStatus=2", f"ExecStart={INSTALLED} run",
                 f"ExecStartPre={INSTALLED} check-config"):
        assert line in service.splitlines(), line


def _instructions() -> list[tuple[str, str]]:
    """The Containerfile's instructions (continuation lines joined, comments dropped)."""
    lines: list[tuple[str, str]] = []
    pending = ""
    for raw in (DEPLOY / "Containerfile").read_text(encoding="utf-8").splitlines():
        if raw.lstrip().startswith("#") or not raw.strip():
            continue
        pending += raw.rstrip("\\").strip() + " "
        if not raw.endswith("\\"):
            word, _, rest = pending.strip().partition(" ")
            lines.append((word.upper(), rest.strip()))
            pending = ""
    return lines


def test_the_containerfile_copies_what_exists_and_runs_the_bot_as_a_user() -> None:
    steps = _instructions()
    copied: set[str] = set()
    for word, rest in steps:
        if word == "COPY":
            *sources, _target = shlex.split(rest)
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: no such file in the repository"
                copied.add(source)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = project["tool"]["setuptools"]["packages"]["find"]["include"]
    for package in packages:  # every installed package is in the image
        assert package.rstrip("*") in copied, package
    assert project["project"]["readme"] in copied and "pyproject.toml" in copied

    users = [rest for word, rest in steps if word == "USER"]
    assert users and users[-1] not in ("root", "0"), users
    user_at = max(i for i, (word, _) in enumerate(steps) if word == "USER")
    assert all(word != "RUN" for word, _ in steps[user_at:])  # nothing runs as root after it

    health = [rest for word, rest in steps if word == "HEALTHCHECK"]
    assert len(health) == 1 and "/healthz" in health[0]
    starts = [rest for word, rest in steps if word in ("CMD", "ENTRYPOINT")]
    assert [json.loads(start) for start in starts] == [["ocop-bot", "run"]]
    assert ("VOLUME", "/var/lib/ocop-bot") in steps
