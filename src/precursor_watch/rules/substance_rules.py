"""Rules on what is in the order: controls on the route, watch substances, unidentified lines."""

from __future__ import annotations

from collections.abc import Iterator

from precursor_watch.domain.findings import Finding
from precursor_watch.domain.outcomes import SubstanceStatus
from precursor_watch.domain.provenance import SourceRef
from precursor_watch.domain.substances import Control
from precursor_watch.rules.catalog import RuleSpec
from precursor_watch.rules.facts import LineFacts, OrderFacts, is_essential_level
from precursor_watch.rules.quantity_thresholds import (
    ThresholdCheck,
    exempt_jurisdictions,
    note,
    threshold_checks,
)
from precursor_watch.rules.reference import hs_digits
from precursor_watch.rules.registry import evaluates, finding


def route_controls(facts: OrderFacts, lf: LineFacts) -> list[tuple[Control, str]]:
    """Controls on the line's substance in force on the order's day in a route jurisdiction,
    each with the route role that brings it in."""
    if lf.best is None or lf.status is not SubstanceStatus.CONTROLLED:
        return []
    memo = facts.route_controls_memo
    found = memo.get(id(lf))
    if found is None:
        found = _route_controls(facts, lf)
        if any(x is lf for x in facts.lines):  # only the order's own (live) lines: ids unique
            memo[id(lf)] = found
    return list(found)


def _route_controls(facts: OrderFacts, lf: LineFacts) -> list[tuple[Control, str]]:
    if lf.best is None:
        return []
    roles = facts.route_jurisdictions()
    day = facts.day
    out: list[tuple[Control, str]] = []
    for c in lf.best.controls:
        if c.jurisdiction not in roles:
            continue
        if day is not None and (c.effective > day or (c.end is not None and day >= c.end)):
            continue
        out.append((c, roles[c.jurisdiction]))
    return out


def describe(controls: list[tuple[Control, str]]) -> str:
    return "; ".join(
        f"{c.jurisdiction} ({role}): {c.list}, {c.entry} [{c.basis.value}]" for c, role in controls
    )


# What an order could declare to cover a control, by the route role that brings it in. A sale
# inside one country crosses no border: export authorisation and pre-export notification (1988
# Convention, art. 12(10)) concern exports, so only the country's own domestic controls apply.
_REFERENCES_BY_ROLE = {
    "domestic": "licence, registration or other domestic authorisation",
    "origin": "export authorisation",
    "transit": "transit authorisation",
    "destination": "import authorisation or declaration",
    "international trade": "pre-export notification",
}


def trade(facts: OrderFacts) -> tuple[str, str]:
    """What the order is as trade: (kind, phrase). ``domestic`` when origin and destination
    are the same declared country with no transit abroad, ``international`` when the route
    crosses a border, ``undeclared`` when origin or destination is missing: such a route is
    never taken as domestic, the order is screened as possibly crossing a border."""
    route = facts.order.route
    if route.is_domestic:
        return "domestic", (
            f"a domestic sale within {route.origin}, to which export authorisation and "
            "pre-export notification do not apply"
        )
    if route.origin and route.destination:
        via = f" via {', '.join(route.transit)}" if route.transit else ""
        return "international", (
            f"an international shipment from {route.origin} to {route.destination}{via}"
        )
    return (
        "undeclared",
        f"{route_gap(facts)}, so the order is screened as possibly crossing a border",
    )


def route_gap(facts: OrderFacts) -> str:
    """'route incomplete: origin not declared' (``destination``, ``origin and destination``);
    empty for a route with both ends declared."""
    missing = facts.order.route.undeclared
    return f"route incomplete: {' and '.join(missing)} not declared" if missing else ""


def references(controls: list[tuple[Control, str]]) -> str:
    """The kinds of reference that could cover these controls, in route order: 'export
    authorisation or pre-export notification' for an export of a UN Table I substance."""
    found: list[str] = []
    for role in _REFERENCES_BY_ROLE:
        if any(r == role for _, r in controls):
            found.append(_REFERENCES_BY_ROLE[role])
    if not found:  # a role not in the table: name every kind rather than none
        found = list(_REFERENCES_BY_ROLE.values())
    return ", ".join(found[:-1]) + (" or " if len(found) > 1 else "") + found[-1]


def _source(lf: LineFacts, control: Control) -> SourceRef:
    version = lf.best.data_version if lf.best else ""
    url = control.source if control.source.startswith("http") else None
    return SourceRef(control.list, version, control.entry, url)


def _above_essential(
    facts: OrderFacts, lf: LineFacts
) -> tuple[list[tuple[Control, str]], list[tuple[Control, str]], list[ThresholdCheck]]:
    """A line's route controls above the essential-chemical level, split into those that
    apply to this quantity and those of jurisdictions where it stays below a sourced
    threshold, with every threshold compared."""
    controls = [(c, r) for c, r in route_controls(facts, lf) if not is_essential_level(c)]
    if not controls:
        return [], [], []
    checks = threshold_checks(facts, lf, {c.jurisdiction for c, _ in controls})
    below = exempt_jurisdictions(checks)
    applying = [(c, r) for c, r in controls if c.jurisdiction not in below]
    exempt = [(c, r) for c, r in controls if c.jurisdiction in below]
    return applying, exempt, checks


def _controls_finding(
    spec: RuleSpec,
    facts: OrderFacts,
    lf: LineFacts,
    controls: list[tuple[Control, str]],
    checks: list[ThresholdCheck],
    **extra: str,
) -> Finding:
    """A line's finding about the route controls it falls under (or stays below): the
    jurisdictions, the controls, the thresholds compared, the first control's source."""
    kind, phrase = trade(facts)
    return finding(
        spec,
        facts,
        line=lf.line.line_no,
        substance=lf.name,
        cas=lf.cas,
        jurisdictions=", ".join(sorted({c.jurisdiction for c, _ in controls})),
        controls=describe(controls),
        transaction=kind,
        trade=phrase,
        references=references(controls),
        threshold_note=note(checks),
        source=_source(lf, controls[0][0]),
        **extra,
    )


def _controlled(spec: RuleSpec, facts: OrderFacts, authorised: bool) -> Iterator[Finding]:
    if bool(facts.order.authorisations) is not authorised:
        return
    for lf in facts.lines:
        controls, _, checks = _above_essential(facts, lf)
        if not controls:
            continue
        yield _controls_finding(
            spec, facts, lf, controls, checks, authorisations=", ".join(facts.order.authorisations)
        )


@evaluates("ORD-SUB-CONTROLLED")
def controlled_on_route(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """A line's substance is controlled (above the essential-chemical level) in the origin,
    a transit or the destination jurisdiction, or internationally (UN), and the order declares
    no authorisation reference. The sentence names the trade and what could cover it: for an
    international shipment the export authorisation (origin), transit authorisation, import
    authorisation or declaration (destination) or pre-export notification (UN Table I) the
    controls on the route call for; for a domestic sale (origin and destination the same
    country, no transit abroad), which crosses no border, the country's licence, registration
    or other domestic authorisation, and it says that export authorisation and pre-export
    notification do not apply. A route missing its origin or destination is never taken as a
    domestic sale: the sentence says which end is not declared, the order is screened as
    possibly crossing a border (the UN controls apply, and a quantity threshold exempts the
    line only if it governs every kind of transaction the route leaves possible)."""
    return _controlled(spec, facts, authorised=False)


@evaluates("ORD-SUB-AUTHORISED")
def controlled_with_authorisation(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """As ORD-SUB-CONTROLLED, but the order declares an authorisation: a person must check it
    covers the substance, quantity and route."""
    return _controlled(spec, facts, authorised=True)


@evaluates("ORD-SUB-BELOW-THRESHOLD")
def below_threshold(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """Every route control above the essential-chemical level belongs to a jurisdiction whose
    sourced quantity threshold (``rules/thresholds.csv``) the line stays below, counting the
    customer's earlier lines of the same calendar month: not a regulated transaction there.
    Recorded with the threshold and its citation, without raising the decision. A substance
    without a sourced threshold never gets here: it counts at any quantity. For a route missing
    its origin or destination the thresholds must govern every kind of transaction the route
    leaves possible (a domestic sale or an import when only the destination is declared)."""
    for lf in facts.lines:
        controls, exempt, checks = _above_essential(facts, lf)
        if controls or not exempt:
            continue
        yield _controls_finding(spec, facts, lf, exempt, checks)


@evaluates("ORD-SUB-ESSENTIAL")
def essential_chemical(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """Every route control on the substance is at essential-chemical (Table II) level: record
    it, with any sourced threshold that governs it, without raising the decision. For a
    domestic sale the sentence says no pre-export notification arises (no border crossed); for
    a route missing its origin or destination it says which, and that the order may cross a
    border."""
    for lf in facts.lines:
        controls = route_controls(facts, lf)
        if controls and all(is_essential_level(c) for c, _ in controls):
            checks = threshold_checks(facts, lf, {c.jurisdiction for c, _ in controls})
            yield _controls_finding(
                spec, facts, lf, controls, checks, pre_export=_pre_export_note(facts)
            )


def _pre_export_note(facts: OrderFacts) -> str:
    """What pre-export notification means for an essential chemical on this route."""
    route = facts.order.route
    if route.is_domestic:
        return (
            f"a domestic sale within {route.origin} crosses no border, so no pre-export "
            "notification arises"
        )
    unless = "no pre-export notification is required unless the importing country asked for one"
    gap = route_gap(facts)
    return f"{gap}, so the order may cross a border: {unless}" if gap else unless


def _watch(spec: RuleSpec, facts: OrderFacts, known: bool) -> Iterator[Finding]:
    for lf in facts.lines:
        if lf.status is not SubstanceStatus.WATCH or lf.best is None:
            continue
        previous = {h.order_id for h in facts.history_of(lf.substance_key)}
        if bool(previous) is not known:
            continue
        hit = lf.best.watch[0] if lf.best.watch else None
        yield finding(
            spec,
            facts,
            line=lf.line.line_no,
            substance=lf.name,
            cas=lf.cas,
            resembles=hit.resembles if hit else "a listed precursor",
            modification=hit.modification if hit else "unspecified modification",
            similarity=round(hit.similarity, 3) if hit else None,
            previous=len(previous),
        )


@evaluates("ORD-SUB-WATCH-NEW")
def watch_without_established_use(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """A designer-precursor ``watch`` substance goes to a buyer who never ordered it before."""
    return _watch(spec, facts, known=False)


@evaluates("ORD-SUB-WATCH-KNOWN")
def watch_with_established_use(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """A ``watch`` substance goes to a buyer whose history shows earlier orders of it."""
    return _watch(spec, facts, known=True)


@evaluates("ORD-SUB-UNIDENTIFIED")
def unidentified_line(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """Nothing on the line resolved to a substance, and it is declared under an HS heading that
    holds listed precursors (or carries neither HS code nor CAS number)."""
    headings = facts.reference.precursor_headings
    for lf in facts.lines:
        if lf.status not in (SubstanceStatus.UNKNOWN, SubstanceStatus.INVALID):
            continue
        declared = hs_digits(lf.line.hs_code)
        if declared and declared[:4] not in headings:
            continue
        if not declared and lf.line.cas:
            continue
        reasons = [f"{s.query}: {s.status.value}" for s in lf.screenings] or ["nothing to screen"]
        yield finding(
            spec,
            facts,
            line=lf.line.line_no,
            product=lf.line.product_name,
            hs_code=lf.line.hs_code or "none",
            reason="; ".join(reasons),
        )


@evaluates("ORD-CAS-INVALID")
def invalid_cas(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """The declared CAS number is malformed (format or check digit)."""
    for lf in facts.lines:
        cas = (lf.line.cas or "").strip()
        for s in lf.screenings:
            if cas and s.query == cas and s.status is SubstanceStatus.INVALID:
                yield finding(
                    spec, facts, line=lf.line.line_no, cas=cas, error=s.error or "invalid"
                )
