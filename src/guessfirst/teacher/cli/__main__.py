"""``python -m guessfirst.teacher.cli``: the ``guessfirst`` command without its script."""

from __future__ import annotations

from . import main

raise SystemExit(main())
