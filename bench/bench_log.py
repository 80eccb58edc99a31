"""How fast the event log appends and reads, and whether concurrent writers lose anything.

    python bench/bench_log.py

Every append is locked and fsynced, so the figures mostly measure this machine's disk;
what must never change is the count of lines lost or damaged, which has to be 0.
"""

from __future__ import annotations

import multiprocessing
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from guessfirst.log.eventlog import append_event, make_event, read_events, verify

if TYPE_CHECKING:
    from multiprocessing.synchronize import Event


def _event(session: str, attempt: int) -> dict:
    return make_event(
        "attempt",
        student="bench",
        session=session,
        notebook="bench.ipynb",
        question="q1",
        qversion="0123456789ab",
        attempt=attempt,
        response=f"{attempt}/4",
        correct=attempt % 3 == 0,
        confidence=2 / 3,
        latency_ms=1500,
        misconception=None,
    )


def _writer(path: str, session: str, count: int, start: Event) -> None:
    start.wait()
    for attempt in range(1, count + 1):
        append_event(Path(path), _event(session, attempt))


def one_writer(count: int = 2000) -> float:
    """Events appended per second by one writer."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.jsonl"
        began = time.perf_counter()
        for attempt in range(1, count + 1):
            append_event(path, _event("solo", attempt))
        return count / (time.perf_counter() - began)


def many_writers(writers: int = 8, per_writer: int = 300) -> tuple[float, int]:
    """Total events per second of ``writers`` processes on one file, and lines lost or damaged.

    Process start-up is left out of the timing: all writers wait for one signal.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.jsonl"
        start = multiprocessing.Event()
        workers = [
            multiprocessing.Process(
                target=_writer, args=(str(path), f"writer-{n}", per_writer, start)
            )
            for n in range(writers)
        ]
        for worker in workers:
            worker.start()
        began = time.perf_counter()
        start.set()
        for worker in workers:
            worker.join()
        seconds = time.perf_counter() - began
        events = read_events(path).events
        lost = writers * per_writer - len({event["id"] for event in events})
        out_of_order = sum(
            [e["attempt"] for e in events if e["session"] == f"writer-{n}"]
            != list(range(1, per_writer + 1))
            for n in range(writers)
        )
        damaged = len(verify(path)) + out_of_order
        return writers * per_writer / seconds, lost + damaged


def read_ms(lines: int = 10_000, rounds: int = 5) -> tuple[float, float]:
    """Median milliseconds to read a file of ``lines`` events first, then after one append.

    The second figure is what a student's kernel pays when a new question re-reads its log.
    """
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "source.jsonl"
        for attempt in range(1, 101):
            append_event(source, _event("read", attempt))
        source.write_bytes(source.read_bytes() * (lines // 100))  # chain aside, a real size
        first, again = [], []
        for n in range(rounds):
            copy = shutil.copyfile(source, Path(folder) / f"copy-{n}.jsonl")
            began = time.perf_counter()
            read_events(copy)
            first.append(time.perf_counter() - began)
            append_event(copy, _event("read", lines + 1))
            began = time.perf_counter()
            read_events(copy)
            again.append(time.perf_counter() - began)
        return statistics.median(first) * 1000, statistics.median(again) * 1000


def main() -> None:
    print(f"append, 1 writer: {one_writer():.0f} events/s")
    rate, bad = many_writers()
    print(f"append, 8 writers: {rate:.0f} events/s, lost or damaged: {bad}")
    first, again = read_ms()
    print(f"read, 10000 lines: {first:.0f} ms, again after one append: {again:.1f} ms")


if __name__ == "__main__":
    main()
