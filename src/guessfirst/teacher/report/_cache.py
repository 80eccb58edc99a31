"""What an earlier report already judged, kept in the collected folder for the next one.

A class's logs grow by appends, and the dashboard re-reads them every half minute. The
cache (``DIR/.guessfirst-cache/report.duckdb``) holds, per file, the byte prefix that was
verified (its length and BLAKE3 hash) and the judged rows of the lines in it whose verdict
can no longer change. A re-run hashes each file's prefix in one pass and judges only the
bytes after it; a prefix that no longer matches means the file was edited, truncated or
replaced, and then the whole file is judged again: the cache never hides an edit. BLAKE3
is a cryptographic hash like the chain's sha256, and hashes a class's 300 MiB about five
times faster here; the chain itself keeps sha256, which the log format names.

A line's verdict depends on the line after it (a line only DuckDB reads as JSON counts
only if its successor vouches for it) and on whether it is the last line. So of a file's
``k`` complete lines, the prefix covers lines 1..k-1 and the rows kept are 1..k-2: line
k-1 is judged again with its successor, and line k-2's verdict rests on the verified
bytes of line k-1 alone.

The cache is a DuckDB database, written to a temporary file and renamed into place. One
that cannot be read, or that another version of the reader wrote, is set aside with a
:class:`CacheWarning` and rebuilt. A cache in a folder we may not write is skipped with
the same note: the report is whole either way, only slower.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import time
import uuid
import warnings
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import duckdb
import pandas as pd
from blake3 import blake3

CACHE_DIR = ".guessfirst-cache"
_NAME = "report.duckdb"
_FORMAT = "2"  # the cache's own layout; the reader's SQL is hashed into the signature too
_TEMPORARY = ".report-"  # the next cache, until it is renamed into place
_ABANDONED_AFTER = 3600  # seconds: no report takes an hour to write its cache


class CacheWarning(UserWarning):
    """The report's cache could not be used or kept: the report is whole, only slower."""


@dataclass(frozen=True)
class Kept:
    """What the cache holds of one file: ``prefix`` bytes, BLAKE3 ``digest``, verified;
    the rows of lines ``1..rows`` judged, the next line starting at byte ``rows_end``;
    ``expect``, the chain hash line ``rows + 1`` must name as its ``prev``."""

    fid: int
    prefix: int
    digest: str
    rows: int
    rows_end: int
    expect: str


@dataclass(frozen=True)
class Start:
    """Where this read judges a file from: the first ``base`` lines are restored from the
    cache's file ``fid``, and judging starts at byte ``offset`` expecting ``expect``."""

    base: int = 0
    offset: int = 0
    expect: str = ""
    fid: int | None = None


FRESH = Start()


def folder_of(paths: list[str | os.PathLike[str]]) -> Path | None:
    """The collected folder a read is of, where its cache lives: one folder, or nothing."""
    if len(paths) != 1:
        return None
    folder = Path(paths[0]).expanduser()
    return folder if folder.is_dir() else None


def signature(*sql: str) -> str:
    """Whose rows a cache holds: this reader's SQL, guessfirst's and DuckDB's versions."""
    digest = hashlib.sha256(_FORMAT.encode())
    for part in (*sql, version("guessfirst"), duckdb.__version__):
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


class Cache:
    """One read's view of a folder's cache: what it holds, and what this read adds."""

    def __init__(self, folder: Path, reader: str) -> None:
        self.folder = folder
        self.path = folder / CACHE_DIR / _NAME
        self.reader = reader
        self.kept: dict[str, Kept] = {}
        self.attached = False
        self._files: dict[int, tuple[str, Start, Seen]] = {}
        self._stale = False
        self._top = 0  # the highest file id the cache has used

    # -- reading -----------------------------------------------------------------------

    def open(self, con: duckdb.DuckDBPyConnection) -> None:
        """Attach the cache read-only and list its files; a bad cache is noted and set aside."""
        if not self.path.is_file():
            return
        try:
            con.execute("ATTACH ? AS kept (READ_ONLY)", [str(self.path)])
        except duckdb.Error as exc:
            _note(f"the report's cache {self.path} cannot be read ({_first_line(exc)})")
            return
        self.attached = True
        try:
            found = con.execute("SELECT value FROM kept.meta WHERE key = 'reader'").fetchall()
            if found != [(self.reader,)]:
                _note(f"the report's cache {self.path} was written by another version")
                self.close(con)
                return
            rows = con.execute(
                "SELECT path, fid, prefix, digest, rows, rows_end, expect FROM kept.files"
            ).fetchall()
        except duckdb.Error as exc:
            _note(f"the report's cache {self.path} cannot be read ({_first_line(exc)})")
            self.close(con)
            return
        entries = {path: Kept(*entry) for path, *entry in rows}
        self.kept = {path: kept for path, kept in entries.items() if _sane(kept)}
        self._stale = len(self.kept) < len(entries)  # an entry not to be trusted: its rows go
        self._top = max((kept.fid for kept in entries.values()), default=0)

    def close(self, con: duckdb.DuckDBPyConnection) -> None:
        if self.attached:
            con.execute("DETACH kept")
            self.attached = False
            self.kept = {}

    def to_judge(self, path: Path, size: int) -> int:
        """About how many of a file's ``size`` bytes this read will judge."""
        kept = self.kept.get(self._key(path))
        return size - kept.rows_end if kept is not None and size >= kept.prefix else size

    def start(self, file_id: int, path: Path, content: bytes) -> Start:
        """Where to judge ``content`` from, having checked the cache's prefix of it; noting
        what the next cache keeps of it. Thread-safe: each file is one batch's alone."""
        key = self._key(path)
        kept = self.kept.get(key)
        view = memoryview(content)
        start, hasher = FRESH, blake3()
        if kept is not None and len(content) >= kept.prefix:
            hasher.update(view[: kept.prefix])
            if hasher.hexdigest() == kept.digest:
                start = Start(kept.rows, kept.rows_end, kept.expect, kept.fid)
        if start.fid is None:
            if kept is not None:
                self._stale = True  # changed since: its old rows must go
            kept, hasher = None, blake3()
        self._files[file_id] = (key, start, _seen(content, view, hasher, kept))
        return start

    def restore(self, con: duckdb.DuckDBPyConnection) -> None:
        """Copy the rows the cache vouches for into ``parsed``, under this read's file ids.

        The cache's ids index lists passed as parameters: a join would hold every row.
        """
        plan = {
            start.fid: (file_id, start.base)
            for file_id, (_, start, _) in self._files.items()
            if start.fid is not None
        }
        if not plan:
            return
        ids = range(1, max(plan) + 1)
        con.execute(
            "INSERT INTO parsed BY NAME SELECT $file_id[r.fid]::INTEGER AS file_id, r.line, "
            "r.h, r.counts, r.broken, false AS duplicate, r.cr, r.fault, r.e "
            "FROM kept.rows r WHERE r.line <= $base[r.fid]",
            {
                "file_id": [plan[fid][0] if fid in plan else None for fid in ids],
                "base": [plan[fid][1] if fid in plan else None for fid in ids],
            },
        )

    # -- writing -----------------------------------------------------------------------

    def save(self, con: duckdb.DuckDBPyConnection) -> None:
        """Write the next cache beside the old one and rename it into place.

        The old cache's rows that still hold are copied with the file; only rows judged
        now are added, and a file judged again from its start loses its old rows.
        """
        if self.attached and self._unchanged():
            return
        fresh = self.folder / CACHE_DIR / f"{_TEMPORARY}{uuid.uuid4().hex}.duckdb"
        try:
            # The cache holds what students answered: readable by its owner alone.
            fresh.parent.mkdir(mode=0o700, exist_ok=True)
            _clear_abandoned(fresh.parent)
            copied = self.attached and _copy(self.path, fresh)
            con.execute("ATTACH ? AS fresh", [str(fresh)])
            try:
                self._write(con, copied)
            finally:
                con.execute("DETACH fresh")
            fresh.chmod(0o600)
            fresh.replace(self.path)
        except (OSError, duckdb.Error) as exc:
            _note(f"the report's cache in {fresh.parent} cannot be written ({_first_line(exc)})")
            fresh.unlink(missing_ok=True)
            Path(f"{fresh}.wal").unlink(missing_ok=True)

    def _write(self, con: duckdb.DuckDBPyConnection, copied: bool) -> None:
        if not copied:
            con.execute("CREATE TABLE fresh.meta (key VARCHAR, value VARCHAR)")
            con.execute("INSERT INTO fresh.meta VALUES ('reader', ?)", [self.reader])
            con.execute(
                "CREATE TABLE fresh.rows AS SELECT 0::INTEGER AS fid, line, h, counts, "
                "broken, cr, fault, e FROM parsed LIMIT 0"
            )
        else:
            con.execute("DROP TABLE fresh.files")
        plan = self._plan(copied)
        # Per file, by this read's id (1, 2, ...): lists passed as parameters, for a join
        # with the plan would hold every row of the cache in memory.
        ids = range(1, int(plan["file_id"].max()) + 1)
        by_file = {
            name: [values.get(file_id) for file_id in ids]
            for name in ("fid", "keep", "rows")
            for values in [dict(zip(plan["file_id"].tolist(), plan[name].tolist(), strict=True))]
        }
        if copied and (self._stale or set(self.kept) - self._keys()):
            # Rows of files gone or judged again from their start; kept rows stay.
            keep = dict(zip(plan["fid"].tolist(), plan["keep"].tolist(), strict=True))
            con.execute(
                "DELETE FROM fresh.rows WHERE coalesce(line > $keep[fid], true)",
                {"keep": [keep.get(fid) for fid in range(1, max(keep) + 1)]},
            )
        con.execute(
            "INSERT INTO fresh.rows SELECT $fid[x.file_id], x.line, x.h, x.counts, x.broken, "
            "x.cr, x.fault, x.e FROM parsed x "
            "WHERE x.line > $keep[x.file_id] AND x.line <= $rows[x.file_id]",
            by_file,
        )
        con.register("plan", plan)
        try:
            # The chain hash the line after the kept rows must name: the last kept row's.
            con.execute(
                "CREATE TABLE fresh.files AS SELECT p.fid, p.path, p.prefix, p.digest, p.rows, "
                "p.rows_end, x.h AS expect FROM plan p JOIN parsed x "
                "ON x.file_id = p.file_id AND x.line = p.rows WHERE p.prefix > 0"
            )
        finally:
            con.unregister("plan")

    def _keys(self) -> set[str]:
        return {key for key, _, _ in self._files.values()}

    def _unchanged(self) -> bool:
        """Every file read now is one the cache holds, unchanged, and no other: nothing to write."""
        if self._stale or self._keys() != set(self.kept):
            return False
        return all(
            start.fid is not None and seen.prefix == self.kept[key].prefix
            for key, start, seen in self._files.values()
        )

    def _plan(self, copied: bool) -> pd.DataFrame:
        """Per file read now: its cache id, the rows already in the copied cache, the next
        entry. A file judged afresh gets a new id, so no old row can be taken for it."""
        next_fid = (self._top if copied else 0) + 1
        rows = []
        for file_id, (key, start, entry) in sorted(self._files.items()):
            fid, keep = start.fid, start.base
            if fid is None or not copied:
                fid, keep, next_fid = next_fid, 0, next_fid + 1
            rows.append(
                (file_id, fid, keep, key, entry.prefix, entry.digest, entry.rows,
                 entry.rows_end)
            )  # fmt: skip
        columns = ["file_id", "fid", "keep", "path", "prefix", "digest", "rows", "rows_end"]
        return pd.DataFrame(rows, columns=columns).astype(
            {"file_id": "int32", "fid": "int32", "keep": "int64", "rows": "int64"}
        )

    def _key(self, path: Path) -> str:
        """A file's name in the cache: its place in the folder, wherever the teacher stands."""
        return os.path.relpath(path.absolute(), self.folder.absolute())


@dataclass(frozen=True)
class Seen:
    """What the next cache keeps of a file, as :class:`Kept` says; its ``expect`` is read
    from the judged rows. A file of under three lines keeps nothing (``prefix`` 0)."""

    prefix: int
    digest: str
    rows: int
    rows_end: int


def _seen(content: bytes, view: memoryview, hasher: blake3, kept: Kept | None) -> Seen:
    """The next cache's entry for ``content``: prefix through line k-1, rows through k-2.

    ``hasher`` has already taken the verified old prefix, so the new one costs only the
    bytes appended since.
    """
    ends = []
    end = len(content)
    for _ in range(3):
        end = content.rfind(b"\n", 0, end)
        if end < 0:
            break
        ends.append(end)
    if len(ends) < 3:
        return Seen(0, "", 0, 0)
    done = kept.prefix if kept is not None else 0
    complete = (kept.rows + 1 if kept is not None else 0) + content.count(b"\n", done)
    prefix, rows_end = ends[1] + 1, ends[2] + 1
    hasher.update(view[done:prefix])
    return Seen(prefix, hasher.hexdigest(), complete - 2, rows_end)


def _clear_abandoned(folder: Path) -> None:
    """Remove what a report stopped halfway left; another report's file is left to it."""
    stale = time.time() - _ABANDONED_AFTER
    for path in folder.glob(f"{_TEMPORARY}*"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < stale:
                path.unlink()


def _sane(kept: Kept) -> bool:
    return 0 < kept.rows_end <= kept.prefix and kept.rows > 0 and len(kept.digest) == 64


def _copy(source: Path, target: Path) -> bool:
    try:
        shutil.copyfile(source, target)
    except OSError:
        return False
    return True


def _note(message: str) -> None:
    warnings.warn(f"{message}; the report reads every line again", CacheWarning, stacklevel=4)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
