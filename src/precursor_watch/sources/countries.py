"""Country names and codes as lists write them -> ISO 3166-1 alpha-2, through rigour's territories.

rigour (OpenSanctions) knows the names the lists use ("Korea, North", "Burma", "Palestinian",
"Democratic Republic of the Congo"). Sub-national territories map to their parent country.
"""

from __future__ import annotations

from functools import lru_cache

from rigour.territories import lookup_territory


@lru_cache(maxsize=4096)
def country_code(name: str | None) -> str | None:
    """ISO alpha-2 (upper case) for a country name or code, or None when it is not a country."""
    if not name:
        return None
    text = name.strip().strip(".;,")
    if not text or text.lower() in {"undetermined", "unknown", "-0-"}:
        return None
    territory = lookup_territory(text)
    if territory is None:
        return None
    code: str = territory.code
    parent = getattr(territory, "parent", None)
    if len(code) != 2 and parent is not None:
        code = parent.code
    return code.upper() if len(code) == 2 else None
