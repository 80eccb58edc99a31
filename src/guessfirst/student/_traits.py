"""What the card draws from: every synced trait of a question, and what the card does with it.

Python writes these and only Python (``widget.Question`` refuses state a browser sends);
the card (js/src) reads them. The gate is in which of them stay empty: ``feedback_html``,
``outcome_html``, ``example_html``, ``faded_steps`` and ``hints_html`` get a value only
after the student's first attempt, or a quiz's opening. Traits tagged ``per_student``
describe one student's progress: they go back to their defaults, and the gate closes
again, when another student takes over the computer.
"""

from __future__ import annotations

import hashlib

import anywidget
import traitlets as t

from .. import checks
from .._assets import asset
from ..i18n import catalogue, language
from ..i18n import text as _say

_SCRIPT = asset("widget.js").read_text(encoding="utf-8")


def _version(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


class CardTraits(anywidget.AnyWidget):
    """The synced state of a question card; its behaviour is ``widget.Question``."""

    # anywidget would import `_esm` afresh for every question: a small loader evaluates
    # the card's script once per page and version (see loader.js). Not anywidget's `_css`
    # either, which rewrites the style sheet for every new question and so restyles the
    # whole page each time: the card adds it once per page (see widget.js).
    _esm = t.Unicode(
        asset("loader.js").read_text(encoding="utf-8"),
        help="The module anywidget imports: a loader that runs the card's script.",
    ).tag(sync=True)
    _anywidget_id = t.Unicode(
        "guessfirst.student.widget.Question",
        help="anywidget's name for the widget class: one for every kind of question.",
    ).tag(sync=True)
    script = t.Unicode(
        _SCRIPT, read_only=True, help="The card's script, which the loader evaluates once."
    ).tag(sync=True)
    script_version = t.Unicode(
        _version(_SCRIPT),
        read_only=True,
        help="A hash of the script: the loader evaluates it again only when this changes.",
    ).tag(sync=True)
    css = t.Unicode(
        asset("widget.css").read_text(encoding="utf-8"),
        read_only=True,
        help="The card's style sheet, added to the page once.",
    ).tag(sync=True)

    # -- the question, as made -----------------------------------------------------------
    qid = t.Unicode("", help="The question's id: the card's element ids are made from it.").tag(
        sync=True
    )
    kind = t.Unicode("", help="The question's kind: a text field takes the shape it needs.").tag(
        sync=True
    )
    control = t.Unicode(
        "text",
        help="The card part that takes the answer, as the kind declares it: a module of "
        "js/src/controls/ (text, choice, cell, parts, order).",
    ).tag(sync=True)
    control_options = t.Dict(
        help="What that card part needs to know of this question beyond its choices (an "
        "order question's indent); never part of an answer.",
    ).tag(sync=True)
    prompt_html = t.Unicode("", help="The prompt, rendered and sanitized: shown above all.").tag(
        sync=True
    )
    choices = t.List(
        t.Dict(), help="The options to pick or arrange ({value, html}), in this student's order."
    ).tag(sync=True)
    multiple = t.Bool(False, help="A choice question takes several options: check boxes.").tag(
        sync=True
    )
    ask_confidence = t.Bool(True, help="Show the how-sure-are-you scale beside Submit.").tag(
        sync=True
    )
    placeholder = t.Unicode("", help="The answer field's placeholder, as the kind says.").tag(
        sync=True
    )
    instructions = t.Unicode(
        "", help="How to hand in a code answer (the call to make), shown instead of a field."
    ).tag(sync=True)
    mode = t.Unicode(
        "practice",
        help="practice, quiz or pretest: a quiz shows no verdict until open, a pretest never.",
    ).tag(sync=True)
    # The card's own words (buttons, labels), in the language chosen when it was made.
    lang = t.Unicode("en", help="The language of the card's words: its root's lang.").tag(sync=True)
    strings = t.Dict(help="The card's own words (card.* of the catalogue), by key.").tag(sync=True)
    welcome_html = t.Unicode(
        "",
        help="Why the card asks for a guess first: on a kernel's first card only, until the "
        "student says 'Got it' (see science). The same on every card, about no answer.",
    ).tag(sync=True)

    # -- who is answering ----------------------------------------------------------------
    needs_student = t.Bool(
        False, help="No student known yet: the card asks for a name and locks the answer."
    ).tag(sync=True)
    student_error = t.Unicode("", help="Why the name typed was refused, under its field.").tag(
        sync=True
    )
    student_label = t.Unicode(
        "", help="The name a student typed, with a 'not you?' switch; empty otherwise."
    ).tag(sync=True, per_student=True)

    # -- this student's progress ---------------------------------------------------------
    status = t.Unicode(
        "open", help="open, wrong or correct; a closed quiz's saved or done: the card's colour."
    ).tag(sync=True, per_student=True)
    attempts = t.Int(0, help="Attempts made so far: a new one clears the confidence scale.").tag(
        sync=True, per_student=True
    )
    input_error = t.Unicode(
        "", help="Why the last answer was not taken (unreadable, used up...), under the field."
    ).tag(sync=True, per_student=True)
    feedback_html = t.Unicode(
        "", help="What the last attempt earned: verdict and feedback; gated."
    ).tag(sync=True, per_student=True)
    outcome_html = t.Unicode(
        "", help="What the attempt turned out to be (a program's output, its test cases); gated."
    ).tag(sync=True, per_student=True)
    last_response = t.Unicode(
        "", help="The last answer as the student wrote it: put back in the field."
    ).tag(sync=True, per_student=True)
    attempts_left = t.Int(0, help="A closed quiz's attempts still allowed.").tag(
        sync=True, per_student=True
    )
    release_text = t.Unicode("", help="When a closed quiz's examples open, in words.").tag(
        sync=True, per_student=True
    )
    key_entry = t.Bool(False, help="Offer the field where the teacher types the quiz key.").tag(
        sync=True, per_student=True
    )
    key_error = t.Unicode("", help="The key typed opened no question: said under its field.").tag(
        sync=True, per_student=True
    )
    # Faded worked examples: the last steps blank until the student has written them.
    faded_steps = t.List(
        t.Dict(), help="The faded steps written so far ({n, html, yours}), after the example."
    ).tag(sync=True, per_student=True)
    steps_left = t.Int(0, help="Faded steps still blank: the card asks for the next one.").tag(
        sync=True, per_student=True
    )
    next_step = t.Int(0, help="The number in the example of the step to write next.").tag(
        sync=True, per_student=True
    )
    example_html = t.Unicode("", help="The worked example, rendered; gated.").tag(
        sync=True, per_student=True
    )
    hints_html = t.List(t.Unicode(), help="The hints opened so far, rendered; gated.").tag(
        sync=True, per_student=True
    )
    hints_left = t.Int(
        0, help="Hints not yet opened: after a wrong answer, the hint button shows."
    ).tag(sync=True, per_student=True)
    reflection_for = t.Int(
        0, help="The wrong attempt the card asks the student to reflect on; 0 asks nothing."
    ).tag(sync=True, per_student=True)
    reflection_saved = t.Bool(False, help="That reflection is kept: the card says so.").tag(
        sync=True, per_student=True
    )
    notice = t.Unicode(
        "", help="What the log could not do (the disk refused...): an alert with a retry."
    ).tag(sync=True, per_student=True)
    school_saved = t.Bool(
        False,
        help="True once the school's hub service holds the last events this card wrote: "
        "the card's small 'saved to the school' mark. Never True without a service.",
    ).tag(sync=True, per_student=True)
    seq = t.Int(
        0, help="Counts the kernel's answers to requests: a change ends the card's busy state."
    ).tag(sync=True)


def first_state(check: checks.Check, prompt: str, confidence: bool, mode: str) -> dict[str, object]:
    """The traits a new card starts with: the question as made, before any student."""
    from . import rendering  # only once a question exists: keeps `import guessfirst` light

    return dict(
        qid=check.qid,
        kind=check.kind,
        control=check.KIND.control,
        control_options=check.control_options(),
        prompt_html=rendering.render_markdown(prompt),
        ask_confidence=bool(confidence),
        multiple=getattr(check, "multiple", False),
        placeholder=_say(check.KIND.placeholder) if check.KIND.placeholder else "",
        mode=mode,
        lang=language(),
        strings=card_strings(),
    )


def card_strings() -> dict[str, str]:
    """The catalogue's words the card itself draws (``card.*``), in the current language."""
    return {key: text for key, text in catalogue().items() if key.startswith("card.")}
