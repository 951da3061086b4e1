"""What a list load and ``lists status`` report: frozen records with a JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from precursor_watch.sources.parsed_list import LoadIssue


@dataclass(frozen=True, slots=True)
class LoadReport:
    """The outcome of one ``load_list``: ``status`` is "loaded" (and active), "held" (stored but
    not activated, see ``note``), "unchanged" (same checksum already loaded) or "activated" (a
    stored, held version made active by ``force``)."""

    list_name: str
    version: str
    status: str
    active: bool
    publish_date: date | None
    date_source: str
    sha256: str
    format: str
    files: tuple[str, ...]
    entity_count: int
    name_count: int
    issues: tuple[LoadIssue, ...]
    note: str | None
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return {
            "list": self.list_name,
            "version": self.version,
            "status": self.status,
            "active": self.active,
            "publish_date": self.publish_date.isoformat() if self.publish_date else None,
            "date_source": self.date_source,
            "sha256": self.sha256,
            "format": self.format,
            "files": list(self.files),
            "entities": self.entity_count,
            "names": self.name_count,
            "errors": [
                {"file": i.file, "line": i.line, "field": i.field, "message": i.message}
                for i in self.issues
            ],
            "note": self.note,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True, slots=True)
class ListStatus:
    """One stored list version as ``lists status`` shows it."""

    list_name: str
    version: str
    active: bool
    publish_date: date | None
    date_source: str
    sha256: str
    format: str
    entity_count: int
    name_count: int
    error_count: int
    loaded_at: datetime
    note: str | None

    @classmethod
    def from_row(cls, row: Any) -> ListStatus:
        return cls(
            list_name=row.list_name,
            version=row.version,
            active=bool(row.is_active),
            publish_date=row.publish_date,
            date_source=row.date_source,
            sha256=row.sha256,
            format=row.format,
            entity_count=row.entity_count,
            name_count=row.name_count,
            error_count=row.error_count,
            loaded_at=row.loaded_at,
            note=row.activation_note,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "list": self.list_name,
            "version": self.version,
            "active": self.active,
            "publish_date": self.publish_date.isoformat() if self.publish_date else None,
            "date_source": self.date_source,
            "sha256": self.sha256,
            "format": self.format,
            "entities": self.entity_count,
            "names": self.name_count,
            "errors": self.error_count,
            "loaded_at": self.loaded_at.isoformat(),
            "note": self.note,
        }
