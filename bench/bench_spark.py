"""Time `guessfirst report` on Spark (local mode) against the DuckDB engine, same logs.

    python bench/bench_spark.py [--students 1000] [--events 1000] [--master local[2]]

Generates the course-sized logs of bench_report.py (1,000 files, 1,000,000 events), then
runs `guessfirst report DIR --csv DIR` once per engine, each in a child process, and prints
wall seconds, the peak memory (the command and, for Spark, its Java process) and the
ratio. Not part of `bench/run.py`: on two cores the Spark run takes minutes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench_report


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and every process below it (Linux ``/proc``)."""
    parents: dict[int, int] = {}
    sizes: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while being read
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        sizes[pid] = int(fields[21]) * page
    family, grew = {root}, True
    while grew:
        below = {pid for pid, parent in parents.items() if parent in family} - family
        family |= below
        grew = bool(below)
    return sum(sizes.get(pid, 0) for pid in family)


def report_run(folder: Path, out: Path, *engine: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB, the command and its Java process together, sampled
    every 0.2 s) of one `guessfirst report` with ``engine`` options."""
    command = bench_report.report_command(folder, out, "--tz", "UTC", *engine)
    started = time.perf_counter()
    running = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak = 0
    while running.poll() is None:
        peak = max(peak, _tree_rss(running.pid))
        time.sleep(0.2)
    if running.returncode:
        raise subprocess.CalledProcessError(running.returncode, command)
    return time.perf_counter() - started, peak / 2**20


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--events", type=int, default=1000, help="events per student")
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--master", default="local[2]")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="guessfirst-bench-") as tmp:
        logs = Path(tmp) / "logs"
        total = bench_report.generate(logs, options.students, options.events, options.questions)
        print(f"spark bench data: {total:,} events, {options.students:,} files")
        duck, duck_peak = report_run(logs, Path(tmp) / "duckdb")
        spark, spark_peak = report_run(
            logs, Path(tmp) / "spark", "--engine", "spark", "--master", options.master
        )
        same = all(
            (Path(tmp) / "duckdb" / "csv" / name).read_bytes()
            == (Path(tmp) / "spark" / "csv" / name).read_bytes()
            for name in ("questions.csv", "students.csv", "wrong_answers.csv", "retention.csv")
        )
        print(f"guessfirst report, duckdb: {duck:.1f} s, peak RSS {duck_peak:.0f} MiB")
        print(
            f"guessfirst report, spark {options.master}: {spark:.1f} s, "
            f"peak RSS {spark_peak:.0f} MiB (with its Java process)"
        )
        print(f"spark/duckdb: {spark / duck:.1f}x time; same CSV tables: {same}")


if __name__ == "__main__":
    main()
