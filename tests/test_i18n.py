from __future__ import annotations

import json
import re
import string
import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from guessfirst import i18n

_LOCALE_VARIABLES = ("GUESSFIRST_LANG", "LC_ALL", "LC_MESSAGES", "LANG")
_SHIPPED = Path(i18n.__file__).parent / "locales"
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
# ASCII punctuation written against a Chinese character: a translator's half-width slip.
_HALF_WIDTH_BY_HAN = re.compile(f"{_HAN.pattern}[,.:;?!()]|[(]{_HAN.pattern}")
#: Values that are punctuation and nothing else: in Chinese, Chinese punctuation.
_PUNCTUATION_ONLY = {"list.separator"}


@pytest.fixture(autouse=True)
def no_language_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own locale may not decide (fresh_kernel forgot earlier choices)."""
    for variable in _LOCALE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)


def _file(lang: str) -> dict[str, str]:
    return json.loads((_SHIPPED / f"{lang}.json").read_text(encoding="utf-8"))


def _fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def test_the_languages_are_the_shipped_files_english_first():
    assert i18n.LANGUAGES == ("en", "zh-HK")


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_language_has_exactly_the_english_keys(lang):
    assert _file(lang).keys() == _file("en").keys()


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_translation_keeps_every_placeholder_of_the_english(lang):
    english = _file("en")
    differing = {
        key: sorted(_fields(template) ^ _fields(english[key]))
        for key, template in _file(lang).items()
        if _fields(template) != _fields(english[key])
    }
    assert differing == {}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_templates_are_plain_text_with_simple_placeholders(lang):
    """The widget puts them into HTML and fills them in JavaScript as well as Python."""
    for key, template in _file(lang).items():
        assert template.strip(), key
        assert not set("<>&") & set(template), key
        assert all(field.isidentifier() for field in _fields(template)), key
        assert not any(spec for _, _, spec, _ in string.Formatter().parse(template) if spec), key


def test_english_is_word_for_word_what_students_read_today():
    expected = {
        "card.submit": "Submit",
        "card.try_again": "Try again",
        "card.example.title": "Worked example",
        "card.confidence.guessing": "Just guessing",
        "card.confidence.certain": "Certain",
        "answer.placeholder.numeric": "e.g. 80, 0.75 or 3/4",
        "card.reflection.thanks": "Thanks — noted.",
        "input.empty": "Type an answer first.",
        "feedback.correct.title": "That's right.",
        "student.error.generic": "“{name}” could be anyone. Please type your own name or number.",
    }
    english = i18n.catalogue("en")
    assert {key: english[key] for key in expected} == expected


def test_filled_in_english_reads_as_the_card_and_messages_do_today():
    assert i18n.text("card.hint.show", "en", next=2, total=3) == "Show a hint (2 of 3)"
    assert i18n.text("card.student.saving_as", "en", name="Ana") == "Saving your answers as Ana."
    assert i18n.text("input.number.unreadable", "en", typed="eighty") == (
        'I couldn\'t read "eighty" as a number. Try something like 80, 0.75, 3/4 or 1,000.'
    )
    assert (
        i18n.text("feedback.wrong.first_try", "en", answer="<q>70</q>")
        == "Not quite — interesting. What made you choose <q>70</q>?"
    )
    assert i18n.text(
        "notice.cannot_save.one", "en", folder="/logs", reason="disk full", count=1
    ) == (
        "Your work can't be saved to /logs right now (disk full). 1 answer is kept here "
        "and will be saved as soon as that works again."
    )


def test_filled_in_chinese_keeps_the_values():
    assert i18n.text("card.hint.show", "zh-HK", next=2, total=3) == "顯示提示（第 2 個，共 3 個）"
    assert i18n.text("input.number.too_big", "zh-HK", typed="8e999").startswith("「8e999」")


def test_every_chinese_string_is_written_in_chinese_with_full_width_punctuation():
    english = _file("en")
    for key, template in _file("zh-HK").items():
        assert template != english[key], key
        if key in _PUNCTUATION_ONLY:
            assert all(unicodedata.category(c)[0] == "P" and not c.isascii() for c in template)
        else:
            assert _HAN.search(template), key
        assert '"' not in template and "“" not in template, key  # quotes are 「」
        assert not _HALF_WIDTH_BY_HAN.search(template), key


def test_lists_and_dates_are_built_from_pieces_each_language_orders():
    def one_of(lang: str, letters: list[str]) -> str:
        joined = i18n.text("list.separator", lang).join(letters[:-1])
        return i18n.text("list.or", lang, items=joined, last=letters[-1])

    assert one_of("en", ["x", "y", "z"]) == "x, y or z"
    assert one_of("zh-HK", ["x", "y", "z"]) == "x、y 或 z"
    day, month = i18n.text("date.tuesday", "zh-HK"), i18n.text("date.december", "zh-HK")
    opens = i18n.text("quiz.opens", "zh-HK", weekday=day, day=1, month=month, time="09:00")
    assert opens == "示範解答將於12月1日（星期二）09:00 開放。"


def test_english_day_and_month_names_are_the_ones_the_card_prints_today():
    monday = date(2024, 1, 1)
    for offset in range(7):
        name = f"{monday + timedelta(days=offset):%A}"
        assert i18n.text(f"date.{name.lower()}", "en") == name
    for number in range(1, 13):
        name = f"{date(2024, number, 1):%B}"
        assert i18n.text(f"date.{name.lower()}", "en") == name


def test_a_count_without_plural_forms_reads_the_same_for_one_and_many():
    where = {"folder": "f", "reason": "r"}
    one = i18n.text("notice.cannot_save.one", "zh-HK", count=3, **where)
    assert one == i18n.text("notice.cannot_save.other", "zh-HK", count=3, **where)
    assert "1 answer is" in i18n.text("notice.cannot_save.one", "en", count=1, **where)
    assert "2 answers are" in i18n.text("notice.cannot_save.other", "en", count=2, **where)


def test_the_language_follows_configure_then_the_variable_then_the_locale(monkeypatch):
    assert i18n.language() == "en"  # nothing set anywhere
    monkeypatch.setenv("LANG", "zh_HK.UTF-8")
    assert i18n.language() == "zh-HK"
    monkeypatch.setenv("LC_MESSAGES", "en_GB.UTF-8")
    assert i18n.language() == "en"
    monkeypatch.setenv("LC_ALL", "zh_TW.UTF-8")
    assert i18n.language() == "zh-HK"
    monkeypatch.setenv("GUESSFIRST_LANG", "en")
    assert i18n.language() == "en"
    i18n.set_language("zh-HK")
    assert i18n.language() == "zh-HK"
    assert i18n.text("card.submit") == "提交"
    i18n.set_language(None)
    assert i18n.language() == "en"


def test_an_empty_locale_variable_does_not_hide_the_next_one(monkeypatch):
    monkeypatch.setenv("LC_ALL", "")
    monkeypatch.setenv("LANG", "zh_HK.UTF-8")
    assert i18n.language() == "zh-HK"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("zh_HK.UTF-8", "zh-HK"),
        ("zh_HK", "zh-HK"),
        ("zh_MO.UTF-8", "zh-HK"),
        ("zh_TW.Big5", "zh-HK"),
        ("zh-Hant", "zh-HK"),
        ("zh_Hant_TW", "zh-HK"),
        ("zh_CN.UTF-8", "en"),
        ("zh-Hans", "en"),
        ("zh_Hans_HK", "en"),
        ("zh_SG", "en"),
        ("zh", "en"),
        ("en_GB.UTF-8", "en"),
        ("en_US", "en"),
        ("C.UTF-8", "en"),
        ("POSIX", "en"),
        ("fr_FR.UTF-8@euro", "en"),
    ],
)
def test_a_kernel_locale_maps_to_the_language_its_reader_reads(monkeypatch, locale, expected):
    monkeypatch.setenv("LANG", locale)
    assert i18n.language() == expected


@pytest.mark.parametrize("spelling", ["zh-HK", "zh_hk", "ZH-HK", "zh_HK", " zh-hk "])
def test_a_teacher_may_spell_the_language_loosely(monkeypatch, spelling):
    i18n.set_language(spelling)
    assert i18n.language() == "zh-HK"
    monkeypatch.setenv("GUESSFIRST_LANG", spelling)
    i18n.set_language(None)
    assert i18n.language() == "zh-HK"
    assert i18n.text("card.submit", spelling) == "提交"


@pytest.mark.parametrize("unknown", ["fr", "zh-CN", "zh-TW", "", "zh_HK.UTF-8"])
def test_an_unknown_language_is_refused_naming_the_ones_there_are(unknown):
    with pytest.raises(ValueError, match=r"speaks en, zh-HK"):
        i18n.set_language(unknown)
    with pytest.raises(ValueError, match=r"speaks en, zh-HK"):
        i18n.text("card.submit", unknown)
    assert i18n.language() == "en"  # the refused choice left nothing behind


def test_an_unknown_language_variable_is_warned_about_and_the_locale_decides(monkeypatch):
    monkeypatch.setenv("GUESSFIRST_LANG", "zh-CN")
    monkeypatch.setenv("LANG", "zh_HK.UTF-8")
    with pytest.warns(UserWarning, match=r"GUESSFIRST_LANG.*'zh-CN'.*speaks en, zh-HK"):
        assert i18n.language() == "zh-HK"


def test_a_key_no_language_has_is_a_bug():
    with pytest.raises(KeyError, match=r"no\.such\.key"):
        i18n.text("no.such.key")
    with pytest.raises(KeyError, match=r"no\.such\.key"):
        i18n.text("no.such.key", "zh-HK")


def test_the_catalogue_is_a_copy_the_front_end_cannot_spoil():
    table = i18n.catalogue("zh-HK")
    table["card.submit"] = "spoiled"
    assert i18n.text("card.submit", "zh-HK") == "提交"


@pytest.fixture
def with_partial_french(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A language whose translator has done one string so far, read from a folder of its own."""
    (tmp_path / "en.json").write_bytes((_SHIPPED / "en.json").read_bytes())
    (tmp_path / "fr.json").write_text(json.dumps({"card.submit": "Valider"}), encoding="utf-8")
    monkeypatch.setattr(i18n, "_LOCALES", tmp_path)
    monkeypatch.setattr(i18n, "LANGUAGES", ("en", "fr"))
    i18n._table.cache_clear()
    yield tmp_path
    i18n._table.cache_clear()


def test_a_string_not_yet_translated_is_shown_in_english(monkeypatch, with_partial_french):
    i18n.set_language("fr")
    assert i18n.text("card.submit") == "Valider"
    assert i18n.text("card.try_again") == "Try again"
    assert i18n.text("card.hint.title", number=2) == "Hint 2"
    assert i18n.catalogue()["card.try_again"] == "Try again"
    monkeypatch.setenv("LANG", "fr_CA.UTF-8")
    i18n.set_language(None)
    assert i18n.language() == "fr"


def test_a_locale_file_that_is_not_a_flat_table_is_named(with_partial_french):
    (with_partial_french / "fr.json").write_text('{"hint": {"one": "Indice"}}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"locales/fr\.json"):
        i18n.text("card.submit", "fr")
