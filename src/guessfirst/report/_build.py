"""Logs, their tables and the HTML page: the one recipe the command and the dashboard share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from ._engine import Logs, per_question, per_student, wrong_answers


@dataclass
class Report:
    """A class's logs and the three tables a teacher reads first."""

    logs: Logs
    questions: pd.DataFrame = field(init=False)
    students: pd.DataFrame = field(init=False)
    wrong: pd.DataFrame = field(init=False)

    def __post_init__(self) -> None:
        self.questions = per_question(self.logs.events)
        self.students = per_student(self.logs.events)
        self.wrong = wrong_answers(self.logs.events)

    def html(self, *, title: str = "guessfirst report", generated: datetime | None = None) -> str:
        from .html import render_report

        return render_report(
            questions=self.questions,
            students=self.students,
            wrong=self.wrong,
            problems=self.logs.problems,
            files=self.logs.files,
            intact=self.logs.student_intact(),
            events=self.logs.events,
            title=title,
            generated=generated,
        )
