"""Logs, their tables and the HTML page: the one recipe the command and the dashboard share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from ._logs import Logs
from ._metrics import (
    confidence_table,
    question_table,
    retention_table,
    student_table,
    wrong_table,
)
from ._misconceptions import misconception_table
from ._pretests import ClassPretests, class_pretests
from ._review import time_zone
from ._shared import shared
from ._variants import variant_table


@dataclass
class Report:
    """A class's logs and the tables a teacher reads first.

    Every table is computed in DuckDB where :func:`read` left the events: a course's
    million events never become a DataFrame on the way to the page. ``tz`` is the IANA
    zone whose calendar days the spaced review counts (by default this machine's); ``zone``
    is its name as used, which the page states.
    """

    logs: Logs
    tz: str | None = None
    zone: str = field(init=False)
    questions: pd.DataFrame = field(init=False)
    students: pd.DataFrame = field(init=False)
    wrong: pd.DataFrame = field(init=False)
    retention: pd.DataFrame = field(init=False)
    misconceptions: pd.DataFrame = field(init=False)
    variants: pd.DataFrame = field(init=False)
    pretests: ClassPretests = field(init=False)
    confidence: pd.DataFrame = field(init=False)

    def __post_init__(self) -> None:
        self.zone = time_zone(self.tz)
        with shared(self.logs, self.zone) as logs:
            self._build(logs)

    def _build(self, logs: Logs) -> None:
        """Every table, from ``logs`` (:attr:`logs`, or the same with its shared parts kept)."""
        self.questions = question_table(logs, self.zone)
        self.students = student_table(logs, self.zone)
        if not self.logs.hub.empty:
            # The share of each student's events the hub service received; blank for a
            # student it has no copy of.
            shares = dict(
                zip(self.logs.hub["student"], self.logs.hub["hub_confirmed"], strict=True)
            )
            self.students["hub_confirmed"] = pd.array(
                [shares.get(student) for student in self.students["student"]], dtype="Float64"
            )
        self.wrong = wrong_table(logs)
        self.retention = retention_table(logs, self.zone)
        self.misconceptions = misconception_table(logs, self.zone)
        self.variants = variant_table(logs)
        self.pretests = class_pretests(logs)
        # For the page: built here, it reads the first tries already worked out.
        self.confidence = confidence_table(logs)

    def html(self, *, title: str = "guessfirst report", generated: datetime | None = None) -> str:
        from .html import render_report

        return render_report(
            questions=self.questions,
            students=self.students,
            wrong=self.wrong,
            retention=self.retention,
            misconceptions=self.misconceptions,
            variants=self.variants,
            pretests=self.pretests,
            confidence=self.confidence,
            problems=self.logs.problems,
            files=self.logs.files,
            intact=self.logs.student_intact(),
            flags=self.logs.flags,
            hub=self.logs.hub,
            include_unconfirmed=self.logs.include_unconfirmed,
            events=self.logs,
            zone=self.zone,
            title=title,
            generated=generated,
        )
