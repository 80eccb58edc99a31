"""The catalogue's columns about pretests, misconceptions and variants, as data.

Kept apart from :mod:`._catalogue` (which assembles every table from these rows) so that
each module stays short; the records have the same shape: name, heading, definition,
format.
"""

from __future__ import annotations

_Row = tuple[str, str, str, str]

_POST_TEST = (
    "their post-test: their first attempt at the same question id in practice (not a "
    "pretest, not a review) after the pretest, in the same lesson or a later one, that got "
    "a verdict"
)

#: The questions table's pretest columns: blank for a question with no pretest.
PRETEST: tuple[_Row, ...] = (
    (
        "pretest_correct",
        "Pretest correct",
        "Of the students who took this question's pretest (a guess before the teaching, "
        "never a first try), the share whose guess was right: their first pretest attempt "
        "that got a verdict. Blank without a pretest.",
        "share",
    ),
    (
        "posttest_correct",
        "Post-test correct",
        f"Of the students who took the pretest and have a post-test, {_POST_TEST}, the share "
        "whose post-test was right. Blank until one has a post-test.",
        "share",
    ),
    (
        "pretest_gain",
        "Pretest gain",
        "The class's normalised gain over the students with both a pretest and a post-test: "
        "(post − pre) / (1 − pre), where pre and post are the shares of them right at each. "
        "1 means they learned all they did not know; 0 no change. Blank when every one of "
        "them was right at the pretest, or nobody has both.",
        "number",
    ),
    (
        "pretest_errors_fixed",
        "Pretest guesses fixed",
        "Students whose pretest guess was not right and whose post-test was right. Blank "
        "without a pretest.",
        "count",
    ),
)

#: The students table's line of misconceptions still open: the teacher's view only.
OPEN: tuple[_Row, ...] = (
    (
        "open_misconceptions",
        "Open misconceptions",
        "The tags of this student's misconceptions still open (see misconceptions.csv), "
        "sorted and separated by spaces: their latest attempt carrying the tag has no right "
        "answer to its question since. Shown in the teacher's report only, never in the "
        "class view.",
        "text",
    ),
)

#: misconceptions.csv: one row per tag. A pretest's guess counts in none of them.
MISCONCEPTIONS: tuple[_Row, ...] = (
    (
        "tag",
        "Misconception",
        "The tag of the teacher's targeted feedback that matched a wrong answer "
        "(gf.Misconception's tag, or a plain feedback's answer key); one tag may be shared "
        "by many questions. Attempts in a pretest are left out of every column: a guess "
        "before the teaching is no misconception yet.",
        "text",
    ),
    (
        "questions",
        "Questions",
        "The question ids where a student made it, sorted, separated by spaces.",
        "text",
    ),
    ("students", "Students", "Distinct students who made it at least once.", "count"),
    (
        "first_errors",
        "At first try",
        "First tries that carried it, one per student and question version: the "
        "misconception was there before any feedback.",
        "count",
    ),
    (
        "corrected",
        "Corrected",
        "Students who, after making it, answered correctly the question where they made it "
        "(in a review too).",
        "count",
    ),
    (
        "returned",
        "Came back",
        "Students who made it again, on any question, on a calendar day later than a "
        "correction of it: the correction did not hold. Days are those of the report's time "
        "zone.",
        "count",
    ),
    (
        "still_open",
        "Still open",
        "Students whose latest attempt carrying it has no correct answer to that question "
        "after it.",
        "count",
    ),
)

#: variants.csv after its question and version: one row per variant of a question asked
#: with per_student=True.
VARIANTS: tuple[_Row, ...] = (
    (
        "variant",
        "Variant",
        "The label of a student's own numbers (a question asked with per_student=True). "
        "Only events that carry a variant make rows; the questions table pools them.",
        "text",
    ),
    (
        "students",
        "Students",
        "Distinct students who answered this variant outside a review and a pretest.",
        "count",
    ),
    ("attempts", "Attempts", "Their attempts at it, repeats included.", "count"),
    (
        "first_try_correct",
        "First try correct",
        "Share of those students whose first try at it was correct, first tries as in the "
        "questions table. Blank when none got a verdict.",
        "share",
    ),
)
