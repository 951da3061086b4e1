"""Order screening: one explainable decision per order.

``screen_order(order, context)`` gathers the facts (each line's substance screened, each party
screened, the customer's history), runs every rule of the context's rule set, and returns the
worst finding as the decision, with the versions of the rule set, knowledge base and lists used.
An order that no rule flags gets an explicit ``ORD-CLEAR`` finding saying what was checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache, partial

from precursor_watch.domain.findings import Decision, Finding, input_hash
from precursor_watch.domain.orders import HistoryLine, Order, OrderKind, OrderLine, PartyRole
from precursor_watch.domain.outcomes import OrderOutcome, SubstanceStatus
from precursor_watch.domain.parties import EntityType, Identifier, PartyQuery, PartyScreening
from precursor_watch.domain.provenance import DataVersions
from precursor_watch.domain.substances import SubstanceScreening
from precursor_watch.rules.facts import LineFacts, OrderFacts, PartyFacts
from precursor_watch.rules.red_flag_rules import cumulative_red_flags
from precursor_watch.rules.registry import REGISTRY, check_rule_set, finding
from precursor_watch.screening.context import ScreeningContext

# Which parties are screened against the lists. On an order the seller is the user itself; on an
# export declaration (customs) the exporter is screened too.
SCREENED_ROLES = (
    PartyRole.BUYER,
    PartyRole.CONSIGNEE,
    PartyRole.NOTIFY,
    PartyRole.FORWARDER,
    PartyRole.PAYER,
)
_RESOLVED = (SubstanceStatus.CLEAR, SubstanceStatus.WATCH, SubstanceStatus.CONTROLLED)
_checked: set[str] = set()


def substance_key(line: OrderLine, best: SubstanceScreening | None) -> str:
    """The identity used for history and prices: knowledge-base id, InChIKey, CAS, else the
    folded product name."""
    if best is not None and best.substance is not None:
        ref = best.substance
        for key in (ref.substance_id, ref.inchikey, ref.cas):
            if key:
                return key
    return "name:" + re.sub(r"[^a-z0-9]+", " ", line.product_name.lower()).strip()


def _line_facts(line: OrderLine, context: ScreeningContext) -> LineFacts:
    screenings = tuple(context.substance_screener(q) for q in line.queries)
    resolved = [s for s in screenings if s.status in _RESOLVED]
    best = max(resolved, key=lambda s: s.status.rank) if resolved else None
    if best is None and screenings:
        best = screenings[0]
    return LineFacts(
        line=line,
        screenings=screenings,
        best=best,
        substance_key=substance_key(line, best if best and best.substance else None),
        quantity=line.normalized_quantity(),
    )


_PHONE = re.compile(r"^\+?[\d\s().-]{7,}$")


def contact_identifiers(contacts: tuple[str, ...], country: str | None) -> tuple[Identifier, ...]:
    """Contacts as typed identifiers, which match on their own: e-mail, website, phone."""
    out = []
    for contact in contacts:
        text = contact.strip()
        if "@" in text:
            out.append(Identifier("email", text.lower(), country))
        elif text.lower().startswith(("http://", "https://", "www.")):
            out.append(Identifier("website", text.lower(), country))
        elif _PHONE.match(text):
            out.append(Identifier("phone", text, country))
    return tuple(out)


def _party_query(order: Order, role: PartyRole) -> PartyQuery | None:
    party = order.party(role)
    if party is None or not party.name.strip():
        return None
    etype = {"person": EntityType.PERSON, "organization": EntityType.ORGANIZATION}.get(
        (party.entity_type or "").lower()
    )
    return PartyQuery(
        name=party.name,
        country=party.country,
        entity_type=etype,
        identifiers=party.identifiers + contact_identifiers(party.contacts, party.country),
        address=party.address,
    )


def line_facts(order: Order, context: ScreeningContext) -> tuple[LineFacts, ...]:
    """Every line of ``order`` screened (what ``gather_facts`` starts from)."""
    return tuple(_line_facts(line, context) for line in order.lines)


def gather_facts(
    order: Order, context: ScreeningContext, lines: tuple[LineFacts, ...] | None = None
) -> OrderFacts:
    """Screen every line and party and read the customer's history. ``lines``: the order's
    ``line_facts`` on this context, when the caller has them already."""
    if lines is None:
        lines = line_facts(order, context)
    parties: list[PartyFacts] = []
    if context.party_screener is not None:
        roles: tuple[PartyRole, ...] = SCREENED_ROLES
        if order.kind is OrderKind.DECLARATION:
            roles = (PartyRole.SELLER, *roles)
        for role in roles:
            query = _party_query(order, role)
            party = order.party(role)
            if query is not None and party is not None:
                parties.append(PartyFacts(party, context.party_screener(query)))
    key = order.customer_key
    until = order.date or context.as_of
    # A history store that keeps each customer's lines per substance saves the rules a pass
    # over the customer's whole history for every line (and the copy of it for every order).
    source: Callable[[str], Sequence[HistoryLine]] | None = None
    by_substance = getattr(context.history, "substance_lines", None)
    has_lines = getattr(context.history, "has_lines", None)
    baseline = getattr(context.history, "quantity_baseline", None)
    baseline_source: Callable[[str, str], tuple[int, float]] | None = None
    history: tuple[HistoryLine, ...] = ()
    has_history: bool | None = None
    if key and by_substance is not None and has_lines is not None:
        source = partial(by_substance, key, until=until, exclude_order=order.order_id)
        has_history = bool(has_lines(key, until, order.order_id))
        if baseline is not None:
            baseline_source = partial(baseline, key, until=until, exclude_order=order.order_id)
    elif key:
        history = tuple(context.history.lines_for(key, until, order.order_id))

    return OrderFacts(
        order=order,
        lines=lines,
        parties=tuple(parties),
        parties_screened=context.party_screener is not None,
        history=history,
        has_history=has_history,
        prices=context.prices,
        reference=context.reference,
        as_of=context.as_of,
        history_source=source,
        baseline_source=baseline_source,
    )


def _versions(context: ScreeningContext, facts: OrderFacts) -> DataVersions:
    declared = context.versions
    kb = sorted({s.data_version for lf in facts.lines for s in lf.screenings if s.data_version})
    lists = dict(declared.lists)
    matchers = {p.screening.matcher for p in facts.parties if p.screening.matcher}
    for p in facts.parties:
        lists.update(p.screening.list_versions)
    return DataVersions(
        knowledge_base=";".join(kb) if kb else declared.knowledge_base,
        rule_set=context.rule_set.label,
        matcher=";".join(sorted(matchers)) if matchers else declared.matcher,
        lists=lists,
    )


def _clear_finding(context: ScreeningContext, facts: OrderFacts) -> Finding:
    spec = context.rule_set["ORD-CLEAR"]
    names = ", ".join(f"{lf.name} ({lf.status.value})" for lf in facts.lines) or "none"
    return finding(
        spec,
        facts,
        lines=len(facts.lines),
        substances=names,
        parties=len(facts.parties),
        rules=len(context.rule_set.rules),
    )


def evaluate(facts: OrderFacts, context: ScreeningContext) -> list[Finding]:
    """Run every rule of the rule set on the facts."""
    rule_set = context.rule_set
    if rule_set.label not in _checked:
        check_rule_set(rule_set)
        _checked.add(rule_set.label)
    findings: list[Finding] = []
    for rule_id, spec in rule_set.rules.items():
        fn = REGISTRY.get(rule_id)
        if fn is not None:
            findings.extend(fn(spec, facts))
    if "ORD-RF-CUMULATIVE" in rule_set.rules:
        findings.extend(cumulative_red_flags(rule_set["ORD-RF-CUMULATIVE"], facts, findings))
    return findings


@cache
def _default_context() -> ScreeningContext:
    """One shared default context (bundled knowledge base, no list): its caches then serve
    every ``screen_order(order)`` call. It is never given history, so calls stay independent."""
    return ScreeningContext.default()


def screen_order(order: Order, context: ScreeningContext | None = None) -> Decision:
    """Screen one order: the worst finding is the decision; a clean order says so explicitly."""
    return screen_order_with_facts(order, context)[0]


def screen_order_with_facts(
    order: Order,
    context: ScreeningContext | None = None,
    lines: tuple[LineFacts, ...] | None = None,
) -> tuple[Decision, OrderFacts]:
    """``screen_order``, and the facts it decided on (their line facts give ``history_lines``
    without screening the lines again). ``lines``: as for ``gather_facts``."""
    context = context if context is not None else _default_context()
    facts = gather_facts(order, context, lines)
    findings = evaluate(facts, context)
    if all(f.outcome is OrderOutcome.CLEAR for f in findings):
        findings.append(_clear_finding(context, facts))
    digest = input_hash(
        {"order": order.to_json(), "as_of": context.as_of.isoformat() if context.as_of else None}
    )
    decision = Decision.from_findings(
        order.order_id, tuple(findings), _versions(context, facts), digest
    )
    return decision, facts


def history_lines(
    order: Order,
    context: ScreeningContext,
    facts: OrderFacts | None = None,
    *,
    lines: tuple[LineFacts, ...] | None = None,
) -> list[HistoryLine]:
    """The lines to record in customer history once ``order`` is screened (``facts``: the
    order's facts from ``screen_order_with_facts``, or ``lines``: its ``line_facts``, to reuse
    its screened lines)."""
    key = order.customer_key
    if key is None:
        return []
    out: list[HistoryLine] = []
    screened = facts.lines if facts is not None and facts.order is order else lines
    for i, line in enumerate(order.lines):
        lf = screened[i] if screened is not None else _line_facts(line, context)
        qty = lf.quantity
        price = line.unit_price
        if qty is not None and price is not None and line.quantity:
            price = price * line.quantity / qty[0]  # per kg or per L
        out.append(
            HistoryLine(
                order_id=order.order_id,
                date=order.date,
                customer_key=key,
                ship_to=order.ship_to,
                substance_key=lf.substance_key,
                quantity=qty[0] if qty else None,
                unit=qty[1] if qty else None,
                unit_price=price,
                currency=line.currency or order.payment.currency,
            )
        )
    return out


def screen_orders(
    orders: Iterable[Order], context: ScreeningContext, *, record_history: bool = True
) -> Iterator[Decision]:
    """Screen orders in sequence; each screened order joins its customer's history so that
    later orders are judged against it (baselines, split orders)."""
    for order in orders:
        decision, facts = screen_order_with_facts(order, context)
        if record_history:
            context.history.record(history_lines(order, context, facts))
        yield decision


__all__ = [
    "PartyScreening",
    "gather_facts",
    "history_lines",
    "line_facts",
    "screen_order",
    "screen_order_with_facts",
    "screen_orders",
]
