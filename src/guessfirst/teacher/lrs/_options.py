"""How events become statements, and what of that a cursor keeps."""

from __future__ import annotations

import hashlib
import hmac
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .. import xapi

#: Called with how many of the total are done, and the total.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Options:
    """How events become statements; see :func:`guessfirst.teacher.xapi.statements`."""

    activity_base: str
    home_page: str
    pseudonymize: str | None = None
    text: bool = False

    def __post_init__(self) -> None:
        # An LRS refuses a statement whose IRIs are relative: better one line now.
        for what, value in (("activity base", self.activity_base), ("home page", self.home_page)):
            parts = urllib.parse.urlsplit(value)
            if not (parts.scheme and parts.netloc):
                raise ValueError(
                    f"the {what} must be a full address such as https://school.example"
                )

    def statements(self, events: Sequence[dict]) -> list[dict]:
        return xapi.statements(
            events,
            activity_base=self.activity_base,
            home_page=self.home_page,
            pseudonymize=self.pseudonymize,
            text=self.text,
        )

    def fingerprint(self) -> dict:
        """What the cursor keeps, so that one LRS does not get a log under two sets of options.

        The salt stays out: only an HMAC of a fixed word under it, which tells two salts
        apart and gives nothing that the logs beside the cursor do not already hold.
        """
        if self.pseudonymize is None:
            names = "real"
        else:
            key = self.pseudonymize.encode("utf-8", "surrogatepass")
            names = "hmac:" + hmac.new(key, b"guessfirst-cursor", hashlib.sha256).hexdigest()[:16]
        return {
            "activity_base": self.activity_base,
            "home_page": self.home_page,
            "names": names,
            "text": self.text,
        }
