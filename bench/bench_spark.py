"""Time `guessfirst report` on Spark (local mode) against the DuckDB engine, same logs.

    python bench/bench_spark.py [--students 1000] [--events 1000] [--master local[2]]

Generates the course-sized logs of bench_report.py (1,000 files, 1,000,000 events), then
runs `guessfirst report DIR --csv DIR` once per engine, each in a child process, and prints
wall seconds, the peak RSS of the largest process (for Spark, its Java process) and the
ratio. Not part of `bench/run.py`: on two cores the Spark run takes minutes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench_report

# A child that runs the command and reports the peak RSS of its largest descendant, so each
# engine's memory is measured apart from the other's.
_MEASURED = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
    "stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def report_run(folder: Path, out: Path, *engine: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one `guessfirst report` with ``engine`` options."""
    command = bench_report.report_command(folder, out, "--tz", "UTC", *engine)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, *command], check=True, capture_output=True, text=True
    )
    return time.perf_counter() - started, int(done.stdout.strip()) / 1024


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
            f"peak RSS {spark_peak:.0f} MiB (its Java process)"
        )
        print(f"spark/duckdb: {spark / duck:.1f}x time; same CSV tables: {same}")


if __name__ == "__main__":
    main()
