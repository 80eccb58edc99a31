"""The words a student reads, in the student's language.

Every string lives in ``locales/<language>.json``: one flat object of key -> template,
placeholders in ``str.format`` style (``{name}``). Data, not code, so that a translator
adds a language by adding a file; ``LANGUAGES`` is whatever files ship. A key a language
lacks is read in English: a half-finished translation still gives a whole card.

Templates are plain text with no ``<``, ``>`` or ``&``, so the widget may place them in
HTML or in ``textContent`` alike; ``{answer}`` is filled with the student's answer already
escaped in a ``<q>``, whose quotation marks follow the card's ``lang``. A count-dependent
string is two keys, ``.one`` (used when the count is 1) and ``.other``; a language without
plural forms repeats itself.
Teacher-facing messages (a wrongly built question, a bad ``configure`` call) stay English
and are not here.
"""

from __future__ import annotations

import functools
import json
import os
import re
import types
import warnings
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from .kernel import KERNEL

_DEFAULT = "en"
# Beside this module, as the front end's files are (see _assets): importlib.resources
# would cost a student's `import guessfirst` a fifth of its time for the same files.
_LOCALES = Path(__file__).parent / "locales"

#: Every language a file in ``locales/`` provides, English first.
LANGUAGES: tuple[str, ...] = tuple(
    sorted(
        (
            entry.name.removesuffix(".json")
            for entry in _LOCALES.iterdir()
            if entry.name.endswith(".json")
        ),
        key=lambda name: (name != _DEFAULT, name),
    )
)

#: Regions whose Chinese is written in Traditional characters.
_TRADITIONAL_REGIONS = frozenset({"hk", "mo", "tw"})


def language() -> str:
    """The language to speak now: resolved at each call, so a later choice still counts.

    In order: :func:`set_language` (``guessfirst.configure(lang=...)``), then the
    ``GUESSFIRST_LANG`` environment variable, then the kernel's locale (see
    :func:`_from_locale`). An unsupported ``GUESSFIRST_LANG`` is warned about and
    skipped rather than raised: it is read while a student's card is being drawn.
    """
    chosen = KERNEL.chosen_language
    if chosen is not None:
        return chosen
    wished = os.environ.get("GUESSFIRST_LANG", "").strip()
    if wished:
        try:
            return supported(wished)
        except ValueError as err:
            warnings.warn(f"GUESSFIRST_LANG is ignored: {err}", stacklevel=2)
    return _from_locale(_system_locale())


def set_language(lang: str | None) -> None:
    """Choose the language for this kernel (``zh_hk`` reads as ``zh-HK``); None undoes it."""
    KERNEL.chosen_language = None if lang is None else supported(lang)


def text(key: str, lang: str | None = None, **values: object) -> str:
    """The string for ``key`` with ``values`` filled in; English when ``lang`` lacks it.

    A key no language has raises KeyError: that is a bug in the caller, not a gap in a
    translation.
    """
    chosen = language() if lang is None else supported(lang)
    template = _table(chosen).get(key)
    if template is None:
        template = _table(_DEFAULT)[key]
    return template.format(**values)


def catalogue(lang: str | None = None) -> dict[str, str]:
    """Every template, unformatted and with English gaps filled, for the front end."""
    chosen = language() if lang is None else supported(lang)
    return {**_table(_DEFAULT), **_table(chosen)}


def supported(name: str) -> str:
    """The canonical spelling of a language a teacher named: case and ``_``/``-`` do not count
    (``zh_hk`` is ``zh-HK``); any other name is refused."""
    wanted = name.strip().replace("_", "-").casefold()
    for lang in LANGUAGES:
        if lang.casefold() == wanted:
            return lang
    raise ValueError(f"unknown language {name!r}; guessfirst speaks {', '.join(LANGUAGES)}")


def _system_locale() -> str:
    """The locale that decides messages, by POSIX precedence: the first one set wins."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "").strip()
        if value:
            return value
    return ""


def _from_locale(value: str) -> str:
    """The supported language closest to a locale such as ``zh_HK.UTF-8`` or ``en_GB``.

    Chinese goes by script, because that is what a reader can read: ``zh-Hant``, and
    ``zh`` in Hong Kong, Macau or Taiwan, get zh-HK (Taiwan's wording differs little on
    a card this size). Simplified Chinese (``zh_CN``, ``zh-Hans``, ``zh_SG``, a bare
    ``zh``) gets English, not Traditional characters. CLDR, too, never lets one script
    stand in for the other; and a locale only says how a machine was set up, while the
    teacher knows the class: for Simplified readers who read Traditional well, one line
    (``GUESSFIRST_LANG=zh-HK`` or ``configure(lang="zh-HK")``) chooses it. Any other
    unsupported locale (``C``, ``fr_FR``) is English too.
    """
    tag = re.split(r"[.@]", value, maxsplit=1)[0]
    base, *rest = (part.casefold() for part in re.split(r"[-_]", tag))
    if base == "zh":
        traditional = "hant" in rest or (
            "hans" not in rest and not _TRADITIONAL_REGIONS.isdisjoint(rest)
        )
        return "zh-HK" if traditional else _DEFAULT
    known = {lang.casefold(): lang for lang in LANGUAGES}
    candidates = (*(f"{base}-{part}" for part in rest), base)
    return next((known[name] for name in candidates if name in known), _DEFAULT)


@functools.cache
def _table(lang: str) -> Mapping[str, str]:
    """One language's templates, read from package data once per kernel."""
    name = f"{lang}.json"
    table = json.loads((_LOCALES / name).read_text(encoding="utf-8"))
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise ValueError(f"locales/{name} must be one JSON object of key -> string")
    return types.MappingProxyType(table)


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def weekday_name(day: date, lang: str | None = None) -> str:
    return text(f"date.{_WEEKDAYS[day.weekday()]}", lang)


def month_name(day: date, lang: str | None = None) -> str:
    return text(f"date.{_MONTHS[day.month - 1]}", lang)


def day_month(day: date, lang: str | None = None) -> str:
    """A date as people say it in the language: "20 November", "11月20日"."""
    return text("date.day_month", lang, day=day.day, month=month_name(day, lang))
