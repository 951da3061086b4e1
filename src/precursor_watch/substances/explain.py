"""Sentences that explain a substance screening: how the query was read, what controls it, since
when, on which legal basis, what it resembles, and what is known not to control it."""

from __future__ import annotations

from datetime import date

from precursor_watch.domain import Control, ControlBasis, SubstanceRef, SubstanceStatus, WatchHit
from precursor_watch.substances.knowledge_base import KnowledgeBase
from precursor_watch.substances.resolve import Resolution

_BASIS = {
    ControlBasis.LISTED: "listed by name",
    ControlBasis.SALT: "a salt (or hydrate/solvate) of the listed substance",
    ControlBasis.ISOMER: "a stereoisomer of the listed substance (same connectivity)",
    ControlBasis.CLASS: "covered by a class-wide (generic) legal definition",
}


def _since(control: Control) -> str:
    when = control.effective.isoformat()
    if control.effective_precision == "year":
        when = str(control.effective.year)
    elif control.effective_precision == "month":
        when = control.effective.strftime("%Y-%m")
    elif control.effective_precision == "on-or-before":
        return f"in force by {when} (start date not recorded)"
    return f"since {when}"


def control_sentence(control: Control) -> str:
    rule = f" (rule {control.rule_id})" if control.rule_id else ""
    until = f" until {control.end.isoformat()}" if control.end else ""
    return (
        f'{control.jurisdiction}: {control.list}: "{control.entry}"{rule}, {_since(control)}{until}; '
        f"basis: {_BASIS[control.basis]}; confidence {control.confidence.value}."
    )


def watch_sentence(hit: WatchHit) -> str:
    if hit.basis.value == "surveillance-list":
        return f"Watch: {hit.resembles} is on the precursor-watch surveillance list: {hit.modification}."
    return (
        f"Watch: resembles {hit.resembles} ({hit.modification}; similarity {hit.similarity:.2f}). "
        "No list or class definition recorded here covers it: review before release."
    )


def explain(
    kb: KnowledgeBase,
    status: SubstanceStatus,
    ref: SubstanceRef | None,
    controls: tuple[Control, ...],
    watch: tuple[WatchHit, ...],
    resolution: Resolution,
    day: date | None,
    codes: frozenset[str] | None,
    substance_ids: tuple[str, ...],
) -> tuple[str, ...]:
    sentences: list[str] = []
    if status is SubstanceStatus.INVALID:
        return (f"The query is malformed: {resolution.error}.",)
    if status is SubstanceStatus.UNKNOWN:
        return (
            f"Not resolved: {resolution.note}.",
            "Unknown is not clear: identify the substance before release.",
        )
    assert ref is not None
    cas = f", CAS {ref.cas}" if ref.cas else ""
    sentences.append(f"Resolved as {ref.name}{cas}: {resolution.note}.")
    scope = "" if codes is None else f" in {', '.join(sorted(codes))}"
    when = f" on {day.isoformat()}" if day else ""
    if status is SubstanceStatus.CONTROLLED:
        places = sorted({c.jurisdiction for c in controls})
        sentences.append(
            f"Controlled{scope}{when} in {len(places)} jurisdiction(s): {', '.join(places)}."
        )
        sentences.extend(control_sentence(c) for c in controls)
    elif status is SubstanceStatus.WATCH:
        sentences.append(f"Not controlled{scope}{when} by any listing or class rule recorded here.")
        sentences.extend(watch_sentence(h) for h in watch)
    else:
        sentences.append(
            f"No control{scope}{when} is recorded for it, and it resembles no listed precursor."
        )
    later = _later_listings(kb, substance_ids, day, codes)
    sentences.extend(later)
    for substance_id in substance_ids:
        for note in kb.status_notes_for(substance_id):
            if codes is None or note.jurisdiction in codes:
                sentences.append(f"{note.jurisdiction}: {note.note}.")
    return tuple(sentences)


def _later_listings(
    kb: KnowledgeBase,
    substance_ids: tuple[str, ...],
    day: date | None,
    codes: frozenset[str] | None,
) -> list[str]:
    """Listings that start after the as-of date: the user should know control is coming (or came)."""
    if day is None:
        return []
    out: list[str] = []
    for substance_id in substance_ids:
        for listing in kb.listings_for(substance_id):
            if listing.effective > day and (codes is None or listing.jurisdiction in codes):
                out.append(
                    f"{listing.jurisdiction}: not yet in force on {day.isoformat()}: {listing.list} "
                    f'"{listing.entry}" applies from {listing.effective.isoformat()}.'
                )
    return out
