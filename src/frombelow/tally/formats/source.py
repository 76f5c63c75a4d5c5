"""A ballot file as readers see it: its name, its text, and errors that point at a line."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from frombelow.tally.errors import BallotFileError

HEAD_BYTES = 8192
MAX_BYTES = 4 << 30  # a ballot file larger than 4 GiB is refused rather than read into memory


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
        return cls(str(path), data, progress and sys.stderr.isatty())

    def head(self) -> str:
        return self.data[:HEAD_BYTES].decode("utf-8", errors="replace").lstrip("\ufeff")

    def text(self) -> str:
        """The file decoded as UTF-8 (a BOM is allowed); bad bytes are reported by line."""
        try:
            return self.data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = self.data.count(b"\n", 0, error.start) + 1
            raise BallotFileError(
                self.name, line, f"not valid UTF-8 (byte 0x{self.data[error.start]:02x}); save the file as UTF-8"
            ) from None

    def error(self, line: int | None, problem: str) -> BallotFileError:
        return BallotFileError(self.name, line, problem)

    def report(self, done: int, total: int, what: str = "ballots") -> None:
        """Progress on stderr, only when it is a terminal."""
        if self.progress and total:
            end = "\n" if done >= total else ""
            print(f"\r{self.name}: {what} {done:,}/{total:,} ({100 * done // total}%)", end=end, file=sys.stderr, flush=True)
