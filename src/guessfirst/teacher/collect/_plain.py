"""Logs named by what the teacher typed: files, folders and glob patterns, where no owner
is known; and the routing of each such path to the source it is (a zip, nbgrader, plain).
"""

from __future__ import annotations

import glob
from collections.abc import Iterable
from pathlib import Path

from ._found import LOGS_FOLDER, CollectError, Found, Scan, reader, walk_logs
from ._homes import scan_homes
from ._ledger import is_ledger
from ._lms import scan_zip
from ._nbgrader import nbgrader_roots, scan_nbgrader

_MAGIC = frozenset("*?[")


def scan_sources(sources: Iterable[str | Path], homes: Iterable[str | Path], into: Path) -> Scan:
    """Every log of ``sources`` and ``homes``; CollectError names the first one refused."""
    scan = Scan()
    try:
        for folder in homes:
            scan.extend(scan_homes(Path(folder).expanduser().absolute(), into))
        for source in sources:
            for path in _paths(source):
                scan.extend(_scan_path(path, into))
    except CollectError:
        scan.close()
        raise
    return scan


def _paths(source: str | Path) -> list[Path]:
    path = Path(source).expanduser().absolute()
    if path.exists():
        return [path]  # taken literally, even with [ or * in a name people chose
    text = str(path)
    matches = sorted(glob.glob(text, recursive=True)) if _MAGIC & set(text) else []  # noqa: PTH207
    if not matches:
        raise CollectError(f"No such file or folder: {path}")
    return [Path(match) for match in matches]


def _scan_path(path: Path, into: Path) -> Scan:
    resolved = path.resolve()
    if resolved == into or into in resolved.parents:
        raise CollectError(f"{path} is inside the collection folder {into}: not a source")
    if path.is_file() and path.suffix.lower() == ".zip":
        return scan_zip(path)
    if path.is_file():
        return Scan(found=[_plain(path, _file_parts(path))])
    if path.is_dir():
        roots = nbgrader_roots(path)
        if not roots:
            return _scan_folder(path, into)
        scan = Scan()
        for kind, root in roots:
            scan.extend(scan_nbgrader(kind, root, into))
        return scan
    raise CollectError(f"{path} is neither a file nor a folder")


def _scan_folder(folder: Path, into: Path) -> Scan:
    scan = Scan()
    for path, why_not in walk_logs(folder, logs_folders_only=False, avoid=into):
        if why_not is not None:
            scan.skipped.append((str(path), why_not))
        elif not is_ledger(path):  # another collection's own record is not a log
            scan.found.append(_plain(path, path.relative_to(folder).parts))
    return scan


def _file_parts(path: Path) -> tuple[str, ...]:
    """A lone file's name, after its lesson folder when it is in ``guessfirst-logs``."""
    parent = path.resolve().parent
    if parent.name == LOGS_FOLDER and parent.parent.name:
        return (parent.parent.name, path.name)
    return (path.name,)


def _plain(path: Path, parts: tuple[str, ...]) -> Found:
    return Found(
        source=str(path),
        kind="file",
        key=f"file/{path.resolve().as_posix()}",
        owner=None,
        parts=parts,
        read=reader(path),
    )
