"""The card and Python agree on the traits: each one the card reads is synced, and back.

Python writes every synced trait and the card (js/src) only reads them, through one
helper, ``trait("name", fallback)`` in js/src/traits.js, and redraws when one in its
``TRAITS`` list changes. A trait renamed on one side only would leave the card showing
a default forever: these tests name it instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import guessfirst  # noqa: F401  (every kind's widget class is made on import)
from guessfirst.student import multi  # noqa: F401  (a question in parts syncs its parts)
from guessfirst.student.widget import Question

JS = Path(__file__).parents[1] / "js"
SOURCES = JS / "src"

#: Synced by ipywidgets for its own layout and focus handling, never by guessfirst.
_WIDGET_INTERNALS = {"layout", "tabbable", "tooltip"}


def _sources() -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in sorted(SOURCES.rglob("*.js"))}


def _listed(name: str) -> set[str]:
    """The strings in ``export const <name> = [...]`` of js/src/traits.js."""
    text = (SOURCES / "traits.js").read_text(encoding="utf-8")
    found = re.search(rf"export const {name} = \[(.*?)\];", text, re.S)
    assert found, f"js/src/traits.js exports no {name} list"
    return set(re.findall(r'"(\w+)"', found.group(1)))


def _read_by_card() -> set[str]:
    """Every trait name the card's sources pass to ``trait(...)``."""
    return {
        name for text in _sources().values() for name in re.findall(r'\btrait\(\s*"(\w+)"', text)
    }


def _read_by_loader() -> set[str]:
    """The loader (js/loader.js) reads the card's script itself: not the card's traits."""
    return set(re.findall(r'model\.get\(\s*"(\w+)"\s*\)', (JS / "loader.js").read_text("utf-8")))


def _kinds(cls: type[Question]) -> list[type[Question]]:
    return [cls, *(kind for sub in cls.__subclasses__() for kind in _kinds(sub))]


def _synced_by_python() -> set[str]:
    """The traits some question widget syncs, less the widget machinery and the loader's."""
    names = {name for cls in _kinds(Question) for name in cls.class_traits(sync=True)}
    return {
        name
        for name in names
        if not name.startswith("_") and name not in _WIDGET_INTERNALS | _read_by_loader()
    }


def _mismatch(synced: set[str], card: set[str]) -> str:
    """What a failure says: the traits read on one side only, by name."""
    said = []
    if card - synced:
        said.append(
            f"the card reads traits Python does not sync: {', '.join(sorted(card - synced))}"
        )
    if synced - card:
        said.append(f"Python syncs traits the card never reads: {', '.join(sorted(synced - card))}")
    return "; ".join(said)


def _card_traits() -> set[str]:
    return _read_by_card() | _listed("TRAITS") | _listed("DRAWN_ONCE")


def test_the_card_reads_the_traits_python_syncs_and_no_others():
    synced, card = _synced_by_python(), _card_traits()
    assert synced == card, _mismatch(synced, card)


def test_the_card_redraws_on_every_trait_it_reads_but_the_few_set_once():
    listened, once = _listed("TRAITS"), _listed("DRAWN_ONCE")
    unheard = _read_by_card() - listened - once
    assert not unheard, f"the card reads but does not redraw on: {', '.join(sorted(unheard))}"
    assert not listened & once, f"both redrawn on and set once: {sorted(listened & once)}"
    assert once <= _read_by_card(), f"listed as drawn once but never read: {once - _read_by_card()}"


def test_the_card_reads_traits_only_through_its_one_helper():
    """So the scan above sees every read: no `model.get(` outside the helper."""
    reads = {
        path.relative_to(SOURCES).as_posix(): len(re.findall(r"\bmodel\.get\(", text))
        for path, text in _sources().items()
        if re.search(r"\bmodel\.get\(", text)
    }
    assert reads == {"traits.js": 1}, f"traits read besides trait(...): {reads}"


def test_a_trait_renamed_on_one_side_is_named_in_the_failure():
    synced = _synced_by_python()
    card = (_card_traits() - {"hints_left"}) | {"hint_left"}
    assert _mismatch(synced, card) == (
        "the card reads traits Python does not sync: hint_left; "
        "Python syncs traits the card never reads: hints_left"
    )


def test_every_trait_the_card_reads_says_what_it_is_for():
    """Each synced trait is declared with its help, as ipywidgets declares its own."""
    traits = {name: trait for cls in _kinds(Question) for name, trait in cls.class_traits().items()}
    unexplained = sorted(name for name in _read_by_card() if not traits[name].help)
    assert unexplained == [], f"synced traits without help=: {unexplained}"
