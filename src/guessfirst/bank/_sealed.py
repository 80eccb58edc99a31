"""The sealed ``.gfq`` copy: a bank a student can open, whose answers no editor or grep shows.

The questions are canonical JSON, compressed and scrambled with a keystream from their own
hash, which also proves on loading that the file is unchanged. The same bank always seals
to the same bytes, and a bank using nothing newer is written in the oldest format that
holds it, so that students with an older guessfirst can open it.

The hash proves a file unchanged, not harmless: anyone can seal a file. So the questions
are unpacked a piece at a time and refused past ``MAX_BANK_BYTES`` (5 MiB, ten times a
large real bank): a 2 MB zlib bomb would unpack to 2 GB. Their JSON is measured for
depth before it is parsed, and each value is held to the bounds a Markdown bank is.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import zlib
from collections.abc import Collection
from dataclasses import asdict
from pathlib import Path

from . import _bounds
from ._bounds import MAX_BANK_BYTES, mib
from ._spec import SHOWING, BankError, Spec, front_matter, kinds, required, sections
from ._tagged import has_tag

_FORMAT = "guessfirst sealed question bank"
#: The newest format written and read. Version 2 added the kinds expression, predict and
#: code, quiz and fade options, and examples in steps; a bank using none of them is still
#: written as version 1. Feedback naming its misconception is version 2 too: it is text of
#: its section, which a reader from before misconceptions shows as written.
_VERSION = 2
_FIRST_KINDS = ("numeric", "choice", "text")
_SALT = b"guessfirst seal v1\0"  # unchanged in version 2: the scrambling is the same
_KEYS = frozenset({"id", "kind", "prompt", "example", "feedback", "options"})
#: Written only for a question that has hints, so a bank without any seals as it always did.
_OPTIONAL_KEYS = frozenset({"hints"})
#: A question is an object holding at most 8 lists and objects (options, feedback, hints,
#: steps, and the lists among its options), and at most 20 values besides its parts; the
#: file adds a few. Counted before the JSON is parsed, so a file of a million numbers is not.
_MAX_CONTAINERS = 8 * _bounds.MAX_QUESTIONS + 2
_MAX_VALUES = 20 * _bounds.MAX_QUESTIONS + _bounds.MAX_PARTS + 20


def sealed_text(path: Path, source: str, specs: Collection[Spec]) -> str:
    """The sealed file's text for the questions of the Markdown file named ``source``.

    A bank that would unpack past the bound is refused here, so every sealed copy loads.
    """
    plain = _canonical({"questions": [_as_json(spec) for spec in specs]})
    if len(plain) > MAX_BANK_BYTES:
        raise BankError(
            path,
            None,
            None,
            f"sealed, this bank would unpack to {len(plain):,} bytes, more than the "
            f"{mib(MAX_BANK_BYTES)} a sealed bank may hold: split it",
        )
    check = hashlib.sha256(plain).hexdigest()[:32]
    envelope = {
        "format": _FORMAT,
        "version": max((_format_version(spec) for spec in specs), default=1),
        "sealed_from": source,
        "questions": [spec.qid for spec in specs],
        "check": check,
        "data": base64.b64encode(_scramble(zlib.compress(plain, 9), check)).decode("ascii"),
    }
    return json.dumps(envelope, indent=1, ensure_ascii=False) + "\n"


def unsealed(path: Path, text: str) -> tuple[str, list[Spec]]:
    """The Markdown file's name and the questions, once the file proves unchanged."""
    envelope = _parsed(text)
    if not isinstance(envelope, dict) or envelope.get("format") != _FORMAT:
        raise BankError(path, None, None, "this is not a sealed guessfirst question bank")
    version = envelope.get("version")
    if isinstance(version, bool) or version not in range(1, _VERSION + 1):
        raise BankError(
            path,
            None,
            None,
            f"sealed in format version {version!r}, and this guessfirst reads versions "
            f"1 to {_VERSION}: upgrade guessfirst, or seal the bank again",
        )
    source, check, data = (envelope.get(key) for key in ("sealed_from", "check", "data"))
    changed = BankError(
        path,
        None,
        None,
        "this sealed bank was changed or damaged after it was sealed; seal it again "
        f"from its Markdown file (guessfirst seal {source if isinstance(source, str) else '...'})",
    )
    if not isinstance(source, str) or not isinstance(check, str) or not isinstance(data, str):
        raise changed
    try:
        plain = _unpacked(_scramble(base64.b64decode(data, validate=True), check))
    except (binascii.Error, zlib.error):
        raise changed from None
    if plain is None:
        raise BankError(
            path,
            None,
            None,
            f"this sealed bank unpacks to more than {mib(MAX_BANK_BYTES)}, the most "
            "guessfirst reads (ten times a large real bank), so it was not sealed "
            "by guessfirst: seal the bank again from its Markdown file",
        )
    if hashlib.sha256(plain).hexdigest()[:32] != check:
        raise changed
    try:
        payload = _parsed(plain.decode("utf-8"))
    except UnicodeDecodeError:
        raise changed from None
    items = payload.get("questions") if isinstance(payload, dict) else None
    if isinstance(items, list) and len(items) > _bounds.MAX_QUESTIONS:
        raise BankError(
            path,
            None,
            None,
            f"this sealed bank has {len(items):,} questions, more than the "
            f"{_bounds.MAX_QUESTIONS:,} a bank may have",
        )
    read = [_question(item) for item in items] if isinstance(items, list) else [None]
    specs = [spec for spec in read if spec is not None]
    if len(specs) != len(read) or [spec.qid for spec in specs] != envelope.get("questions"):
        raise changed
    return source, _bounded(path, specs)


def _parsed(text: str) -> object:
    """The JSON in ``text``, or None when it is not JSON or is nested too deep to read."""
    if _bounds.json_problem(text, _MAX_CONTAINERS, _MAX_VALUES) is not None:
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _unpacked(data: bytes) -> bytes | None:
    """The decompressed bytes, or None past ``MAX_BANK_BYTES``: never more is held."""
    inflate = zlib.decompressobj()
    plain = inflate.decompress(data, MAX_BANK_BYTES + 1)
    if len(plain) > MAX_BANK_BYTES:
        return None
    if not inflate.eof:
        raise zlib.error("the compressed data ends early")
    return plain


def _bounded(path: Path, specs: list[Spec]) -> list[Spec]:
    """The questions, once each holds only values a Markdown bank could have given."""
    for spec in specs:
        if (found := _bounds.spec_problem(spec)) is not None:
            raise BankError(path, None, spec.qid, found[1])
    if (total := _bounds.parts(specs)) > _bounds.MAX_PARTS:
        raise BankError(
            path,
            None,
            None,
            f"this sealed bank has {total:,} list items, feedback sections, hints and steps, "
            f"more than the {_bounds.MAX_PARTS:,} allowed",
        )
    return specs


def _as_json(spec: Spec) -> dict[str, object]:
    data = asdict(spec)
    data["id"] = data.pop("qid")
    hints = data.pop("hints")
    if hints:
        data["hints"] = list(hints)
    return data


def _format_version(spec: Spec) -> int:
    """The oldest sealed format that holds this question."""
    if any(has_tag(message) for message in spec.feedback.values()):
        return 2
    first = (
        spec.kind in _FIRST_KINDS
        and set(spec.options) <= {*front_matter(spec.kind), "confidence"}
        and isinstance(spec.example, str)
    )
    return 1 if first else 2


def _canonical(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _scramble(data: bytes, check: str) -> bytes:
    """XOR with a keystream from the content's own hash: unreadable, and undone the same way.

    Obfuscation, not encryption: the key is in the file. It keeps answers out of an editor
    and out of ``grep``, also after decompressing, since the compressed bytes are scrambled.
    """
    stream = hashlib.shake_256(_SALT + check.encode()).digest(len(data))
    mixed = int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")
    return mixed.to_bytes(len(data), "big")


def _question(item: object) -> Spec | None:
    """One sealed question, or None when it is not in the shape ``sealed_text`` writes."""
    if not isinstance(item, dict) or not _KEYS <= set(item) <= _KEYS | _OPTIONAL_KEYS:
        return None
    example, feedback, options = item["example"], item["feedback"], item["options"]
    hints, steps = item.get("hints", []), example if isinstance(example, list) else [example]
    if (
        not isinstance(hints, list)
        or not isinstance(feedback, dict)
        or not isinstance(options, dict)
        or not steps
        or not all(
            isinstance(text, str)
            for text in (item["id"], item["kind"], item["prompt"], *steps, *hints)
        )
        or not all(isinstance(message, str) for message in feedback.values())
        or item["kind"] not in kinds()
    ):
        return None
    kind = item["kind"]
    if not set(required(kind)) <= set(options) <= {*front_matter(kind), *SHOWING, *sections(kind)}:
        return None
    return Spec(
        item["id"],
        item["kind"],
        item["prompt"],
        tuple(example) if isinstance(example, list) else example,
        feedback,
        options,
        tuple(hints),
    )
