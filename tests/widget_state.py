"""What a question's browser holds about it: its synced state, without the card's own code."""

from __future__ import annotations

import json

#: The card's script, styles and loader: the same for every question, and no secret.
ASSETS = frozenset({"_esm", "script", "css"})
#: With the first card's explanation of why it asks for a guess (student/science.py): the
#: same words on every card, about no answer, though they say "not quite right".
GENERAL = ASSETS | {"welcome_html"}


def own_state(widget: object) -> str:
    """The question's synced state as JSON, for searching it for answers."""
    state = widget.get_state()  # type: ignore[attr-defined]
    return json.dumps({key: value for key, value in state.items() if key not in GENERAL})
