"""Slow down password guessing: after ``limit`` failed sign-ins for one user name within
``window``, further attempts for that name are refused until the window has passed.

In memory, per process: enough to make guessing over HTTP impractical (5 tries per 15 minutes
per name); a restart forgets it. Successful sign-in clears the name's failures.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field

MAX_NAMES = 100_000


@dataclass
class LoginThrottle:
    limit: int = 5
    window_s: float = 15 * 60
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, name: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(name, deque())
        while failures and now - failures[0] > self.window_s:
            failures.popleft()
        return failures

    def retry_after(self, name: str, now: float | None = None) -> int:
        """Seconds until ``name`` may try again (0: now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            failures = self._recent(name, now)
            if len(failures) < self.limit:
                return 0
            return max(1, int(self.window_s - (now - failures[0])) + 1)

    def failed(self, name: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._failures) >= MAX_NAMES:
                self._failures.clear()
            self._recent(name, now).append(now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name, None)
