"""The report tables' columns, as the contract (EVENTS.md and docs/teacher.md) names them.

Written out here once, by hand, so the tests check the engine against the contract rather
than against the engine's own constants.
"""

EVENT_COLUMNS = [
    "file", "line", "v", "id", "ts", "type", "student", "session", "notebook", "question",
    "qversion", "prev", "kind", "attempt", "response", "correct", "confidence", "latency_ms",
    "misconception", "normalized", "n", "text", "errors", "first_error", "first_confidence",
    "truncated", "review", "mode", "variant",
]  # fmt: skip
QUESTION_COLUMNS = [
    "question", "qversion", "kind", "attempted", "first_try_correct", "first_try_error",
    "corrected", "attempts_to_correct", "hypercorrection", "top_wrong", "reflections",
    "first_errors", "high_confidence_errors", "students_shown", "students_hinted",
    "students_reviewing", "reviewed", "delayed_retention", "return_errors", "returned_same",
    "review_flag", "pretest_correct", "posttest_correct", "pretest_gain", "pretest_errors_fixed",
]  # fmt: skip
STUDENT_COLUMNS = [
    "student", "attempted", "first_try_correct", "first_try_errors", "corrected",
    "not_corrected", "reflections", "hints", "reviewed", "delayed_retention", "return_errors",
    "returned_same", "open_misconceptions",
]  # fmt: skip
RETENTION_COLUMNS = [
    "question", "attempted", "first_try_error", "first_errors", "reviewed", "delayed_retention",
    "return_errors", "returned_same", "review_flag",
]  # fmt: skip
WRONG_COLUMNS = [
    "question",
    "qversion",
    "answer",
    "students",
    "attempts",
    "misconception",
    "example",
]
PROBLEM_COLUMNS = ["file", "line", "kind", "detail"]
MISCONCEPTION_COLUMNS = [
    "tag", "questions", "students", "first_errors", "corrected", "returned", "still_open",
]  # fmt: skip
VARIANT_COLUMNS = [
    "question", "qversion", "variant", "students", "attempts", "first_try_correct",
]  # fmt: skip
FILE_COLUMNS = ["file", "students", "lines", "events", "duplicates", "problems", "intact"]
