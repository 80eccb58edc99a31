"""Logs in a zip downloaded from an LMS: Canvas's "Download submissions" and Moodle's
"Download all submissions", whose entry names say whose each file is.

- Canvas: ``lastfirst_12345_67890_ana.jsonl`` (``lastfirst_LATE_12345_...`` when late):
  the owner is the ``lastfirst`` login, 12345 the Canvas user id.
- Moodle: ``Ana Lee_12345_assignsubmission_file_/ana.jsonl`` (or, without folders,
  ``..._file_ana.jsonl``): the owner is the full name.

Any other ``.jsonl`` entry is collected with no owner. Nothing is extracted: entries are
read into memory one at a time. A zip is refused whole, before anything is taken from
it, when an entry's name is absolute, climbs with ``..`` or is a link (an LMS never makes
those), or when its logs would unpack to more than MAX_ZIP_BYTES (a zip bomb).
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from pathlib import Path

from ._found import MAX_LOG_BYTES, SUFFIX, CollectError, Found, Scan, Skip

#: What all of one zip's logs may unpack to: a class of 1,000 is a few hundred MB.
MAX_ZIP_BYTES = 4 * 2**30
MAX_ZIP_ENTRIES = 200_000

_CANVAS = re.compile(
    r"(?P<login>[^_/\\]+)(?:_late)?_(?P<user>\d+)_(?P<attachment>\d+)_(?P<name>[^/\\]+)",
    re.IGNORECASE,
)
_MOODLE = re.compile(
    r"(?P<name>[^/\\]+?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<rest>.*)",
    re.DOTALL,
)
_DRIVE = re.compile(r"[A-Za-z]:")


def scan_zip(path: Path) -> Scan:
    """The logs in the zip at ``path``; CollectError when it is refused."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise CollectError(f"{path} cannot be read as a zip: {exc}") from None
    try:
        logs = _checked_logs(path, archive)
    except CollectError:
        archive.close()
        raise
    scan = Scan(closing=[archive.close])
    for info in logs:
        scan.found.append(_found(path, archive, info))
    return scan


def _checked_logs(path: Path, archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise CollectError(f"{path} has {len(entries):,} entries, more than {MAX_ZIP_ENTRIES:,}")
    logs, total = [], 0
    for info in entries:
        why = _unsafe(info)
        if why is not None:
            raise CollectError(f"{path} is refused: its entry {info.filename!r} {why}")
        if info.is_dir() or not info.filename.lower().endswith(SUFFIX):
            continue
        if info.file_size > MAX_LOG_BYTES:
            raise CollectError(
                f"{path} is refused: its entry {info.filename!r} unpacks to "
                f"{info.file_size:,} bytes, more than any log ({MAX_LOG_BYTES:,})"
            )
        total += info.file_size
        if total > MAX_ZIP_BYTES:
            raise CollectError(
                f"{path} is refused: its logs unpack to more than {MAX_ZIP_BYTES:,} bytes "
                "(a zip bomb?)"
            )
        logs.append(info)
    return logs


def _unsafe(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    parts = re.split(r"[/\\]", name)
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "is an absolute path"
    if ".." in parts:
        return "climbs out of the zip with '..'"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "is a link"
    return None


def _found(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Found:
    name = info.filename
    source = f"{path}!{name}"

    def read() -> bytes:
        return _read_entry(archive, info)

    canvas = _CANVAS.fullmatch(name)
    if canvas:
        login, user = canvas["login"], canvas["user"]
        return Found(
            source=source,
            kind="canvas",
            key=f"canvas/{path.name}/{user}/{canvas['name']}",
            owner=login,
            parts=(canvas["name"],),
            read=read,
            aliases=(user,),
        )
    moodle = _MOODLE.fullmatch(name)
    if moodle:
        parts = tuple(part for part in re.split(r"[/\\]", moodle["rest"]) if part)
        return Found(
            source=source,
            kind="moodle",
            key=f"moodle/{path.name}/{moodle['name']}_{moodle['id']}/{'/'.join(parts)}",
            owner=moodle["name"],
            parts=parts,
            read=read,
        )
    parts = tuple(part for part in re.split(r"[/\\]", name) if part)
    return Found(
        source=source, kind="zip", key=f"zip/{path.name}/{name}", owner=None, parts=parts, read=read
    )


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The entry's bytes, never more than its declared size (checked when the zip was)."""
    if info.flag_bits & 0x1:
        raise Skip("encrypted in the zip")
    try:
        with archive.open(info) as handle:
            data = handle.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise Skip(f"damaged in the zip: {exc}") from None
    except OSError as exc:
        raise Skip(exc.strerror or str(exc)) from None
    if len(data) != info.file_size:
        raise Skip("damaged in the zip: not the size its entry says")
    return data
