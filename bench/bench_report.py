"""Time `guessfirst report` cold and warm on a course-sized set of logs, against the floor.

    python bench/bench_report.py [--students 1000] [--events 1000] [--questions 100] [--runs 1]

Generates synthetic logs in the EVENTS.md format (valid hash chains, realistic mixes of
attempts, reveals, corrections and reflections), then in each run prints:
1. the floor baseline, in this process: a DuckDB `read_json` scan-and-group of the files
   plus a sha256 of every line (the hash chain needs it), each part and their sum;
2. the cold report: `guessfirst report DIR -o report.html --csv DIR` in a child process
   with no cache in the folder, its wall seconds as a ratio to the floor (goal <= 1.5x) and
   its own peak RSS (goal <= 1 GiB); also, when the command has `--no-cache`, the report
   without its cache;
3. the warm report: 1% new lines appended to 10% of the files, continuing their chains,
   then the report again with the cache the cold run left, as a ratio to the cold one
   (goal <= 0.15x), with a check that its figures count exactly the appended lines.
With ``--runs N`` the same logs go through N cold and warm runs (the appended files put
back and the cache removed before each), and the ratios' median, min and max follow.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

_CONFIDENCES = (0.0, 1 / 3, 2 / 3, 1.0, None)

COLD_GOAL = 1.5
WARM_GOAL = 0.15
RSS_GOAL_MIB = 1024
#: Where `guessfirst report DIR` keeps what it verified, inside the collected folder.
CACHE_DIR = ".guessfirst-cache"
#: The summary line the report prints: its event count must grow by the appended lines.
_SUMMARY = re.compile(r"([\d,]+) events?, ([\d,]+) bad lines?")


def event_line(
    event_id: str,
    ts: str,
    event_type: str,
    student: str,
    session: str,
    question: int,
    prev: str,
    **fields: object,
) -> bytes:
    """One event of the bench's lesson (question ``q{question:03d}``) as its log line."""
    event = {
        "v": 1,
        "id": event_id,
        "ts": ts,
        "type": event_type,
        "student": student,
        "session": session,
        "notebook": "lesson.ipynb",
        "question": f"q{question:03d}",
        "qversion": f"{question:012x}",
        "prev": prev,
        **fields,
    }
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


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
        event_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        ts = f"2026-11-{1 + len(lines) // 200:02d}T10:{len(lines) % 60:02d}:00.000Z"
        line = event_line(event_id, ts, event_type, student, session, question, prev, **fields)
        prev = hashlib.sha256(line).hexdigest()[:16]
        lines.append(line)
        return event_id

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


# --- What a class adds between two reports ----------------------------------------------


@dataclass
class Appended:
    """New lines for some files, kept with the files' original bytes to put them back."""

    originals: dict[Path, bytes]
    additions: dict[Path, bytes]
    lines: int
    wrong_attempts: int
    reflections: int

    def apply(self) -> None:
        for path, added in self.additions.items():
            with path.open("ab") as log:
                log.write(added)

    def restore(self) -> None:
        for path, original in self.originals.items():
            path.write_bytes(original)


def _continuation(original: bytes, count: int, seed: str) -> tuple[bytes, int, int]:
    """``count`` lines that continue ``original``'s chain in a new session: a question shown,
    answered wrong, reflected on, answered right and corrected, as a student returning does.
    Returns the bytes with the numbers of wrong attempts and reflections among them."""
    from guessfirst.log import eventlog

    rng = random.Random(seed)
    events = [json.loads(line) for line in original.splitlines() if line]
    student = events[-1]["student"]
    tries: dict[str, int] = {}
    for event in events:
        if event.get("type") == "attempt":
            tries[event["question"]] = max(tries.get(event["question"], 0), event["attempt"])
    prev = eventlog.chain_hash(original.rstrip(b"\n").rsplit(b"\n", 1)[-1])
    session = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    lines: list[bytes] = []
    wrong = reflections = 0

    def emit(event_type: str, question: int, /, **fields: object) -> str:
        nonlocal prev
        event_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        ts = f"2026-11-28T11:{len(lines) % 60:02d}:00.000Z"
        line = event_line(event_id, ts, event_type, student, session, question, prev, **fields)
        prev = eventlog.chain_hash(line)
        lines.append(line)
        return event_id

    questions = sorted({int(event["question"][1:]) for event in events})
    while len(lines) < count:
        question = rng.choice(questions)
        tried = tries.get(f"q{question:03d}", 0)
        emit("shown", question, kind="numeric")
        if len(lines) >= count:
            break
        answer = rng.choice((180, 90, 8, 800))
        confidence = rng.choice(_CONFIDENCES)
        error_id = emit(
            "attempt",
            question,
            attempt=tried + 1,
            response=str(answer),
            correct=False,
            confidence=confidence,
            latency_ms=rng.randrange(2_000, 120_000),
            misconception="multiplied" if answer == 180 else None,
            normalized=str(answer),
        )
        wrong += 1
        if len(lines) >= count:
            break
        emit("reflection", question, attempt=tried + 1, text="I mixed up the units.")
        reflections += 1
        if len(lines) >= count:
            break
        emit(
            "attempt",
            question,
            attempt=tried + 2,
            response="80",
            correct=True,
            confidence=rng.choice(_CONFIDENCES),
            latency_ms=rng.randrange(2_000, 120_000),
            misconception=None,
            normalized="80",
        )
        if len(lines) >= count:
            break
        emit(
            "corrected",
            question,
            attempt=tried + 2,
            errors=1,
            first_error=error_id,
            first_confidence=confidence,
        )
        tries[f"q{question:03d}"] = tried + 2
    return b"".join(line + b"\n" for line in lines), wrong, reflections


def plan_appends(folder: Path, share: float = 0.10, growth: float = 0.01) -> Appended:
    """New lines, ``growth`` of each file's, for ``share`` of the files spread across the
    folder (every tenth file by default), made once so every run appends the same bytes."""
    paths = sorted(folder.glob("*.jsonl"))
    chosen = max(1, round(len(paths) * share))
    picked = [paths[index * len(paths) // chosen] for index in range(chosen)]
    plan = Appended({}, {}, 0, 0, 0)
    for path in picked:
        original = path.read_bytes()
        count = max(1, round(original.count(b"\n") * growth))
        # Seeded apart from the generator's own numbers: a repeated event id is a duplicate.
        added, wrong, reflections = _continuation(original, count, f"appended {path.name}")
        plan.originals[path] = original
        plan.additions[path] = added
        plan.lines += count
        plan.wrong_attempts += wrong
        plan.reflections += reflections
    return plan


# --- The floor ----------------------------------------------------------------------------


def baseline_seconds(folder: Path) -> float:
    """DuckDB's own scan-and-group of the files: reads every event, verifies nothing."""
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


# --- The report ---------------------------------------------------------------------------


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


def has_no_cache() -> bool:
    """Whether this guessfirst's report takes ``--no-cache`` (it keeps a cache then)."""
    command = [*report_command(Path(), Path())[:2], "--help"]
    shown = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return "--no-cache" in shown


@dataclass
class Run:
    """One report: wall seconds, its own peak RSS and what it printed and wrote."""

    seconds: float
    peak_mib: float
    printed: str
    wrong_attempts: int
    reflections: int

    def events(self) -> tuple[int, int] | None:
        """The events and bad lines its summary line counts, if it printed one."""
        found = _SUMMARY.search(self.printed)
        if found is None:
            return None
        return int(found[1].replace(",", "")), int(found[2].replace(",", ""))


def _csv_total(path: Path, column: str) -> int:
    with path.open(encoding="utf-8-sig", newline="") as table:
        return sum(int(row[column] or 0) for row in csv.DictReader(table))


def report(folder: Path, out: Path, *options: str) -> Run:
    """Run `guessfirst report` as a teacher would; its peak RSS is its own (wait4's rusage
    of that one child), not the largest of every child this process has waited for."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    command = report_command(folder, out, *options)
    with (out / "printed.txt").open("wb") as printed:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=printed)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, command)
    return Run(
        seconds,
        usage.ru_maxrss / 1024,  # KiB on Linux
        (out / "printed.txt").read_text(encoding="utf-8"),
        _csv_total(out / "csv" / "wrong_answers.csv", "attempts"),
        _csv_total(out / "csv" / "questions.csv", "reflections"),
    )


def _forget(folder: Path) -> None:
    shutil.rmtree(folder / CACHE_DIR, ignore_errors=True)


def _growth_check(cold: Run, warm: Run, plan: Appended) -> str:
    """Whether the warm report counts exactly the appended lines: a cache that hid an
    append, or counted one twice, would show here."""
    checks = [
        ("wrong attempts", cold.wrong_attempts, warm.wrong_attempts, plan.wrong_attempts),
        ("reflections", cold.reflections, warm.reflections, plan.reflections),
    ]
    before, after = cold.events(), warm.events()
    if before is not None and after is not None:
        checks.append(("events", before[0], after[0], plan.lines))
        checks.append(("bad lines", before[1], after[1], 0))
    parts, good = [], True
    if before is None or after is None:
        parts.append("(no summary line of events printed to check)")
    for name, was, now, added in checks:
        good &= now - was == added
        parts.append(f"{name} {was:,} -> {now:,} (+{now - was:,}, expected +{added:,})")
    verdict = "ok" if good else "MISMATCH: the warm report does not count the new lines"
    return f"{verdict}: " + "; ".join(parts)


def _spread(name: str, values: list[float], unit: str, goal: str) -> str:
    return (
        f"{name}: median {statistics.median(values):.2f}{unit}, min {min(values):.2f}{unit}, "
        f"max {max(values):.2f}{unit} over {len(values)} run(s) ({goal})"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--events", type=int, default=1000, help="events per student")
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--runs", type=int, default=1, help="cold and warm runs, same logs")
    options = parser.parse_args(argv)
    bypass = has_no_cache()
    with tempfile.TemporaryDirectory(prefix="guessfirst-bench-") as tmp:
        logs, out = Path(tmp) / "logs", Path(tmp) / "out"
        started = time.perf_counter()
        total = generate(logs, options.students, options.events, options.questions)
        size = sum(p.stat().st_size for p in logs.glob("*.jsonl")) / 2**20
        print(
            f"report bench data: {total:,} events, {options.students:,} files, {size:.0f} MiB "
            f"(made in {time.perf_counter() - started:.0f} s)"
        )
        plan = plan_appends(logs)
        print(
            f"warm runs append {plan.lines:,} lines to {len(plan.originals):,} files "
            f"({plan.wrong_attempts:,} wrong attempts, {plan.reflections:,} reflections)"
        )
        if not bypass:
            print("guessfirst report has no --no-cache: every run is a cold one")
        colds, warms, uncacheds, peaks = [], [], [], []
        for number in range(1, options.runs + 1):
            if number > 1:
                plan.restore()
            _forget(logs)
            base = baseline_seconds(logs)
            chain, chain_cpu = chain_seconds(logs)
            floor = base + chain
            print(f"run {number} of {options.runs}:")
            print(f"  duckdb read_json scan-and-group: {base:.2f} s")
            print(f"  sha256 of every line: {chain:.2f} s ({chain_cpu:.2f} s CPU, one core)")
            print(f"  floor baseline (scan + sha256): {floor:.2f} s")
            if bypass:
                uncached = report(logs, out, "--no-cache")
                uncacheds.append(uncached.seconds / floor)
                peaks.append(uncached.peak_mib)
                print(
                    f"  cold report with --no-cache: {uncached.seconds:.2f} s = "
                    f"{uncacheds[-1]:.2f}x the floor, "
                    f"peak RSS {uncached.peak_mib:.0f} MiB"
                )
                _forget(logs)
            cold = report(logs, out)
            colds.append(cold.seconds / floor)
            print(
                f"  cold report: {cold.seconds:.2f} s = {colds[-1]:.2f}x the floor "
                f"(goal <= {COLD_GOAL:.2f}x), peak RSS {cold.peak_mib:.0f} MiB "
                f"(goal <= {RSS_GOAL_MIB})"
            )
            plan.apply()
            warm = report(logs, out)
            warms.append(warm.seconds / cold.seconds)
            peaks += [cold.peak_mib, warm.peak_mib]
            print(
                f"  warm report: {warm.seconds:.2f} s = {warms[-1]:.2f}x the cold one "
                f"(goal <= {WARM_GOAL:.2f}x), peak RSS {warm.peak_mib:.0f} MiB "
                f"(goal <= {RSS_GOAL_MIB})"
            )
            print(f"  warm report counts the appended lines: {_growth_check(cold, warm, plan)}")
        print(_spread("cold ratio report/floor", colds, "x", f"goal <= {COLD_GOAL:.2f}x"))
        if uncacheds:
            print(_spread("--no-cache ratio report/floor", uncacheds, "x", "no goal of its own"))
        print(_spread("warm ratio warm/cold", warms, "x", f"goal <= {WARM_GOAL:.2f}x"))
        print(f"peak RSS: max {max(peaks):.0f} MiB over every report (goal <= {RSS_GOAL_MIB})")


if __name__ == "__main__":
    main()
