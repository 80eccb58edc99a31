"""What this kernel knows: one object, so that a new kernel (or a new test) starts clean.

A student's kernel remembers who is answering, which question ids its cells defined, which
log files it writes and which questions are on screen. All of it is here, in ``KERNEL``,
and :meth:`Kernel.reset` forgets it as a restart would. Nothing heavy is imported: the
widget modules read and write these fields, never the other way round.

Kept out on purpose, because each is a process resource or a cache, not knowledge:

- ``hubsend``'s senders: a daemon thread per (log file, service) sending the file past a
  cursor kept on disk. It knows nothing the log does not, so a recorder made after a reset
  gets the same sender back, and the exit hook needs every sender for its last try.
- ``eventlog``'s parse cache: keyed by path, size and modification time, so an entry is
  never served for a file that changed; forgetting it would only cost a re-read.
- the isolation worker of ``checks``: the process running students' code. It is slow to
  start, carries nothing from one check into the next, and must outlive tests.
- ``context.SESSION``: the id of this process's run, not of what the kernel learnt.
"""

from __future__ import annotations

import dataclasses
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from .student.tracker import Recorder
    from .student.widget import Question

#: How a question was made: its class, then the arguments it was called with. Any: they are
#: whatever that class takes, and are only ever passed back to it.
Made = tuple["type[Question]", tuple[Any, ...], dict[str, Any]]


@dataclass
class Kernel:
    """Everything one kernel learns while a lesson runs; see :meth:`reset`."""

    # Questions on screen, in the order they were made: a name typed in one card reaches
    # them all (and the log's order follows the lesson's). Weak: a closed card is gone.
    live: weakref.WeakKeyDictionary[Question, None] = field(
        default_factory=weakref.WeakKeyDictionary
    )
    # How each question was made (class and arguments), by id, so a review can ask it
    # again or ask a variant: the cells that made them ran in this kernel only.
    makers: dict[str, Made] = field(default_factory=dict)
    # Question ids defined here: id -> (qversion, cell that defined it). Two contents under
    # one id would pool their students in the report; a restart is the way to edit one.
    defined: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    # The question each cell last made, by (cell, id): a re-run cell closes its old card.
    made_in_cell: dict[tuple[str, str], weakref.ref[Question]] = field(default_factory=dict)
    # One recorder per log file, holding its progress and the events the disk refused.
    recorders: dict[Path, Recorder] = field(default_factory=dict)
    # (student, question, qversion) already logged as shown: once per kernel, not per view.
    shown: set[tuple[str, str, str]] = field(default_factory=set)
    # What ``configure`` was told ("student", "log_dir"): the notebook's wish, this run.
    configured: dict[str, object] = field(default_factory=dict)
    # The name a student typed in a card; a restart reads it back from beside the logs.
    asked_student: str | None = None
    # The language ``configure(lang=...)`` chose; None follows the environment.
    chosen_language: str | None = None

    def reset(self) -> None:
        """Forget everything, as a restarted kernel would: each field gets a fresh default.

        Cards still open stay alive for whoever holds them but no longer hear a name typed
        elsewhere; events a recorder still held unwritten go with it, as in a killed kernel.
        """
        fresh = Kernel()
        for each in dataclasses.fields(self):
            setattr(self, each.name, getattr(fresh, each.name))


#: This kernel's state; modules read its fields at each use, so a reset reaches them all.
KERNEL = Kernel()
