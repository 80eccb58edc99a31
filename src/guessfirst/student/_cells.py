"""Question ids claimed per notebook cell, and the cell running now.

Two questions sharing an id would pool their students' attempts in the report, so an id
belongs to one content; a teacher re-running the cell they just edited is not a clash,
when the front end tells the kernel which cell is running.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from .. import checks
from ..kernel import KERNEL

if TYPE_CHECKING:
    from .widget import Question


def current_cell() -> str | None:
    """The id of the notebook cell running now, when the front end says."""
    try:
        from IPython import get_ipython

        parent = get_ipython().kernel.get_parent()
    except Exception:  # not in a kernel, or a kernel that does not say
        return None
    cell = (parent or {}).get("metadata", {}).get("cellId")
    return cell if isinstance(cell, str) else None


def claim_id(check: checks.Check, cell: str | None) -> None:
    """Refuse a second question under an id already used for different content."""
    known = KERNEL.defined.get(check.qid)
    if known and known[0] != check.qversion and (cell is None or known[1] != cell):
        raise checks.QuestionError(
            f"Question {check.qid!r}: this id is already used by a different question in "
            "this notebook. Give each question its own id (if you edited this one, "
            "restart the kernel)."
        )
    KERNEL.defined[check.qid] = (check.qversion, cell)


def replace_in_cell(cell: str | None, widget: Question) -> None:
    """Close the widget a re-run cell made before: its view is gone, and every model left
    open would be saved into the notebook again with the widget state."""
    if cell is None:
        return
    key = (cell, widget.qid)
    earlier = KERNEL.made_in_cell.get(key)
    old = earlier() if earlier is not None else None
    if old is not None and old is not widget:
        old.close()
    KERNEL.made_in_cell[key] = weakref.ref(widget)
