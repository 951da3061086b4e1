"""Settings of one running console, resolved once by :func:`WebConfig.from_settings`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from precursor_watch import settings
from precursor_watch.web.accounts.passwords import new_secret

SECRET_FILE = "web-secret-key"


@dataclass(frozen=True, slots=True)
class WebConfig:
    database_url: str
    secret_key: str
    work_dir: Path  # uploaded batches and their results
    session_hours: float = 12.0
    secure_cookies: bool = False  # set when served over HTTPS behind a proxy

    @classmethod
    def from_settings(
        cls, database_url: str | None = None, secret_key: str | None = None
    ) -> WebConfig:
        home = settings.home_dir()
        return cls(
            database_url=database_url or settings.database_url(),
            secret_key=secret_key or settings.SECRET_KEY.value() or stored_secret_key(home),
            work_dir=home / "web",
        )


def stored_secret_key(home: Path) -> str:
    """The session-signing key kept in PRECURSOR_WATCH_HOME (created, mode 600, on first use)."""
    path = home / SECRET_FILE
    if path.exists():
        return path.read_text().strip()
    key = new_secret(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
