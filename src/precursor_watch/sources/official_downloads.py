"""Download the official list files (``precursor-watch lists update``). Nothing else in the
product uses the network, and this never waits long: every request has a short timeout.

    OFAC SDN (legacy CSV set)   https://www.treasury.gov/ofac/downloads/{sdn,add,alt,sdn_comments}.csv
    UN Security Council list    https://scsanctions.un.org/resources/xml/en/consolidated.xml

Files go to ``<dest>/<source>_<YYYY-MM-DD>/`` (the UTC download date, which the OFAC reader takes
as the publish date, as OFAC's files carry none); each is written to a temporary name and renamed
when complete, so a broken download never looks like a list file.
"""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from precursor_watch import __version__

USER_AGENT = f"precursor-watch/{__version__} (+lists update)"


@dataclass(frozen=True, slots=True)
class OfficialSource:
    """One list's official files: the first is required, the others are loaded when present."""

    name: str
    base_url: str
    files: tuple[str, ...]
    load_target: str  # the file (or "" for the folder) to hand to load_list

    def url(self, file: str, mirror: str | None = None) -> str:
        return f"{(mirror or self.base_url).rstrip('/')}/{file}"


OFFICIAL_SOURCES: tuple[OfficialSource, ...] = (
    OfficialSource(
        "us_ofac_sdn",
        "https://www.treasury.gov/ofac/downloads",
        ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"),
        "",
    ),
    OfficialSource(
        "un_sc_consolidated",
        "https://scsanctions.un.org/resources/xml/en",
        ("consolidated.xml",),
        "consolidated.xml",
    ),
)


class NoNetworkError(Exception):
    """The host could not be reached at all (no route, DNS failure, refused, timed out)."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(f"could not reach {host} ({reason})")
        self.host = host
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Downloaded:
    source: OfficialSource
    folder: Path
    files: tuple[Path, ...]
    missing: tuple[str, ...]  # optional files the server did not have

    @property
    def load_path(self) -> Path:
        return self.folder / self.source.load_target if self.source.load_target else self.folder


def _fetch(url: str, target: Path, timeout: float) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    partial = target.with_name(target.name + ".part")
    with urllib.request.urlopen(request, timeout=timeout) as response, partial.open("wb") as out:
        expected = response.headers.get("Content-Length")
        shutil.copyfileobj(response, out, 1 << 20)
    if expected is not None and partial.stat().st_size != int(expected):
        partial.unlink()
        raise OSError(f"{url}: got {partial.stat().st_size} of {expected} bytes")
    partial.replace(target)


def download(
    source: OfficialSource, dest: Path, *, timeout: float = 10.0, mirror: str | None = None
) -> Downloaded:
    """Fetch one source's files into a dated folder under ``dest``.

    Raises :class:`NoNetworkError` when the host cannot be reached, ``OSError`` for other
    failures (HTTP errors on the required file, short reads).
    """
    folder = dest / f"{source.name}_{datetime.now(UTC).date().isoformat()}"
    folder.mkdir(parents=True, exist_ok=True)
    fetched: list[Path] = []
    missing: list[str] = []
    for index, file in enumerate(source.files):
        url = source.url(file, mirror)
        try:
            _fetch(url, folder / file, timeout)
        except urllib.error.HTTPError as exc:
            if index == 0:
                raise OSError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
            missing.append(file)
            continue
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise NoNetworkError(urlsplit(url).netloc, str(reason)) from exc
        fetched.append(folder / file)
    return Downloaded(source, folder, tuple(fetched), tuple(missing))
