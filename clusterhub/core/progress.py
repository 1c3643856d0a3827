"""A text progress bar for the long management commands (import, index, classify)."""

import sys
import time
from typing import TextIO

WIDTH = 30


class ProgressBar:
    """`bar(done, total, note)` redraws at most five times a second, and always at the end."""

    def __init__(self, stream: TextIO | None = None, *, unit: str = "") -> None:
        # A management command passes `self.stderr._out`: Django's wrapper adds a new line.
        self.stream = stream or sys.stderr
        self.unit = unit
        self._last = 0.0
        self._started = time.monotonic()

    def __call__(self, done: int, total: int, note: str = "") -> None:
        now = time.monotonic()
        if now - self._last < 0.2 and done < total:
            return
        self._last = now
        share = done / total if total else 1.0
        filled = int(WIDTH * share)
        bar = "#" * filled + "." * (WIDTH - filled)
        detail = note or f"{done:,}/{total:,} {self.unit}".rstrip()
        elapsed = now - self._started
        self.stream.write(f"\r[{bar}] {share:4.0%}  {detail}, {elapsed:.0f} s")
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("\n")
        self.stream.flush()
