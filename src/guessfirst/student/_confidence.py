"""How sure the student is: the levels the card offers, and reading a confidence given."""

from __future__ import annotations

#: The confidence choice the student sees, and the value stored in the log.
CONFIDENCE_LEVELS: tuple[tuple[str, float], ...] = (
    ("Just guessing", 0.0),
    ("Unsure", 1 / 3),
    ("Fairly sure", 2 / 3),
    ("Certain", 1.0),
)


def level_at(index: object) -> float | None:
    """The stored value of the confidence a browser names by its place on the scale."""
    if (
        isinstance(index, int)
        and not isinstance(index, bool)
        and 0 <= index < len(CONFIDENCE_LEVELS)
    ):
        return CONFIDENCE_LEVELS[index][1]
    return None


def confidence_value(confidence: float | str | None) -> float | None:
    """A confidence a teacher or test gives: a number from 0 to 1, or a level's label."""
    if confidence is None:
        return None
    if isinstance(confidence, str):
        for label, value in CONFIDENCE_LEVELS:
            if label.casefold() == confidence.strip().casefold():
                return value
        names = ", ".join(label for label, _ in CONFIDENCE_LEVELS)
        raise ValueError(f"confidence must be a number from 0 to 1 or one of: {names}")
    value = float(confidence)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"confidence must be between 0 and 1 (got {confidence!r})")
    return value
