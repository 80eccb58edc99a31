"""What a student reads is curious, never disappointed: no "wrong", "fail" or "incorrect".

An error met where it is safe teaches; one met with disappointment threatens (Metcalfe
2017). So over every string of both catalogues (src/guessfirst/locales) that a student
reads, words of failure are banned: "Not quite — interesting" stays, "Wrong" does not.

Which strings a student reads: every key, but those under :data:`TEACHER_ONLY`. The
question card (``card.*``, feedback, input, hints, quizzes, pretests), the student's own
progress and review, and the class view (``class.*``) are all read by students: the class
view is made for the projector in front of them. Only a prefix kept for the teacher's own
screens (the report and its private per-student view) is left out; none of those exists
in the catalogues yet, and a key added there must be for the teacher's eyes only.

In Traditional Chinese, 好錯誤 ("good error") is the project's name for the reframe itself,
as "good error" is in English: it is allowed, and every other 錯 is not.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

LOCALES = Path(__file__).parents[1] / "src" / "guessfirst" / "locales"

#: Keys a student never reads: the teacher's report, dashboard and private views.
TEACHER_ONLY = ("report.", "teacher.", "dashboard.")

#: Whole words, any case: "wrong", "fail" and its forms, "incorrect", "mistake", "bad".
ENGLISH = re.compile(
    r"\b(wrong(ly)?|fail(s|ed|ing|ure|ures)?|incorrect(ly)?|mistakes?|bad(ly)?)\b", re.IGNORECASE
)
#: In Chinese: 錯 in any word (錯誤, 答錯, 做錯, 錯了), 失敗, 不正確, and Cantonese 唔啱.
CHINESE = ("錯誤", "答錯", "做錯", "錯了", "錯", "失敗", "不正確", "唔啱")
#: The one phrase with 錯 a student may read: the good error, named.
GOOD_ERROR = "好錯誤"
#: A placeholder's name is never read: "{wrong}" is filled with a date.
PLACEHOLDER = re.compile(r"\{\w+\}")


def banned(text: str) -> list[str]:
    """The banned words in one string, as a student would read it."""
    read = PLACEHOLDER.sub("", text)
    found = [match.group(0) for match in ENGLISH.finditer(read)]
    chinese = read.replace(GOOD_ERROR, "")
    found += [word for word in CHINESE if word in chinese]
    return found


def student_strings(lang: str) -> dict[str, str]:
    catalogue = json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8"))
    return {key: text for key, text in catalogue.items() if not key.startswith(TEACHER_ONLY)}


@pytest.mark.parametrize("lang", ["en", "zh-HK"])
def test_no_student_facing_string_speaks_of_failure(lang):
    strings = student_strings(lang)
    assert len(strings) > 100  # the whole catalogue is read, not an empty selection
    found = {key: banned(text) for key, text in strings.items() if banned(text)}
    assert found == {}


@pytest.mark.parametrize(
    "text",
    [
        "Wrong!",
        "That answer is wrong.",
        "You failed this one.",
        "Incorrect — try again.",
        "A silly MISTAKE.",
        "Bad luck.",
        "Test cases: 2 failed",
        "答錯了。",
        "你做錯了",
        "這是一個錯誤。",
        "錯",
        "失敗",
        "答案不正確",
        "唔啱喎",
        "好錯誤之後又錯",
    ],
)
def test_a_planted_word_of_failure_is_found(text):
    assert banned(text)


@pytest.mark.parametrize(
    "text",
    [
        "Not quite — interesting. What made you choose {answer}?",
        "{name}: not quite on {wrong}, right on {right}.",
        "Your brain got 3 good errors today.",
        "Something got stuck on my side with that, not with your answer.",
        "Badminton and a failsafe are fine: only whole words count.",
        "今天你的大腦得到了 3 個好錯誤。",
        "還差一點——很有意思。",
        "未啱，仲未到。",
    ],
)
def test_curious_words_pass(text):
    assert banned(text) == []


def test_the_welcome_and_the_progress_card_name_the_good_error_in_both_languages():
    for lang, named in (("en", "good error"), ("zh-HK", GOOD_ERROR)):
        strings = student_strings(lang)
        assert named in strings["science.good_error"]
        assert named in strings["progress.good_today.other"]
