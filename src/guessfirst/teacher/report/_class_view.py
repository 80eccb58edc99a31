"""The class view: the report's tables cut down to what a whole class may see on a projector.

Per question, how many tried and how many good errors (wrong first, then right) the class
made; and the wrong answers that several students shared, never who gave them. Only the
questions and wrong-answers tables are read, and only their counts and answers leave this
module: no student id, no per-student row, no ranking of anyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import SupportsFloat, SupportsInt

import pandas as pd

from ... import i18n
from ...checks import Check
from ._build import Report
from ._class_rows import MIN_STUDENTS, ClassQuestion, Prompt, Shared

#: At most this many shared wrong answers per question: a projector shows few things well.
TOP_ANSWERS = 3

#: The audiences a dashboard or the report command draws for.
AUDIENCES = ("teacher", "class")


def audience(value: str) -> str:
    """``value`` if it names an audience; a clear error otherwise."""
    if value not in AUDIENCES:
        raise ValueError(
            f"audience must be 'teacher' (the full report, with names) or 'class' (the "
            f"projector view, with none); got {value!r}"
        )
    return value


def spoken(name: str | None) -> str:
    """The language to draw in: ``name`` as guessfirst spells it (``zh_hk`` is zh-HK), or
    when None the one guessfirst speaks now, as the lesson's cards do."""
    return i18n.language() if name is None else i18n.supported(name)


def prompts(questions: Iterable[object]) -> dict[str, Prompt]:
    """The prompts of ``questions`` (guessfirst questions or their checks), by question id.

    Logs carry no prompt, so the discussion view can show one only when the teacher hands
    the questions over; an example's pictures (bytes) stay out, its text steps come in.
    """
    found: dict[str, Prompt] = {}
    for question in questions:
        check = getattr(question, "_check", question)
        if not isinstance(check, Check):
            raise TypeError(f"not a guessfirst question: {question!r}")
        steps = tuple(step for step in check.example if isinstance(step, str) and step.strip())
        found[check.qid] = Prompt(check.prompt, steps)
    return found


def class_questions(
    report: Report, known: Mapping[str, Prompt] | None = None
) -> list[ClassQuestion]:
    """Every question version of ``report`` for the class, in question order."""
    known = known or {}
    table = report.questions.sort_values(["question", "qversion"], kind="stable")
    several = table.groupby("question")["qversion"].transform("nunique") > 1
    shared = _shared(report.wrong)
    rows: list[ClassQuestion] = []
    for (_, row), many in zip(table.iterrows(), several, strict=True):
        question, version = str(row["question"]), str(row["qversion"])
        rows.append(
            ClassQuestion(
                question=question,
                version=version if many else "",
                tried=_whole(row["attempted"]),
                good_errors=_good_errors(row["first_errors"], row["corrected"]),
                shared=shared.get((question, version), ()),
                prompt=known.get(question),
            )
        )
    return rows


def _shared(wrong: pd.DataFrame) -> dict[tuple[str, str], tuple[Shared, ...]]:
    """The wrong answers of each question version that MIN_STUDENTS students shared."""
    many = wrong[wrong["students"] >= MIN_STUDENTS]
    many = many.sort_values(["students", "answer"], ascending=[False, True], kind="stable")
    found: dict[tuple[str, str], tuple[Shared, ...]] = {}
    for (question, version), group in many.groupby(["question", "qversion"], sort=False):
        found[(str(question), str(version))] = tuple(
            Shared(str(answer), _whole(students))
            for answer, students in zip(
                group["answer"][:TOP_ANSWERS], group["students"][:TOP_ANSWERS], strict=True
            )
        )
    return found


def _good_errors(first_errors: object, corrected: object) -> int:
    """Students whose first try was wrong and who got it right later: the share corrected
    of the first-try errors, made a count again."""
    if pd.isna(corrected):
        return 0
    if not isinstance(corrected, SupportsFloat):
        raise TypeError(f"not a share: {corrected!r}")
    return round(_whole(first_errors) * float(corrected))


def _whole(value: object) -> int:
    """A count from a table's cell (numpy or Python), 0 where nothing was counted."""
    if pd.isna(value):
        return 0
    if not isinstance(value, SupportsInt):
        raise TypeError(f"not a count: {value!r}")
    return int(value)


def class_html(
    report: Report,
    *,
    lang: str,
    title: str | None = None,
    generated: datetime | None = None,
    questions: Mapping[str, Prompt] | None = None,
) -> str:
    """The class view of ``report`` as one HTML page in ``lang``, with no script."""
    from .html._class import render_class

    return render_class(
        class_questions(report, questions), lang=lang, title=title, generated=generated
    )


__all__ = ["MIN_STUDENTS", "ClassQuestion", "Prompt", "Shared", "class_html", "class_questions"]
