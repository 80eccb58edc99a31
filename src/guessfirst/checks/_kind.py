"""What a kind of question declares about itself, so no table elsewhere has to.

Every kind's check class carries one ``Kind``: its name in events and banks, the class a
teacher calls, its options with their types and defaults, which of them a bank writes as
a section, its xAPI interaction type, the catalogue words it needs, and the part of the
card that takes its answer. Banks, the widget, the xAPI export and the docs read these
declarations through :func:`guessfirst.checks.kinds`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final


class _Required:
    """The default of an option a teacher must give."""

    def __repr__(self) -> str:
        return "REQUIRED"


#: The default of an option without one: the teacher must give it.
REQUIRED: Final = _Required()


@dataclass(frozen=True)
class Option:
    """One option of a kind, as a teacher writes it in Python or in a bank.

    ``type`` is the annotation shown in ``help()`` and the docs. ``form`` is how a bank
    writes the value: ``"bool"`` (true or false), ``"number"``, ``"whole"`` (a whole
    number), ``"text"``, ``"list"`` (one ``- item`` line each; ``item`` names one),
    ``"answer"`` (a text or a list of texts), ``"code"`` (a fenced snippet) or ``"lines"``
    (a list of lines, each one item). ``section`` names the ``## Section`` a bank writes it
    in instead of the front matter. ``in_banks=False`` keeps an option out of banks (a
    Python callable, a part).
    """

    name: str
    type: str
    doc: str
    default: object = REQUIRED
    form: str = "text"
    item: str = ""
    section: str | None = None
    in_banks: bool = True

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


@dataclass(frozen=True)
class Kind:
    """A kind of question, declared once on its check class."""

    #: The kind's name in events, banks and the card (``"numeric"``).
    name: str
    #: The widget class a teacher calls (``"Numeric"`` for ``gf.Numeric``).
    title: str
    #: One line a teacher reads in ``help()`` and in the docs' list of kinds.
    summary: str
    #: What counts as right and how it is checked: the options after id and prompt.
    options: tuple[Option, ...]
    #: The xAPI interaction type of its attempts (``cmi.interaction``).
    interaction: str
    #: The card part that takes the answer: a module of ``js/src/controls/``.
    control: str = "text"
    #: The catalogue key of what an empty answer field shows ("" for none).
    placeholder: str = ""
    #: Further catalogue keys the kind's messages use, checked present in every language.
    words: tuple[str, ...] = ()
    #: Whether a bank can hold it (a question in parts cannot).
    in_banks: bool = True
    #: Whether it can be a part of a question in parts, whose card draws each part's
    #: answer in a field or as choices.
    in_parts: bool = True
    #: Whether a response is the student's own words (not a pick or a number), which an
    #: xAPI export leaves out unless the teacher asks for text.
    free_text: bool = True
    #: Which feedback keys a bank writes as headings (``## Feedback: <key>``): their type.
    feedback_keys: str = "str"
    #: Options a bank needs one of, when none alone is required ("answer or match").
    one_of: tuple[str, ...] = field(default=())

    def option(self, name: str) -> Option:
        return next(option for option in self.options if option.name == name)

    @property
    def bank_options(self) -> tuple[str, ...]:
        """The front matter keys a bank's question of this kind takes, in order."""
        return tuple(o.name for o in self.options if o.in_banks and o.section is None)

    @property
    def bank_sections(self) -> tuple[str, ...]:
        return tuple(o.name for o in self.options if o.in_banks and o.section is not None)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(o.name for o in self.options if o.required)
