"""The SHA-256 of a lead file, kept in its `SourceInfo` as provenance: computed on the spot
(`sha256_of`, for a workbook) or on a thread of its own alongside the parse (`Hasher`, for a
CSV file, where it would otherwise add a whole pass over the file to the import)."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from models.leads.types import LeadFileError


def sha256_of(path: Path) -> str:
    """The file's SHA-256 as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


class Hasher(threading.Thread):
    """SHA-256 of the file, computed alongside the parse (hashlib releases the GIL)."""

    def __init__(self, path: Path) -> None:
        super().__init__(name="read-csv-sha256", daemon=True)
        self.path = path
        self._stop_flag = threading.Event()
        self._digest = ""
        self._error: BaseException | None = None

    def run(self) -> None:
        try:
            h = hashlib.sha256()
            with open(self.path, "rb") as fh:
                while not self._stop_flag.is_set():
                    block = fh.read(4 * 1024 * 1024)
                    if not block:
                        break
                    h.update(block)
            self._digest = h.hexdigest()
        except BaseException as error:  # noqa: BLE001 - handed to the reading thread by result()
            self._error = error

    def stop(self) -> None:
        self._stop_flag.set()
        self.join()

    def result(self) -> str:
        self.join()
        if self._error is not None:
            raise LeadFileError(f"{self.path.name}: cannot be read ({self._error}).")
        return self._digest
