"""Red flags of the suspicious-order guidance: payment, delivery, labelling, end use, price,
route. Each rule reads only the order and the reference tables."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from precursor_watch.domain.findings import Finding
from precursor_watch.domain.orders import OrderParty, PartyRole, party_key
from precursor_watch.domain.outcomes import OrderOutcome
from precursor_watch.rules.catalog import RuleSpec
from precursor_watch.rules.facts import OrderFacts
from precursor_watch.rules.registry import evaluates, finding


def concerns(facts: OrderFacts, *, unidentified: bool = False) -> list[str]:
    """Names of the lines that carry a precursor on the route or a watch substance (and, with
    ``unidentified``, lines nothing could identify)."""
    test = facts.watched_or_unidentified if unidentified else facts.watched
    return [lf.name for lf in facts.lines if test(lf)]


@evaluates("ORD-RF-PAYMENT")
def uncommon_payment(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """Payment in cash, by money transfer (Western Union, money order, hawala...) or in a
    cryptocurrency."""
    method = facts.order.payment.method
    for kind in ("payment_cash", "payment_money_transfer", "payment_crypto"):
        terms = facts.reference.term_hits(kind, method)
        if terms:
            label = kind.removeprefix("payment_").replace("_", " ")
            yield finding(spec, facts, method=method, kind=label, terms=list(terms))
            return


def _same(a: str, b: str) -> bool:
    return party_key(a, None) == party_key(b, None)


@evaluates("ORD-RF-THIRD-PARTY-PAYER")
def third_party_payer(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """Someone other than the buyer pays for the order."""
    order = facts.order
    buyer = order.buyer
    payer_party = order.party(PartyRole.PAYER)
    payer = order.payment.payer or (payer_party.name if payer_party else None)
    if buyer is not None and payer and not _same(payer, buyer.name):
        yield finding(spec, facts, payer=payer, buyer=buyer.name)


def _delivery_party(facts: OrderFacts) -> OrderParty | None:
    return facts.order.consignee or facts.order.buyer


@evaluates("ORD-RF-CONSIGNEE-FORWARDER")
def forwarder_as_consignee(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """The consignee is the freight forwarder of the order, or its name or business says it is
    a forwarding or logistics company."""
    consignee = facts.order.consignee
    if consignee is None:
        return
    forwarder = facts.order.party(PartyRole.FORWARDER)
    reason = ""
    if forwarder is not None and _same(forwarder.name, consignee.name):
        reason = "it is the order's freight forwarder"
    else:
        terms = facts.reference.term_hits("forwarder", f"{consignee.name} {consignee.business}")
        if terms:
            reason = "its name or business says " + ", ".join(terms)
    if reason:
        yield finding(spec, facts, consignee=consignee.name, reason=reason)


@evaluates("ORD-RF-CONSIGNEE-POBOX")
def po_box_delivery(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """The delivery address is a post-office box."""
    party = _delivery_party(facts)
    if party is not None and facts.reference.term_hits("po_box", party.address):
        yield finding(spec, facts, address=party.address, party_role=party.role.value)


@evaluates("ORD-RF-CONSIGNEE-RESIDENTIAL")
def residential_delivery(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """The delivery address is residential (apartment, house...) or the consignee is a person."""
    party = _delivery_party(facts)
    if party is None:
        return
    terms = list(facts.reference.term_hits("residential", party.address))
    if (party.entity_type or "").lower() == "person":
        terms.append("consignee is a natural person")
    if terms:
        yield finding(
            spec,
            facts,
            address=party.address or "no address",
            terms=", ".join(terms),
            party_role=party.role.value,
        )


@evaluates("ORD-RF-URGENT")
def urgent_shipping(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """The customer asks for urgent, rush or overnight delivery."""
    shipping = facts.order.shipping
    terms = facts.reference.term_hits("urgent", f"{shipping.mode or ''} {shipping.labelling or ''}")
    if shipping.urgent or terms:
        detail = ", ".join(["urgent flag set"] * shipping.urgent + list(terms))
        yield finding(spec, facts, detail=detail)


@evaluates("ORD-RF-LABELLING")
def plain_or_false_labelling(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """The customer asks for plain, unmarked, neutral or false labelling."""
    request = facts.order.shipping.labelling
    terms = facts.reference.term_hits("labelling", request)
    if terms:
        yield finding(spec, facts, request=request, terms=", ".join(terms))


def _expected_uses(facts: OrderFacts, business: str) -> tuple[str, tuple[str, ...]] | None:
    folded = business.lower()
    for key, uses in facts.reference.end_uses.items():
        if key in folded:
            return key, uses
    return None


@evaluates("ORD-RF-END-USE")
def end_use_contradicts_business(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """The declared end use is none of the uses that fit the buyer's declared business
    (``end_uses.csv``); a business the table does not know is not judged."""
    buyer = facts.order.buyer
    end_use = (facts.order.end_use or "").strip()
    if buyer is None or not buyer.business or not end_use:
        return
    known = _expected_uses(facts, buyer.business)
    if known is None:
        return
    key, uses = known
    folded = end_use.lower()
    if not any(u in folded or folded in u for u in uses):
        yield finding(
            spec,
            facts,
            end_use=end_use,
            business=buyer.business,
            business_class=key,
            expected=", ".join(uses),
        )


@evaluates("ORD-RF-NO-END-USE")
def no_end_use(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """A controlled (above essential level) or watch substance is ordered without an end use."""
    if (facts.order.end_use or "").strip():
        return
    for lf in facts.lines:
        if facts.watched(lf):
            yield finding(spec, facts, line=lf.line.line_no, substance=lf.name)


@evaluates("ORD-RF-PRICE")
def price_far_above_market(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """The unit price is ``factor`` times or more the reference price. The reference is the
    median of an order population (``PopulationPrices``), named in the finding; without a
    reference the rule does not judge."""
    if facts.prices is None:
        return
    factor = spec.param("factor")
    for lf in facts.lines:
        line = lf.line
        currency = line.currency or facts.order.payment.currency
        if lf.quantity is None or line.unit_price is None or not line.quantity or not currency:
            continue
        per_unit = line.unit_price * line.quantity / lf.quantity[0]
        ref = facts.prices.reference(lf.substance_key, lf.quantity[1], currency)
        if ref is None or ref.median_price <= 0:
            continue
        ratio = per_unit / ref.median_price
        if ratio >= factor:
            yield finding(
                spec,
                facts,
                line=line.line_no,
                substance=lf.name,
                price=f"{per_unit:.2f} {currency.upper()}",
                unit=lf.quantity[1],
                ratio=round(ratio, 1),
                reference=f"{ref.median_price:.2f} {ref.currency} per {ref.unit}",
                reference_source=f"median of {ref.observations} prices in {ref.source}",
            )


@evaluates("ORD-RF-CORRIDOR")
def diversion_corridor(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """The route matches a corridor of ``corridors.csv`` (each named by an official report for a
    drug family) and a line carries a precursor on the route or a watch substance of that family
    (or of no known family)."""
    route = facts.order.route
    countries = route.countries
    for corridor in facts.reference.corridors:
        if not corridor.matches(countries, route.origin, route.destination):
            continue
        names = [
            lf.name
            for lf in facts.lines
            if facts.watched(lf)
            and (not facts.families(lf) or corridor.family in facts.families(lf))
        ]
        if names:
            yield finding(
                spec,
                facts,
                route=" > ".join(countries),
                report=corridor.source,
                url=corridor.url,
                substances=corridor.substances,
                lines=names,
            )
            return


def cumulative_red_flags(
    spec: RuleSpec, facts: OrderFacts, findings: Sequence[Finding]
) -> Iterator[Finding]:
    """``min_flags`` or more distinct red-flag rules (``ORD-RF-*``) fired on an order that
    carries a precursor on the route, a watch substance or a line nothing could identify.
    Applied by the engine after the other rules."""
    flagged = sorted(
        {
            f.rule_id
            for f in findings
            if f.rule_id.startswith("ORD-RF-") and f.outcome > OrderOutcome.CLEAR
        }
    )
    names = concerns(facts, unidentified=True)
    if names and len(flagged) >= spec.param("min_flags"):
        yield finding(
            spec, facts, count=len(flagged), rules=", ".join(flagged), substances=", ".join(names)
        )
