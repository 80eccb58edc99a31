from __future__ import annotations

from pathlib import Path

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
