"""The exception tree of precursor-watch. Each error carries the CLI exit code it maps to.

    PrecursorWatchError            exit 1
    ├── InputError                 exit 2   the input could not be read at all
    │   └── InvalidQueryError      exit 2   a query that is malformed (used inside results, not raised to the CLI)
    ├── DataError                  exit 3   a bundled data file is missing, corrupt or fails validation
    ├── ListLoadError              exit 4   a sanctions/watch list file could not be loaded
    ├── StorageError               exit 5   the database could not be opened or migrated
    ├── ConfigurationError         exit 6   a setting has a bad value
    ├── NotFoundError              exit 7   a case, user, list or record does not exist
    ├── PermissionDeniedError      exit 8   the user's role may not do this
    └── AuditChainBrokenError      exit 9   the audit chain failed verification

Domain errors know nothing of HTTP; the web layer maps them to responses in one table.
"""

from __future__ import annotations


class PrecursorWatchError(Exception):
    """Base class. ``code`` is a stable machine-readable identifier."""

    exit_code = 1
    code = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InputError(PrecursorWatchError):
    exit_code = 2
    code = "bad_input"


class InvalidQueryError(InputError):
    code = "invalid_query"


class DataError(PrecursorWatchError):
    exit_code = 3
    code = "data_error"


class ListLoadError(PrecursorWatchError):
    exit_code = 4
    code = "list_load_error"


class StorageError(PrecursorWatchError):
    exit_code = 5
    code = "storage_error"


class ConfigurationError(PrecursorWatchError):
    exit_code = 6
    code = "configuration_error"


class NotFoundError(PrecursorWatchError):
    exit_code = 7
    code = "not_found"


class PermissionDeniedError(PrecursorWatchError):
    exit_code = 8
    code = "permission_denied"


class AuditChainBrokenError(PrecursorWatchError):
    exit_code = 9
    code = "audit_chain_broken"
