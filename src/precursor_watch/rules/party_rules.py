"""Every party of the order screened against the loaded sanctions and watch lists."""

from __future__ import annotations

from collections.abc import Iterator

from precursor_watch.domain.findings import Finding
from precursor_watch.domain.outcomes import PartyStatus
from precursor_watch.domain.provenance import SourceRef
from precursor_watch.rules.catalog import RuleSpec
from precursor_watch.rules.facts import OrderFacts
from precursor_watch.rules.registry import evaluates, finding


def _party_findings(spec: RuleSpec, facts: OrderFacts, status: PartyStatus) -> Iterator[Finding]:
    for pf in facts.parties:
        if pf.screening.status is not status or not pf.screening.matches:
            continue
        top = pf.screening.matches[0]
        yield finding(
            spec,
            facts,
            party_role=pf.party.role.value,
            name=pf.party.name,
            list=top.list,
            list_version=top.list_version,
            entity_id=top.entity_id,
            matched=top.matched_name,
            score=round(top.score, 3),
            programs=", ".join(top.programs) or "none given",
            explanation=list(top.explanation),
            matcher=pf.screening.matcher,
            source=SourceRef(top.list, top.list_version, top.entity_id),
        )


@evaluates("ORD-PARTY-MATCH")
def party_on_list(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """A buyer, consignee, notify party, forwarder or payer matches a list entry."""
    return _party_findings(spec, facts, PartyStatus.MATCH)


@evaluates("ORD-PARTY-POSSIBLE")
def party_possibly_on_list(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """A party possibly matches a list entry: a person confirms or dismisses it."""
    return _party_findings(spec, facts, PartyStatus.POSSIBLE)


@evaluates("ORD-PARTY-UNSCREENED")
def parties_not_screened(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """No party screener (no list loaded): say so rather than pass the parties silently."""
    if not facts.parties_screened and facts.order.parties:
        yield finding(spec, facts, count=len(facts.order.parties))
