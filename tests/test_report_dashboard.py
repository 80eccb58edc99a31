from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

import guessfirst as gf


def test_the_dashboard_shows_the_report_and_refreshes_when_asked(fresh_kernel: Path):
    board = gf.Dashboard(fresh_kernel)
    assert board.html == "" and board.status.startswith("No logs yet")

    gf.Numeric("speed", "120 km in 1.5 h: km/h?", answer=80).submit("180", "Certain")
    board._handle_msg(
        {"content": {"data": {"method": "custom", "content": {"type": "refresh"}}}, "buffers": []}
    )
    assert "speed" in board.html and "<svg" in board.html
    assert board.status.startswith("Updated")
    first = board.seq

    forged = {"html": "<script>alert(1)</script>"}
    board._handle_msg({"content": {"data": {"method": "update", "state": forged}}, "buffers": []})
    assert "<script>alert" not in board.html
    board.refresh()
    assert board.seq == first + 1


def test_a_negative_timer_is_refused(fresh_kernel: Path):
    with pytest.raises(ValueError, match="seconds"):
        gf.Dashboard(fresh_kernel, every=-5)


def test_the_dashboard_counts_days_in_the_zone_given(fresh_kernel: Path):
    gf.Numeric("speed", "120 km in 1.5 h: km/h?", answer=80).submit("180", "Certain")
    board = gf.Dashboard(fresh_kernel, tz="asia/hong_kong")
    assert "Days are calendar dates in Asia/Hong_Kong." in board.html
    with pytest.raises(ValueError, match="unknown time zone"):
        gf.Dashboard(fresh_kernel, tz="Hong Kong")


# --- A live class: refreshes that read only what changed, off the kernel's loop ---------


def _counted_reads(monkeypatch: pytest.MonkeyPatch, gate: threading.Event | None = None):
    """Count the dashboard's reads of the logs (and the thread each ran on); with ``gate``,
    the first read waits for it, as a slow disk would."""
    from guessfirst.teacher import report

    real = report.read
    reads: list[threading.Thread] = []
    reading = threading.Event()

    def read(*args, **kwargs):
        reads.append(threading.current_thread())
        reading.set()
        if gate is not None and len(reads) == 1:
            assert gate.wait(60), "the test never let the first read go on"
        return real(*args, **kwargs)

    monkeypatch.setattr(report, "read", read)
    return reads, reading


def _in_a_kernel(
    monkeypatch: pytest.MonkeyPatch, lesson: Callable[[], Coroutine[Any, Any, None]]
) -> None:
    """Run ``lesson`` as a kernel runs a cell: inside its loop, here on a thread of its own
    (this test process's main thread may hold a browser driver's loop)."""
    from guessfirst.teacher import dashboard

    monkeypatch.setattr(dashboard, "_in_kernel", lambda: True)
    failed: list[BaseException] = []

    def kernel() -> None:
        try:
            asyncio.run(lesson())
        except BaseException as exc:  # handed to the test's own thread
            failed.append(exc)

    thread = threading.Thread(target=kernel, name="kernel")
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the lesson never finished"
    if failed:
        raise failed[0]


async def _settled(board: gf.Dashboard) -> None:
    """Wait until the dashboard's worker has finished and its pages are set."""
    for _ in range(60_000):
        if not board._running:
            for _ in range(3):
                await asyncio.sleep(0)  # the pages it handed to this loop are set
            return
        await asyncio.sleep(0.001)
    raise AssertionError("the dashboard's refresh never finished")


async def _until(event: threading.Event) -> None:
    for _ in range(60_000):
        if event.is_set():
            return
        await asyncio.sleep(0.001)
    raise AssertionError("never happened")


def _answer(question: str) -> None:
    gf.Numeric(question, "120 km in 1.5 h: km/h?", answer=80).submit("180", "Certain")


def test_logs_unchanged_since_the_last_refresh_are_not_read_again(
    fresh_kernel: Path, monkeypatch: pytest.MonkeyPatch
):
    reads, _ = _counted_reads(monkeypatch)
    _answer("speed")
    board = gf.Dashboard(fresh_kernel, every=30)
    page, seq = board.html, board.seq
    assert len(reads) == 1 and "speed" in page

    board.refresh()
    assert len(reads) == 1 and board.html == page and board.seq == seq + 1
    assert board.status.startswith("Updated") and "nothing new" in board.status
    assert "checked" in board.status

    _answer("distance")
    board.refresh()
    assert len(reads) == 2 and "distance" in board.html
    assert board.status.startswith("Updated") and "nothing new" not in board.status


def test_a_failing_read_keeps_the_last_page_and_says_so(
    fresh_kernel: Path, monkeypatch: pytest.MonkeyPatch
):
    from guessfirst.teacher import report

    _answer("speed")
    board = gf.Dashboard(fresh_kernel)
    page = board.html
    real = report.read

    def broken(*args, **kwargs):
        raise OSError("the shared drive went away")

    monkeypatch.setattr(report, "read", broken)
    _answer("distance")
    board.refresh()
    assert board.html == page
    assert board.status.startswith("Could not read the logs")
    assert "the shared drive went away" in board.status and "still showing" in board.status

    monkeypatch.setattr(report, "read", real)
    board.refresh()  # the logs are as they were when the read failed: read them all the same
    assert "distance" in board.html and board.status.startswith("Updated")


def test_in_a_kernel_the_logs_are_read_off_its_loop(
    fresh_kernel: Path, monkeypatch: pytest.MonkeyPatch
):
    reads, _ = _counted_reads(monkeypatch)

    async def lesson() -> None:
        board = gf.Dashboard(fresh_kernel, every=30)
        # The loop is free at once: the page comes when the worker has read.
        assert board.status == "Reading the logs…" and board.html == ""
        await _settled(board)
        assert board.status.startswith("No logs yet") and board.html == ""

        set_on: list[threading.Thread] = []
        board.observe(lambda _change: set_on.append(threading.current_thread()), names="html")
        _answer("speed")
        board.refresh()
        await _settled(board)
        assert "speed" in board.html and board.status.startswith("Updated")

        _answer("distance")
        board.refresh()
        assert "distance" not in board.html  # not yet: it is being read
        await _settled(board)
        assert "distance" in board.html
        loop = threading.current_thread()
        assert reads and all(thread is not loop for thread in reads)
        assert set_on and all(thread is loop for thread in set_on)

        board.refresh()
        await _settled(board)
        assert "nothing new" in board.status and len(reads) == 2

    _in_a_kernel(monkeypatch, lesson)


@pytest.mark.parametrize("paused", ["reading", "handing the page over"])
def test_a_refresh_asked_for_meanwhile_runs_once_more_with_the_newest_logs(
    fresh_kernel: Path, monkeypatch: pytest.MonkeyPatch, paused: str
):
    gate = threading.Event()
    reads, reading = _counted_reads(monkeypatch, gate if paused == "reading" else None)
    _answer("speed")

    async def lesson() -> None:
        board = gf.Dashboard(fresh_kernel, every=30)
        if paused == "reading":
            await _until(reading)  # its first read
        else:  # a refresh has drawn its page and is about to see whether to go again
            await _settled(board)
            handing = threading.Event()
            hand_over = board._hand_over

            def held(drawn: object) -> None:
                handing.set()
                assert gate.wait(60), "the test never let the page go on"
                hand_over(drawn)  # type: ignore[arg-type]

            board._hand_over = held  # type: ignore[method-assign]
            board.refresh()
            await _until(handing)
        seq = 0 if paused == "reading" else 1
        _answer("distance")
        board.refresh()
        board.refresh()  # the browser's timer and the Refresh button, both while it works
        gate.set()
        await _settled(board)
        assert len(reads) == 2  # one more read, not one per request
        assert board.seq == seq + 2 and "distance" in board.html
        assert board.status.startswith("Updated")

    _in_a_kernel(monkeypatch, lesson)
