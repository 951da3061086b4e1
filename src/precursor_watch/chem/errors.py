"""Errors raised by the chemistry engine. Both carry the reason in their message.

InvalidQueryError (precursor_watch.errors)
└── StructureError     a structure text could not be parsed or standardized
DataError (precursor_watch.errors)
└── InvalidPatternError  a bundled SMARTS / reaction SMARTS is invalid (names its id)
"""

from __future__ import annotations

from precursor_watch.errors import DataError, InvalidQueryError


class StructureError(InvalidQueryError):
    """A structure (SMILES, InChI, molblock) is malformed; the message says what is wrong.

    ``kind`` is the detected structure kind ("smiles", "inchi", ...) or None.
    """

    code = "invalid_structure"

    def __init__(self, message: str, *, kind: str | None = None) -> None:
        super().__init__(message, field="structure")
        self.kind = kind


class InvalidPatternError(DataError):
    """A SMARTS or reaction SMARTS given to the engine is invalid; names the rule id."""

    code = "invalid_pattern"

    def __init__(self, pattern_id: str, message: str) -> None:
        super().__init__(f"{pattern_id}: {message}", field=pattern_id)
        self.pattern_id = pattern_id
