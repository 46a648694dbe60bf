"""Where activity files come from: a ZIP's members (Strava's `activities/`, a Garmin export), a folder, one file.

An entry is a name and a way to read its bytes, read only when its turn comes, so a 1,500-file export is never
held in memory. A ZIP member is read up to the activity limit (core.activity.MAX_BYTES, counted as it is
decompressed: its header's size may lie) and, past 10 MB, at most [imports] max_zip_ratio times its compressed
size (a ZIP bomb). Member names are never used as paths (nothing is extracted), and a ZIP naming a member outside
itself (`../x`, `/etc/x`, `C:\\x`) is refused whole: no exporter writes one.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from core.activity import MAX_BYTES
from core.activity.files import GZIP_MAGIC, detect_format
from core.activity.model import unreadable
from core.errors import BadInput
from core.sources.files.limits import MB, RATIO_FLOOR, Limits
from core.sources.files.sniff import zip_errors

SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz")
READ_CHUNK = 1 << 20  # bytes decompressed at a time while a member's limits are checked
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Entry:
    """One activity file: its name (as the export's CSV writes it, for a ZIP member) and how to read it."""

    name: str
    read: Callable[[], bytes]


def is_activity_name(name: str) -> bool:
    """Whether a file name has an activity file's suffix (FIT, GPX or TCX, gzipped or not)."""
    return name.lower().endswith(SUFFIXES) and not PurePosixPath(name).name.startswith(".")


def looks_like_activity(head: bytes) -> bool:
    """Whether a file's first bytes are gzip, FIT or a GPX / TCX document (a CSV is none of them)."""
    if head[:2] == GZIP_MAGIC:
        return True
    try:
        detect_format(head, "")
    except BadInput:
        return False
    return True


def zip_entries(archive: zipfile.ZipFile, where: str, limits: Limits) -> dict[str, Entry]:
    """The ZIP's activity files by member name; BadInput when a member is named outside the archive."""
    infos = [i for i in archive.infolist() if not i.is_dir()]
    for info in infos:
        check_member_name(info.filename, where)
    return {i.filename: Entry(i.filename, _member_reader(archive, i, where, limits))
            for i in infos if is_activity_name(i.filename)}


def check_member_name(name: str, where: str) -> None:
    """Refuse a member name that points outside the archive (a path traversal)."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or _DRIVE.match(name) or ".." in parts:
        raise BadInput(where, f"the ZIP names a member outside itself ({name[:80]!r}): refused, nothing imported",
                       action="Import the export as the service wrote it; this archive was altered.")


def _member_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, limits: Limits):
    def read() -> bytes:
        name, out = f"{where}/{info.filename}", bytearray()
        with zip_errors(name), archive.open(info) as stream:
            while chunk := stream.read(READ_CHUNK):
                out += chunk
                if len(out) > MAX_BYTES:
                    raise unreadable(info.filename, f"expands to more than {MAX_BYTES / MB:.0f} MB: too large "
                                                    "for one activity")
                if len(out) > RATIO_FLOOR and len(out) > limits.max_zip_ratio * max(info.compress_size, 1):
                    raise unreadable(info.filename, f"expands more than {limits.max_zip_ratio:g} times its "
                                                    "compressed size: a ZIP bomb?")
        return bytes(out)
    return read


def folder_entries(folder: Path) -> list[Entry]:
    """Every activity file under a folder (its subfolders too), in name order; hidden files left out."""
    paths = sorted(p for p in folder.rglob("*") if p.is_file() and is_activity_name(p.name))
    return [Entry(str(p.relative_to(folder)), _file_reader(p)) for p in paths]


def _file_reader(path: Path):
    def read() -> bytes:
        if path.stat().st_size > MAX_BYTES:
            raise unreadable(path.name, f"larger than {MAX_BYTES / MB:.0f} MB: too large for one activity")
        return path.read_bytes()
    return read


def file_entry(source: bytes | Path, name: str) -> Entry:
    """One uploaded or named file as an entry."""
    return Entry(name, (lambda: source) if isinstance(source, bytes) else _file_reader(source))
