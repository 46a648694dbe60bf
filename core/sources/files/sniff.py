"""The checking pass over one CSV before its rows are parsed: limits, line lengths, encoding, separator.

Encodings: a byte-order mark (UTF-8, UTF-16, UTF-32), UTF-16 without one (its zero bytes show it),
else UTF-8 if everything decodes, else Windows-1252 (Excel on Windows), or Latin-1 where Windows-1252
leaves a byte undefined. A file whose real UTF-8 is followed by other bytes mixes encodings and is
refused. The separator is whichever of comma, semicolon, tab or | splits the header into most columns.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

from core.errors import BadInput
from core.sources.files.limits import Limits

SAMPLE = 64 * 1024  # bytes that decide a BOM, UTF-16 and the separator
MAX_LINE = 1 << 20  # bytes in one line: a longer one is not a CSV a person or an export wrote
CHUNK = MAX_LINE  # bytes read at a time; no larger than MAX_LINE, so only a line across chunks can be too long
DELIMITERS = (",", ";", "\t", "|")
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-16-le": "UTF-16",
                  "utf-16-be": "UTF-16", "utf-32": "UTF-32", "cp1252": "Windows-1252", "latin-1": "Latin-1"}
CP1252_UNDEFINED = re.compile(b"[\x81\x8d\x8f\x90\x9d]")
BREAK = re.compile(b"[\r\n]")
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError)
DAMAGED = "the ZIP is damaged or incomplete (an interrupted download?)"
REDOWNLOAD = "Download the export again and import the new file."
NOT_TEXT = "Import the CSV or ZIP the app or the service exported."


def bom_encoding(name: str, head: bytes) -> str | None:
    """The encoding a byte-order mark or UTF-16's zero bytes name; None when decoding must tell."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                          (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return encoding
    if b"\x00" not in head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > len(head) // 4 and even == 0:
        return "utf-16-le"
    if even > len(head) // 4 and odd == 0:
        return "utf-16-be"
    raise BadInput(name, "is not a text file (it holds binary data)", action=NOT_TEXT)


class Reading:
    """What one pass over the bytes found: size, the longest line so far, and the encoding that fits."""

    def __init__(self, name: str, named: str | None) -> None:
        self.name, self.named = name, named
        self.decoder = codecs.getincrementaldecoder(named or "utf-8")()
        self.total = self.gap = 0
        self.fallback = self.undefined = self.non_ascii = False

    def feed(self, chunk: bytes, final: bool = False) -> None:
        """Count, check line lengths, decode."""
        self.total += len(chunk)
        self._lines(chunk)
        if self.fallback:
            self.undefined = self.undefined or bool(CP1252_UNDEFINED.search(chunk))
            return
        pending = self.decoder.getstate()[0]
        try:
            self.non_ascii |= not self.decoder.decode(chunk, final).isascii()
        except UnicodeDecodeError as exc:
            self.non_ascii |= not (pending + chunk)[:exc.start].isascii()  # what did decode was real UTF-8
            self._fall_back(max(0, self.total - len(chunk) - len(pending) + exc.start))
            self.undefined = bool(CP1252_UNDEFINED.search(chunk))

    @property
    def encoding(self) -> str:
        if self.fallback:
            return "latin-1" if self.undefined else "cp1252"
        return self.named or "utf-8"

    def _fall_back(self, offset: int) -> None:
        if self.named is not None:
            raise BadInput(self.name, f"is not valid {ENCODING_NAMES[self.named]} text (byte {offset})",
                           action="Save the file again as CSV UTF-8.")
        if self.non_ascii:
            raise BadInput(self.name, f"mixes UTF-8 with another encoding (byte {offset} is not UTF-8)",
                           action="Save the file again as CSV UTF-8, or in one Windows encoding throughout.")
        self.fallback = True

    def _lines(self, chunk: bytes) -> None:
        first = BREAK.search(chunk)
        line = self.gap + (first.start() if first else len(chunk))
        if line > MAX_LINE:
            raise BadInput(self.name, f"has a line longer than {MAX_LINE >> 20} MB: it is not a CSV", action=NOT_TEXT)
        self.gap = len(chunk) - max(chunk.rfind(b"\n"), chunk.rfind(b"\r")) - 1 if first else line


def head(name: str, opener: Callable[[], BinaryIO]) -> bytes:
    """The first bytes of a file (a ZIP member is decompressed that far)."""
    with zip_errors(name), opener() as stream:
        return stream.read(SAMPLE)


def check_file(name: str, opener: Callable[[], BinaryIO], limits: Limits, compressed: int | None,
               named: str | None) -> str:
    """Read everything once (limits, line lengths, the ZIP's CRC); the encoding that decodes it all."""
    reading = Reading(name, named)
    with zip_errors(name), opener() as stream:
        while chunk := stream.read(CHUNK):
            reading.feed(chunk)
            limits.check_read(reading.total, compressed, name)
    reading.feed(b"", final=True)
    return reading.encoding


@contextmanager
def zip_errors(name: str) -> Iterator[None]:
    """zipfile's errors as BadInput naming the file and what to do."""
    try:
        yield
    except ZIP_ERRORS as exc:
        raise BadInput(name, DAMAGED, action=REDOWNLOAD) from exc
    except NotImplementedError as exc:  # a compression method zipfile cannot read (deflate64...)
        raise BadInput(name, f"the ZIP uses a compression the app cannot read ({exc})",
                       action="Extract the CSV and import it, or zip it again with standard compression.") from exc
    except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required for extraction"
        raise BadInput(name, "the ZIP is password-protected", action="Extract the CSV and import it.") from exc


def delimiter(first_line: str) -> str:
    """The separator that splits the header into the most columns (a comma on a tie)."""
    counts = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: counts[d])
