"""What the class view holds of a question: counts and shared answers, never a student.

Its own module so that the view's data (:mod:`._class_view`) and its page
(:mod:`.html._class`) both read it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

#: A wrong answer is shown to the class only when at least this many distinct students gave
#: it: an answer only one or two people gave could point at them, and the room would know
#: whose it was. Three attempts by one student are still one student.
MIN_STUDENTS = 3


@dataclass(frozen=True)
class Shared:
    """A wrong answer at least MIN_STUDENTS students gave, and how many did."""

    answer: str
    students: int


@dataclass(frozen=True)
class Prompt:
    """What the teacher wrote for a question: its prompt, and its worked example's text."""

    text: str
    example: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClassQuestion:
    """One question version as the class sees it."""

    question: str
    version: str  # "" unless the question has several versions
    tried: int
    good_errors: int
    shared: tuple[Shared, ...]
    prompt: Prompt | None
