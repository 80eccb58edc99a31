"""Time `guessfirst collect` from a hub's homes: a first collection, then one after 1% new lines.

    python bench/bench_collect.py [--students 1000] [--events 1000] [--grow 0.01]

Each student's home holds one lesson's log (``<home>/lesson/guessfirst-logs/<id>.jsonl``,
the logs of bench_report.py: valid hash chains, realistic events). The command runs as a
teacher runs it, in a child process, three times: the first collection (every log read,
hashed, decoded for its student ids and copied), one after ``--grow`` of each log's lines
were appended (every log read and hashed; each grown log copied again as its next version,
only its new lines decoded), and one with nothing new (every log read and hashed, nothing
copied). Every copy is fsynced, so the figures depend on this machine's disk.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_report import generate


def homes(made: Path, folder: Path, events: int) -> int:
    """A home per log in ``made``, holding its first ``events`` lines; the bytes written."""
    total = 0
    for log in sorted(made.glob("*.jsonl")):
        lines = log.read_bytes().splitlines(keepends=True)
        target = folder / log.stem / "lesson" / "guessfirst-logs" / log.name
        target.parent.mkdir(parents=True)
        data = b"".join(lines[:events])
        target.write_bytes(data)
        total += len(data)
    return total


def grow(made: Path, folder: Path, events: int) -> int:
    """Append each log's next lines in its home, as a lesson goes on; the lines appended."""
    appended = 0
    for log in sorted(made.glob("*.jsonl")):
        extra = log.read_bytes().splitlines(keepends=True)[events:]
        with (folder / log.stem / "lesson" / "guessfirst-logs" / log.name).open("ab") as handle:
            handle.write(b"".join(extra))
        appended += len(extra)
    return appended


def collect_seconds(folder: Path, into: Path) -> tuple[float, str]:
    command = [
        str(Path(sys.executable).with_name("guessfirst")),
        "collect",
        "--homes",
        str(folder),
        "-o",
        str(into),
    ]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"collect failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return seconds, done.stdout.strip()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--events", type=int, default=1000, help="events per student")
    parser.add_argument("--grow", type=float, default=0.01, help="share of lines appended")
    options = parser.parse_args(argv)
    extra = max(1, round(options.events * options.grow))
    with tempfile.TemporaryDirectory(prefix="guessfirst-bench-") as tmp:
        made, folder, into = Path(tmp) / "made", Path(tmp) / "home", Path(tmp) / "collected"
        started = time.perf_counter()
        generate(made, options.students, options.events + extra, 100)
        size = homes(made, folder, options.events) / 2**20
        print(
            f"collect bench data: {options.students:,} homes, {options.events:,} events each, "
            f"{size:.0f} MiB (made in {time.perf_counter() - started:.0f} s)"
        )
        first, said = collect_seconds(folder, into)
        print(f"first collection: {first:.2f} s  ({said})")
        appended = grow(made, folder, options.events)
        again, said = collect_seconds(folder, into)
        print(f"after {appended:,} lines appended ({extra} per log): {again:.2f} s  ({said})")
        nothing, said = collect_seconds(folder, into)
        print(f"with nothing new: {nothing:.2f} s  ({said})")
        stored = sum(path.stat().st_size for path in into.rglob("*.jsonl")) / 2**20
        print(f"collection folder: {stored:.0f} MiB, ledger included")


if __name__ == "__main__":
    main()
