"""Time `guessfirst report` on a course-sized set of logs, against a plain DuckDB scan.

    python bench/bench_report.py [--students 1000] [--events 1000] [--questions 100]

Generates synthetic logs in the EVENTS.md format (valid hash chains, realistic mixes of
attempts, reveals, corrections and reflections), then in one run times:
1. `guessfirst report DIR -o report.html --csv DIR` end to end, in a child process;
2. a plain DuckDB `read_json` scan-and-group of the same files, in this process;
and prints the ratio (goal <= 2.0) and the report's peak memory (goal <= 1 GiB). It also
times the one step every report must add to that scan: a sha256 of every line, which the
hash chain needs, so the gap that remains can be read against it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

_CONFIDENCES = (0.0, 1 / 3, 2 / 3, 1.0, None)


def _student_log(args: tuple[Path, int, int, int]) -> int:
    """Write one student's file: sessions that walk the questions until `events` are made."""
    folder, number, events, questions = args
    rng = random.Random(number)
    student = f"student-{number:05d}"
    lines: list[bytes] = []
    prev = ""
    solved: set[int] = set()
    tries: dict[int, int] = {}
    first_error: dict[int, tuple[str, float | None]] = {}

    def emit(event_type: str, question: int, /, **fields: object) -> str:
        nonlocal prev
        event = {
            "v": 1,
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "ts": f"2026-11-{1 + len(lines) // 200:02d}T10:{len(lines) % 60:02d}:00.000Z",
            "type": event_type,
            "student": student,
            "session": session,
            "notebook": "lesson.ipynb",
            "question": f"q{question:03d}",
            "qversion": f"{question:012x}",
            "prev": prev,
            **fields,
        }
        line = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
        prev = hashlib.sha256(line).hexdigest()[:16]
        lines.append(line)
        return event["id"]

    while len(lines) < events:
        session = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        for question in range(questions):
            if len(lines) >= events:
                break
            emit("shown", question, kind="numeric")
            if question in solved or len(lines) >= events:
                continue
            difficulty = 0.3 + 0.5 * (question % 7) / 6
            while len(lines) < events - 3:
                tries[question] = tries.get(question, 0) + 1
                tried = tries[question]
                correct = rng.random() > difficulty / tried
                confidence = rng.choice(_CONFIDENCES)
                answer = 80 if correct else rng.choice((180, 90, 8, 800))
                attempt_id = emit(
                    "attempt",
                    question,
                    attempt=tried,
                    response=str(answer),
                    correct=correct,
                    confidence=confidence,
                    latency_ms=rng.randrange(2_000, 120_000),
                    misconception="multiplied" if answer == 180 else None,
                    normalized=str(answer),
                )
                if tried == 1:
                    emit("reveal", question, attempt=1)
                if correct:
                    if question in first_error:
                        error_id, error_confidence = first_error[question]
                        emit(
                            "corrected",
                            question,
                            attempt=tried,
                            errors=tried - 1,
                            first_error=error_id,
                            first_confidence=error_confidence,
                        )
                    solved.add(question)
                    break
                first_error.setdefault(question, (attempt_id, confidence))
                if rng.random() < 0.3:
                    emit("reflection", question, attempt=tried, text="I mixed up the units.")
                if rng.random() < 0.4:
                    break  # leaves it for a later session
    (folder / f"{student}.jsonl").write_bytes(b"\n".join(lines[:events]) + b"\n")
    return min(len(lines), events)


def generate(folder: Path, students: int, events: int, questions: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(folder, number, events, questions) for number in range(students)]
    with ProcessPoolExecutor() as pool:
        return sum(pool.map(_student_log, jobs, chunksize=16))


def baseline_seconds(folder: Path) -> float:
    import duckdb

    started = time.perf_counter()
    duckdb.connect().execute(
        "SELECT question, count(*), avg(correct::INT) "
        "FROM read_json(?, format = 'newline_delimited') GROUP BY question",
        [str(folder / "*.jsonl")],
    ).fetchall()
    return time.perf_counter() - started


def chain_seconds(folder: Path) -> tuple[float, float]:
    """Wall and CPU seconds to sha256 every line of every file, one core, as hashlib can."""
    started, cpu = time.perf_counter(), time.process_time()
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_bytes().split(b"\n"):
            hashlib.sha256(line).digest()
    return time.perf_counter() - started, time.process_time() - cpu


def report_command(folder: Path, out: Path, *options: str) -> list[str]:
    """`guessfirst report` of ``folder`` as a teacher runs it, HTML and CSV into ``out``."""
    return [
        str(Path(sys.executable).with_name("guessfirst")),
        "report",
        str(folder),
        "-o",
        str(out / "report.html"),
        "--csv",
        str(out / "csv"),
        *options,
    ]


def report_seconds(folder: Path, out: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of `guessfirst report` run as a teacher would."""
    started = time.perf_counter()
    subprocess.run(report_command(folder, out), check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kib / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--events", type=int, default=1000, help="events per student")
    parser.add_argument("--questions", type=int, default=100)
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="guessfirst-bench-") as tmp:
        logs, out = Path(tmp) / "logs", Path(tmp) / "out"
        started = time.perf_counter()
        total = generate(logs, options.students, options.events, options.questions)
        size = sum(p.stat().st_size for p in logs.glob("*.jsonl")) / 2**20
        print(
            f"report bench data: {total:,} events, {options.students:,} files, {size:.0f} MiB "
            f"(made in {time.perf_counter() - started:.0f} s)"
        )
        base = baseline_seconds(logs)
        ours, peak = report_seconds(logs, out)
        chain, chain_cpu = chain_seconds(logs)
        print(f"duckdb read_json scan-and-group: {base:.2f} s")
        print(
            f"sha256 of every line (the hash chain's share): {chain:.2f} s, "
            f"{chain_cpu:.2f} s CPU on one core = {chain / base:.2f}x the scan"
        )
        print(f"guessfirst report end to end: {ours:.2f} s, peak RSS {peak:.0f} MiB (goal <= 1024)")
        print(f"report ratio guessfirst/duckdb: {ours / base:.2f}x (goal <= 2.00x)")


if __name__ == "__main__":
    main()
