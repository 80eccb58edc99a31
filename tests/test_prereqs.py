"""`make test` first checks the machine, and names the Debian package for what is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
SCRIPT = ROOT / "tools" / "prereqs.py"


def fake(folder: Path, name: str, prints: str = "", to_stderr: bool = False) -> Path:
    """A stand-in program that prints a version, as the real one's --version does."""
    folder.mkdir(exist_ok=True)
    program = folder / name
    stream = " >&2" if to_stderr else ""
    program.write_text(f"#!/bin/sh\necho '{prints}'{stream}\n")
    program.chmod(0o755)
    return program


def check(path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The check on a PATH of only the given folder, with nothing of this machine's."""
    keep = {k: v for k, v in os.environ.items() if k in ("HOME", "LANG", "CI")}
    return subprocess.run(
        [sys.executable, SCRIPT],
        env={**keep, "PATH": str(path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def java_17(bin_dir: Path) -> None:
    fake(bin_dir, "java", 'openjdk version "17.0.15" 2025-04-15', to_stderr=True)


def test_everything_present_passes(tmp_path):
    bin_dir = tmp_path / "bin"
    fake(bin_dir, "node", "v20.19.0")
    fake(bin_dir, "npm", "10.8.2")
    java_17(bin_dir)
    chromium = fake(bin_dir, "chromium")
    done = check(bin_dir, GUESSFIRST_CHROMIUM=str(chromium))
    assert done.returncode == 0, done.stdout
    assert "missing" not in done.stdout


def test_a_machine_without_node_or_java_is_told_the_debian_packages(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    done = check(bin_dir, GUESSFIRST_CHROMIUM=str(tmp_path / "no-chromium"))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    for package in ("nodejs", "npm", "chromium", "openjdk-17-jre-headless"):
        assert any(line.strip().startswith(f"install: apt-get install {package}") for line in lines)
    assert "no node: the card's tests need Node 20.19 or later" in done.stdout
    assert "no java: the Spark tests need Java 17 or later" in done.stdout
    assert lines[-1] == "make test stops here: 4 prerequisites missing"


def test_too_old_node_and_java_are_named_with_their_versions(tmp_path):
    bin_dir = tmp_path / "bin"
    fake(bin_dir, "node", "v18.19.0")
    fake(bin_dir, "npm", "9.2.0")
    fake(bin_dir, "java", 'openjdk version "11.0.22" 2024-01-16', to_stderr=True)
    chromium = fake(bin_dir, "chromium")
    done = check(bin_dir, GUESSFIRST_CHROMIUM=str(chromium))
    assert done.returncode == 1
    assert "node 18.19.0 is too old" in done.stdout
    assert "java 11 is too old: the Spark tests need Java 17" in done.stdout
    assert "install: apt-get install openjdk-17-jre-headless" in done.stdout
    assert "no npm" not in done.stdout and "chromium" not in done.stdout


def test_java_home_is_the_java_spark_starts(tmp_path):
    bin_dir = tmp_path / "bin"
    fake(bin_dir, "node", "v22.1.0")
    fake(bin_dir, "npm", "10.8.2")
    java_17(bin_dir)  # on PATH, but JAVA_HOME points elsewhere: PySpark would use that
    chromium = fake(bin_dir, "chromium")
    done = check(bin_dir, GUESSFIRST_CHROMIUM=str(chromium), JAVA_HOME=str(tmp_path / "jdk"))
    assert done.returncode == 1
    assert f"no java at JAVA_HOME={tmp_path / 'jdk'}" in done.stdout
