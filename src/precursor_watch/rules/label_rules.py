"""Mislabelling: what the line really is contradicts what it is declared as."""

from __future__ import annotations

from collections.abc import Iterator

from precursor_watch.domain.findings import Finding
from precursor_watch.domain.outcomes import SubstanceStatus
from precursor_watch.domain.provenance import SourceRef
from precursor_watch.domain.substances import SubstanceScreening
from precursor_watch.rules.catalog import RuleSpec
from precursor_watch.rules.facts import OrderFacts
from precursor_watch.rules.reference import hs_digits
from precursor_watch.rules.registry import evaluates, finding

_CONCERN = (SubstanceStatus.CONTROLLED, SubstanceStatus.WATCH)


def _identity(s: SubstanceScreening) -> str | None:
    if s.substance is None:
        return None
    return s.substance.inchikey or s.substance.substance_id or s.substance.cas


@evaluates("ORD-MISLABEL-HS")
def hs_code_contradicts_substance(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """The declared HS code differs from the knowledge base's HS code for the identified
    substance (6 digits when the knowledge base gives a confirmed subheading, 4 when its code is
    a heading or marked indicative)."""
    for lf in facts.lines:
        declared = hs_digits(lf.line.hs_code)
        if not declared or lf.best is None or lf.best.substance is None:
            continue
        ref = None
        for key in (lf.substance_id, lf.cas, lf.line.cas):
            if key and key in facts.reference.hs_codes:
                ref = facts.reference.hs_codes[key]
                break
        if ref is None:
            continue
        digits = 4 if "indicative" in ref.note.lower() else ref.digits
        if declared[:digits] == ref.code[:digits]:
            continue
        expected = f"{ref.code[:4]}.{ref.code[4:6]}" if digits == 6 else ref.code[:4]
        yield finding(
            spec,
            facts,
            line=lf.line.line_no,
            substance=lf.name,
            expected_hs=expected,
            declared_hs=lf.line.hs_code,
            compared_digits=digits,
            knowledge_base_hs=ref.note,
            source=SourceRef(
                "knowledge base substances.csv", lf.best.data_version, f"{ref.substance_id} hs_code"
            ),
        )


@evaluates("ORD-MISLABEL-DESC")
def description_contradicts_substance(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """A controlled or watch substance is described as an innocuous product category (food
    additive, flavour, fertiliser, motor oil...)."""
    for lf in facts.lines:
        if lf.status not in _CONCERN:
            continue
        text = " / ".join(
            dict.fromkeys(t for t in (lf.line.product_name, lf.line.description) if t)
        )
        terms = facts.reference.term_hits("innocuous", text)
        if terms:
            yield finding(
                spec,
                facts,
                line=lf.line.line_no,
                substance=lf.name,
                status=lf.status.value,
                described=text,
                terms=", ".join(terms),
            )


@evaluates("ORD-MISLABEL-IDENTITY")
def cas_and_name_disagree(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """The CAS number and the product name resolve to two different substances, at least one of
    them controlled or watch."""
    for lf in facts.lines:
        cas = (lf.line.cas or "").strip()
        by_cas = next((s for s in lf.screenings if s.query == cas), None) if cas else None
        by_name = next((s for s in lf.screenings if s.query != cas), None)
        if by_cas is None or by_name is None:
            continue
        a, b = _identity(by_cas), _identity(by_name)
        if a is None or b is None or a == b:
            continue
        if by_cas.status not in _CONCERN and by_name.status not in _CONCERN:
            continue
        assert by_cas.substance is not None and by_name.substance is not None
        yield finding(
            spec,
            facts,
            line=lf.line.line_no,
            cas=cas,
            cas_substance=by_cas.substance.name,
            cas_status=by_cas.status.value,
            name_substance=by_name.substance.name,
            name_status=by_name.status.value,
        )
