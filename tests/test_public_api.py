"""The public API is locked: adding or removing a name from ``precursor_watch.__all__`` is a
deliberate change that updates this test (httpx's test_exported_members)."""

from __future__ import annotations

import precursor_watch

EXPECTED = {
    "OrderOutcome",
    "PartyStatus",
    "SubstanceScreening",
    "SubstanceStatus",
    "__version__",
    "screen_order",
    "screen_party",
    "screen_substance",
    "screen_substances",
}


def test_all_is_locked() -> None:
    assert set(precursor_watch.__all__) == EXPECTED


def test_every_exported_name_exists_and_is_documented() -> None:
    for name in precursor_watch.__all__:
        value = getattr(precursor_watch, name)
        if callable(value) and name.startswith("screen_"):
            assert value.__doc__, f"{name} has no docstring"


def test_public_members_are_not_private_modules() -> None:
    public = {n for n in dir(precursor_watch) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(precursor_watch, n)).__name__ == "module"}
    # sub-packages appear once imported; nothing else public may exist beyond __all__
    assert public - modules <= EXPECTED | {"annotations", "date", "TYPE_CHECKING"}
