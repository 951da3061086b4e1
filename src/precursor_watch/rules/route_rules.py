"""Rules on the route itself: an order of a precursor whose route does not say where it goes,
or says something the consignee contradicts.

The route decides which jurisdictions' controls apply (``OrderFacts.route_jurisdictions``). A
route missing its origin or destination is never taken as a domestic sale (the rules screen it
as possibly crossing a border), but the controls of the country not declared cannot be checked
at all: a person must complete the route before the order is released. A declared destination
that is not the consignee's country (a "domestic" route to a consignee abroad) is referred to a
person the same way.
"""

from __future__ import annotations

from collections.abc import Iterator

from precursor_watch.domain.findings import Finding
from precursor_watch.domain.outcomes import SubstanceStatus
from precursor_watch.rules.catalog import RuleSpec
from precursor_watch.rules.facts import LineFacts, OrderFacts, is_essential_level
from precursor_watch.rules.registry import evaluates, finding


def controlled_anywhere(facts: OrderFacts, lf: LineFacts) -> list[str]:
    """The jurisdictions (sorted) that control the line's substance above the
    essential-chemical level on the order's day, wherever they are: the route is not needed."""
    if lf.status is not SubstanceStatus.CONTROLLED or lf.best is None:
        return []
    day = facts.day
    found = {
        c.jurisdiction
        for c in lf.best.controls
        if not is_essential_level(c)
        and (day is None or (c.effective <= day and (c.end is None or day < c.end)))
    }
    return sorted(found)


def _concern(facts: OrderFacts, lf: LineFacts) -> str:
    """'NPP (controlled in UN, US)', 'X (watch: resembles NPP)', or '' for neither."""
    where = controlled_anywhere(facts, lf)
    if where:
        return f"{lf.name} (controlled in {', '.join(where)})"
    if lf.status is SubstanceStatus.WATCH and lf.best is not None:
        hit = lf.best.watch[0] if lf.best.watch else None
        return f"{lf.name} (watch: resembles {hit.resembles if hit else 'a listed precursor'})"
    return ""


@evaluates("ORD-ROUTE-INCOMPLETE")
def route_incomplete(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """The route does not declare its origin, its destination or either, and a line carries a
    substance controlled above the essential-chemical level in some jurisdiction (on the
    order's day, whether or not the declared route brings that jurisdiction in) or a
    designer-precursor ``watch`` substance. Such a route is never taken as a domestic sale: the
    other rules screen the order as possibly crossing a border (UN controls apply, a quantity
    threshold exempts only if it governs every kind of transaction left possible), but the
    controls of the country not declared cannot be checked, so a person must complete the
    route before release. Essential chemicals alone (Table II level) do not raise it."""
    missing = facts.order.route.undeclared
    if not missing:
        return
    concerns = [c for c in (_concern(facts, lf) for lf in facts.lines) if c]
    if concerns:
        yield finding(
            spec,
            facts,
            missing=" and ".join(missing),
            substances="; ".join(concerns),
            route=" > ".join(facts.order.route.countries) or "none",
        )


@evaluates("ORD-ROUTE-CONSIGNEE")
def consignee_outside_destination(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """The party the goods go to (the consignee, else the buyer) declares a country other than
    the route's declared destination, and a line carries a substance controlled above the
    essential-chemical level in some jurisdiction or a ``watch`` substance. The route decides
    which controls apply: a route declared as a domestic sale (no export authorisation, no
    pre-export notification) while the consignee is abroad, or a destination other than the
    consignee's country, must be confirmed by a person before release. Essential chemicals
    alone do not raise it."""
    order = facts.order
    destination = order.route.destination
    party = order.consignee or order.buyer
    if not destination or party is None or not party.country or party.country == destination:
        return
    concerns = [c for c in (_concern(facts, lf) for lf in facts.lines) if c]
    if concerns:
        domestic = f" (a domestic sale within {destination})" if order.route.is_domestic else ""
        yield finding(
            spec,
            facts,
            party_role=party.role.value,
            party=party.name,
            party_country=party.country,
            destination=destination,
            declared=domestic,
            substances="; ".join(concerns),
        )
