"""Unpack a zip that someone else made — a learner's hand-in, the exam folder HR sent a candidate — as
hostile input: every member is checked before anything is written (no absolute paths, no '..', no
links, a cap on the number of files and on their size), and a broken zip is a message, not a crash."""

from __future__ import annotations

import io
import os
import shutil
import stat
import zipfile
from datetime import datetime
from pathlib import Path, PurePosixPath

MAX_FILES = 500
MAX_BYTES = 64 * 1024 * 1024        # uncompressed, all members together
SKIPPED = ("__MACOSX/",)            # what archivers add beside the real files


class BadZip(ValueError):
    """What is wrong with a zip, in words a person can act on."""


def _member_path(name: str) -> PurePosixPath | None:
    """The member's relative path, None for a folder entry; BadZip for one that leaves the folder."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or (path.parts and ":" in path.parts[0]):
        raise BadZip(f"'{name}' is an absolute path")
    if any(part == ".." for part in path.parts):
        raise BadZip(f"'{name}' points outside the folder")
    if name.endswith(("/", "\\")) or not path.parts:
        return None
    return path


def members(archive: zipfile.ZipFile, max_files: int = MAX_FILES, max_bytes: int = MAX_BYTES):
    """(info, relative path) of every file to unpack, or BadZip."""
    out, total = [], 0
    for info in archive.infolist():
        if info.filename.startswith(SKIPPED):
            continue
        path = _member_path(info.filename)
        if path is None:
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            raise BadZip(f"'{info.filename}' is a link")
        total += info.file_size
        out.append((info, path))
        if len(out) > max_files:
            raise BadZip(f"more than {max_files} files")
        if total > max_bytes:
            raise BadZip(f"more than {max_bytes // (1024 * 1024)} MB once unpacked")
    return out


def extract(source: Path | bytes, target: Path, max_files: int = MAX_FILES,
            max_bytes: int = MAX_BYTES) -> list[Path]:
    """Unpack source (a file or its bytes) into target; return the files written. Member times are
    kept (a hand-in's time of submission). Raises BadZip, having written nothing, if any member fails
    the checks; a member whose data is corrupt raises BadZip too (target may then hold a part)."""
    try:
        handle = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")
    except OSError as err:
        raise BadZip(f"cannot be read ({err.strerror})") from None
    with handle:
        try:
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError, ValueError):
            raise BadZip("is not a zip file (or is cut short)") from None
        with archive:
            found = members(archive, max_files, max_bytes)
            written = []
            for info, path in found:
                dest = target.joinpath(*path.parts)
                try:
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(info) as src, open(dest, "wb") as out:
                        shutil.copyfileobj(src, out, 1024 * 1024)
                except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as err:
                    raise BadZip(f"'{info.filename}' is damaged ({err})") from None
                try:
                    stamp = datetime(*info.date_time).timestamp()
                    os.utime(dest, (stamp, stamp))
                except (ValueError, OverflowError, OSError):
                    pass
                written.append(dest)
            return written
