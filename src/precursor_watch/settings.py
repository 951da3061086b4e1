"""Every setting once: name, default and help. Read from ``PRECURSOR_WATCH_*`` environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Setting:
    env: str
    default: str
    help: str

    def value(self) -> str:
        return os.environ.get(self.env, self.default)


HOME = Setting(
    "PRECURSOR_WATCH_HOME",
    str(Path.home() / ".precursor-watch"),
    "Folder for the embedded database and run state.",
)
DB = Setting(
    "PRECURSOR_WATCH_DB",
    "",
    "SQLAlchemy URL of the database (default: SQLite file precursor-watch.db in PRECURSOR_WATCH_HOME). "
    "A postgresql+psycopg:// URL selects PostgreSQL.",
)
OPSIN = Setting(
    "PRECURSOR_WATCH_OPSIN",
    "on",
    "'on' to turn unknown systematic names into structures with OPSIN (needs Java), 'off' to skip.",
)
CACHE_SIZE = Setting(
    "PRECURSOR_WATCH_CACHE_SIZE",
    "200000",
    "How many resolved identifiers the substance screener keeps in memory.",
)
HISTORY_CACHE_LINES = Setting(
    "PRECURSOR_WATCH_HISTORY_CACHE_LINES",
    "1500000",
    "How many customer-history lines a batch keeps in memory (about 400 bytes each); customers "
    "beyond it are read again from the database when they order.",
)
SECRET_KEY = Setting(
    "PRECURSOR_WATCH_SECRET_KEY",
    "",
    "Key that signs browser sessions (generated and stored in PRECURSOR_WATCH_HOME when empty).",
)

ALL_SETTINGS: tuple[Setting, ...] = (HOME, DB, OPSIN, CACHE_SIZE, HISTORY_CACHE_LINES, SECRET_KEY)


def home_dir() -> Path:
    path = Path(HOME.value()).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    url = DB.value().strip()
    if url:
        return url
    return f"sqlite:///{home_dir() / 'precursor-watch.db'}"


def opsin_enabled() -> bool:
    return OPSIN.value().strip().lower() not in {"off", "0", "false", "no"}
