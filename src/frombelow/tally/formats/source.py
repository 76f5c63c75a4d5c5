"""A ballot file as readers see it: its name, its text, and errors that point at a line."""

from __future__ import annotations

import codecs
import sys
from dataclasses import dataclass
from pathlib import Path

from frombelow.tally.errors import BallotFileError

HEAD_BYTES = 8192
MAX_BYTES = 4 << 30  # a ballot file larger than 4 GiB is refused rather than read into memory
PROGRESS_EVERY = 100_000  # lines between two progress reports

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass
class Source:
    name: str
    data: bytes
    progress: bool = False

    @classmethod
    def open(cls, path: str | Path, *, progress: bool = False) -> Source:
        path = Path(path)
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise BallotFileError(str(path), None, f"file is {size} bytes; the limit is {MAX_BYTES}")
            data = path.read_bytes()
        except IsADirectoryError:
            raise BallotFileError(str(path), None, "is a directory, not a ballot file") from None
        except FileNotFoundError:
            raise BallotFileError(str(path), None, "no such file") from None
        except PermissionError:
            raise BallotFileError(str(path), None, "permission denied") from None
        except OSError as error:
            raise BallotFileError(str(path), None, f"cannot be read: {error.strerror or error}") from None
        if not data or data.isspace():
            raise BallotFileError(str(path), None, "empty file: it holds no ballots")
        return cls(str(path), data, progress and sys.stderr.isatty())

    @classmethod
    def folder(cls, path: str | Path, *, progress: bool = False) -> Source:
        """A folder a reader reads file by file (Dominion, Hart exports): its path, no data."""
        path = Path(path)
        if not path.is_dir():
            raise BallotFileError(str(path), None, "no such folder")
        return cls(str(path), b"", progress and sys.stderr.isatty())

    @classmethod
    def of(cls, name: str, data: bytes | str) -> Source:
        """A source from text in memory (tests, uploads)."""
        return cls(name, data.encode() if isinstance(data, str) else data)

    def head(self) -> str:
        """The first few KiB as text, for sniffing; never raises."""
        data = self.data[:HEAD_BYTES]
        if data.startswith(_UTF16_BOMS):
            return data.decode("utf-16", errors="replace").lstrip("\ufeff")
        return data.decode("utf-8", errors="replace").lstrip("\ufeff")

    def text(self) -> str:
        """The file decoded: UTF-8 (a BOM is allowed) or UTF-16 with its BOM; bad bytes are reported by line."""
        if self.data.startswith(_UTF16_BOMS):
            try:
                return self.data.decode("utf-16").lstrip("\ufeff")
            except UnicodeDecodeError as error:
                raise self.error(None, f"not valid UTF-16 at byte {error.start}; save the file as UTF-8") from None
        if b"\x00" in self.data:
            raise self.error(self._line_at(self.data.index(b"\x00")), _nul_problem(self.data))
        try:
            return self.data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise self.error(
                self._line_at(error.start),
                f"not valid UTF-8 (byte 0x{self.data[error.start]:02x}); save the file as UTF-8",
            ) from None

    def _line_at(self, offset: int) -> int:
        return self.data.count(b"\n", 0, offset) + 1

    def error(self, line: int | None, problem: str) -> BallotFileError:
        return BallotFileError(self.name, line, problem)

    def report(self, done: int, total: int, what: str = "ballots") -> None:
        """Progress on stderr, only when it is a terminal."""
        if self.progress and total:
            end = "\n" if done >= total else ""
            print(
                f"\r{self.name}: {what} {done:,}/{total:,} ({100 * done // total}%)",
                end=end,
                file=sys.stderr,
                flush=True,
            )


def _nul_problem(data: bytes) -> str:
    sample = data[:4096]
    odd_nuls = sample[1::2].count(0)
    even_nuls = sample[0::2].count(0)
    if max(odd_nuls, even_nuls) > len(sample) // 4:
        return "looks like UTF-16 without a byte-order mark; save the file as UTF-8"
    return "holds NUL bytes: a binary file, not a ballot file"


def excerpt(text: str, limit: int = 60) -> str:
    """Text quoted in an error, cut short so a runaway line does not flood the message."""
    text = text.strip()
    return repr(text if len(text) <= limit else text[:limit] + "…")
