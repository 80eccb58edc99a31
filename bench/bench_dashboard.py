"""What a live class's dashboard costs the kernel, against reading the logs in full.

    python bench/bench_dashboard.py [--students 40] [--events 200] [--questions 20]
                                    [--rounds 20] [--appends 10]

Generates a class's logs (``bench_report.generate``), then in one process:
1. the baseline: a synchronous full read of the logs, the Report and its HTML, as the
   dashboard did on every refresh before (median of 5);
2. inside a running asyncio loop, as in a kernel, with a ticker measuring the loop's lag,
   a ``gf.Dashboard(folder, every=30)`` sent ``refresh`` as the browser's timer does:
   - nothing changed: the kernel's (loop thread's) time per refresh, median of ``--rounds``
     (goal <= 20 ms);
   - one student appended 10 events (valid, chained): the loop thread's time for the
     refresh (goal <= 100 ms), the longest the loop was stalled meanwhile (goal <= 100 ms),
     and the time until the new page was set; medians and maxima of ``--appends`` rounds;
   - as a control, the longest stall in as many windows as long with no refresh at all.
The loop thread's time is the request, setting the traits, and encoding the message that
carries them to the browser (in a kernel that is done on the loop too; here it is timed
apart, as no kernel sends it). Every figure is also printed as a ratio to the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from bench_report import event_line, generate

UNCHANGED_GOAL_MS = 20.0
CHANGED_GOAL_MS = 100.0
#: Each round, the ticker sleeps this long and counts the rest of its wait as the loop's lag.
_TICK = 0.001


def full_read(folder: Path) -> tuple[float, str]:
    """Seconds of one synchronous read, Report and page of every log, and the page.

    The reader's cache, where it has one, is bypassed: this is the whole work."""
    from guessfirst.teacher.report import Report, read

    started = time.perf_counter()
    if "cache" in inspect.signature(read).parameters:
        logs = read([folder], cache=False)
    else:
        logs = read([folder])
    page = Report(logs).html()
    return time.perf_counter() - started, page


def append_events(log: Path, count: int, seed: int) -> None:
    """Append ``count`` events to ``log`` continuing its chain: a student coming back to
    two questions, shown each and answering (wrong first, then right)."""
    from guessfirst.log.eventlog import chain_hash

    data = log.read_bytes()
    last_line = data.rstrip(b"\n").rsplit(b"\n", 1)[-1]
    last = json.loads(last_line)
    prev = chain_hash(last_line)
    session = str(uuid.UUID(int=seed, version=4))
    lines, ids = [], []
    for number in range(count):
        question = 900 + seed * 10 + number // 5
        step = number % 5
        kind = ("shown", "attempt", "reveal", "attempt", "corrected")[step]
        fields: dict[str, object] = {}
        if kind == "shown":
            fields = {"kind": "numeric"}
        elif kind == "attempt":
            right = step == 3
            fields = {
                "attempt": 2 if right else 1,
                "response": "80" if right else "180",
                "correct": right,
                "confidence": 2 / 3,
                "latency_ms": 12_000,
                "misconception": None if right else "multiplied",
                "normalized": "80" if right else "180",
            }
        elif kind == "reveal":
            fields = {"attempt": 1}
        else:
            fields = {"attempt": 2, "errors": 1, "first_error": ids[-3], "first_confidence": 2 / 3}
        ids.append(str(uuid.UUID(int=seed * 1000 + number + 1, version=4)))
        ts = f"2026-11-29T09:{number:02d}:00.000Z"
        line = event_line(ids[-1], ts, kind, last["student"], session, question, prev, **fields)
        prev = chain_hash(line)
        lines.append(line)
    with log.open("ab") as out:
        out.write(b"\n".join(lines) + b"\n")


class Ticker:
    """Wakes every millisecond on the loop; ``worst`` is the longest it woke late since
    :meth:`reset`, that is the longest the loop could not answer anything."""

    def __init__(self) -> None:
        self.worst = 0.0

    def reset(self) -> None:
        self.worst = 0.0

    async def run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(_TICK)
            self.worst = max(self.worst, time.perf_counter() - before - _TICK)


class Timed:
    """The dashboard's own work on the loop thread: each time it set the traits, how long
    that took, and how long encoding the message to the browser takes."""

    def __init__(self, board: object) -> None:
        self.board = board
        self.shown = board._show  # type: ignore[attr-defined]
        self.spent = 0.0
        self.encode = 0.0
        self.at = 0.0
        board._show = self  # type: ignore[attr-defined]

    def __call__(self, drawn: object) -> None:
        started = time.perf_counter()
        self.shown(drawn)
        self.at = time.perf_counter()
        self.spent += self.at - started
        state = {k: getattr(self.board, k) for k in ("html", "status", "seq")}
        if getattr(drawn, "html", None) is None:
            state.pop("html")
        before = time.perf_counter()
        json.dumps({"method": "update", "state": state})
        self.encode += time.perf_counter() - before

    def reset(self) -> None:
        self.spent = self.encode = self.at = 0.0


async def _next_page(board: object, seq: int) -> None:
    while board.seq <= seq:  # type: ignore[attr-defined]
        await asyncio.sleep(0.0005)


async def measure(folder: Path, rounds: int, appends: int) -> dict[str, list[float]]:
    """Refreshes of a dashboard made inside this running loop, as a kernel makes it."""
    import guessfirst as gf

    ticker = Ticker()
    ticking = asyncio.create_task(ticker.run())
    board = gf.Dashboard(folder, every=30)  # this loop stands for the kernel's (see main)
    await _next_page(board, 0)
    assert board.status.startswith("Updated"), board.status
    timed = Timed(board)
    found: dict[str, list[float]] = {
        key: []
        for key in ("unchanged", "unchanged_page", "unchanged_stall", "main", "stall", "page")
    }
    for _ in range(rounds):
        kernel, page, stall = await _refresh(board, timed, ticker)
        assert "nothing new" in board.status, board.status
        found["unchanged"].append(kernel)
        found["unchanged_page"].append(page)
        found["unchanged_stall"].append(stall)
    logs = sorted(folder.glob("*.jsonl"))
    for number in range(appends):
        before = board.html
        append_events(logs[number % len(logs)], 10, seed=number + 1)
        kernel, page, stall = await _refresh(board, timed, ticker)
        assert board.status.startswith("Updated") and board.html != before, board.status
        assert "<b>0</b> chain breaks" in board.html and "<b>0</b> bad lines" in board.html
        found["main"].append(kernel)
        found["stall"].append(stall)
        found["page"].append(page)
    # The same windows with no refresh at all: how late the ticker wakes on this machine
    # anyway (other processes, the scheduler), to read the stalls above against.
    found["idle_stall"] = []
    for _ in range(appends):
        ticker.reset()
        await asyncio.sleep(statistics.median(found["page"]))
        found["idle_stall"].append(ticker.worst)
    ticking.cancel()
    return found


async def _refresh(board: Any, timed: Timed, ticker: Ticker) -> tuple[float, float, float]:
    """One refresh asked for as the browser asks: the kernel's time for it, the time until
    its page (or status) was set, and the longest the loop stalled meanwhile."""
    timed.reset()
    ticker.reset()
    seq = board.seq
    started = time.perf_counter()
    board.refresh()
    asked = time.perf_counter() - started
    await _next_page(board, seq)
    return asked + timed.spent + timed.encode, timed.at - started, ticker.worst


def _line(
    label: str, values: list[float], baseline: float, goal_ms: float | None, by: str = "median"
) -> str:
    """One figure: its median and max, its ratio to the baseline, and whether its median
    (or, ``by="max"``, every round) met the goal."""
    median, worst = statistics.median(values), max(values)
    text = (
        f"{label}: median {median * 1e3:.1f} ms (max {worst * 1e3:.1f}), "
        f"{median / baseline:.3f}x the full read"
    )
    if goal_ms is not None:
        judged = worst if by == "max" else median
        met = "met" if judged * 1e3 <= goal_ms else "NOT met"
        text += f"; goal {by} <= {goal_ms:.0f} ms: {met}"
    return text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--events", type=int, default=200, help="events per student")
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=20, help="refreshes with nothing new")
    parser.add_argument("--appends", type=int, default=10, help="refreshes after 10 new events")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="guessfirst-bench-") as tmp:
        folder = Path(tmp) / "logs"
        total = generate(folder, options.students, options.events, options.questions)
        print(f"dashboard bench data: {total:,} events in {options.students} files")
        print(f"load average (1 min) before: {os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs")
        full_read(folder)  # imports and first-use costs, not the read's own
        baseline = statistics.median(full_read(folder)[0] for _ in range(5))
        print(f"baseline, a full synchronous read + Report + HTML: {baseline * 1e3:.0f} ms")
        # This process's asyncio loop stands for a kernel's: the dashboard uses it as one.
        from guessfirst.teacher import dashboard

        dashboard._in_kernel = lambda: True
        found = asyncio.run(measure(folder, options.rounds, options.appends))
        print(f"load average (1 min) after: {os.getloadavg()[0]:.1f}")
    print(
        _line("refresh, nothing new: kernel time", found["unchanged"], baseline, UNCHANGED_GOAL_MS)
    )
    print(_line("  longest loop stall meanwhile", found["unchanged_stall"], baseline, None))
    print(_line("  its status set after", found["unchanged_page"], baseline, None))
    print(
        _line(
            "refresh after 10 new events: kernel time",
            found["main"],
            baseline,
            CHANGED_GOAL_MS,
            by="max",
        )
    )
    print(
        _line("  longest loop stall meanwhile", found["stall"], baseline, CHANGED_GOAL_MS, by="max")
    )
    print(_line("  new page set after", found["page"], baseline, None))
    print(_line("no refresh, as long: longest loop stall", found["idle_stall"], baseline, None))


if __name__ == "__main__":
    main()
