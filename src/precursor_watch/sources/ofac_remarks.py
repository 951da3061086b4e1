"""Facts hidden in OFAC's free-text Remarks: weak aliases, dates of birth or establishment,
nationality and citizenship, and identifiers (passports, national and tax IDs, company
registrations, USCC, R.F.C., emails, phones, websites, digital-currency addresses...).

Remarks are "; "-separated segments such as ``DOB 25 Mar 1977``, ``alt. Passport H9 (Hong Kong)``,
``Digital Currency Address - XBT 12Qt...``, ``a.k.a. 'El Mayo'``. Segments this module does not
understand stay in the entity's remarks text, which is always kept whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from precursor_watch.domain.parties import AliasStrength, EntityName, Identifier
from precursor_watch.sources.countries import country_code
from precursor_watch.sources.partial_dates import partial_dates

# OFAC label -> Identifier.kind. Longest labels are tried first.
IDENTIFIER_LABELS: dict[str, str] = {
    "Passport": "passport",
    "Diplomatic Passport": "passport",
    "National ID No.": "national_id",
    "Cedula No.": "national_id",
    "D.N.I.": "national_id",
    "C.U.R.P.": "national_id",
    "SSN": "national_id",
    "Identification Number": "national_id",
    "Kenyan ID No.": "national_id",
    "Personal ID Card": "national_id",
    "Residency Number": "national_id",
    "Birth Certificate Number": "national_id",
    "Citizen's Card Number": "national_id",
    "Electoral Registry No.": "national_id",
    "I.F.E.": "national_id",
    "Tax ID No.": "tax",
    "R.F.C.": "tax",
    "NIT #": "tax",
    "RUC #": "tax",
    "RIF #": "tax",
    "C.U.I.T.": "tax",
    "C.U.I.P.": "tax",
    "C.I.F.": "tax",
    "V.A.T. Number": "tax",
    "Italian Fiscal Code": "tax",
    "Unified Social Credit Code (USCC)": "tax",
    "Registration Number": "registration",
    "Registration ID": "registration",
    "Public Registration Number": "registration",
    "Business Registration Document #": "registration",
    "Business Registration Number": "registration",
    "Business Number": "registration",
    "Commercial Registry Number": "registration",
    "Commercial Registration Number": "registration",
    "Company Number": "registration",
    "UK Company Number": "registration",
    "Company ID": "registration",
    "C.R. No.": "registration",
    "Folio Mercantil No.": "registration",
    "Matricula Mercantil No": "registration",
    "Chamber of Commerce Number": "registration",
    "Economic Register Number": "registration",
    "Trade License No.": "registration",
    "Government Gazette Number": "registration",
    "Certificate of Incorporation Number": "registration",
    "Registration Certificate Number": "registration",
    "Enterprise Number": "registration",
    "Legal Entity Number": "lei",
    "SWIFT/BIC": "swift",
    "D-U-N-S Number": "duns",
    "MMSI": "mmsi",
    "Vessel Registration Identification": "imo",
    "Aircraft Tail Number": "aircraft_tail",
    "Aircraft Manufacturer's Serial Number (MSN)": "aircraft_msn",
    "Chinese Commercial Code": "chinese_commercial_code",
    "Email Address": "email",
    "Email": "email",
    "Website": "website",
    "Phone Number": "phone",
    "Telephone No.": "phone",
    "Telephone": "phone",
    "Phone": "phone",
    "Fax No.": "fax",
    "Fax": "fax",
}
# one alternation, longest label first, so "Registration Number" wins over "Registration ID"...
_LABEL = re.compile(
    "^("
    + "|".join(re.escape(k) for k in sorted(IDENTIFIER_LABELS, key=len, reverse=True))
    + ")[ :]"
)
_ALIAS = re.compile(r"\b([afn])\.k\.a\.,?\s+'(.*?)'(?=\s*(?:;|\.?\s*$))")
_WALLET = re.compile(r"^Digital Currency Address - ([A-Z0-9]+)\s+(\S+)")
_VALUE = re.compile(
    r"^(?P<value>.+?)(?:\s+\((?P<country>[^()]+)\))?"
    r"(?:[,;]?\s+(?:issued|expires|valid|Issue Date|Expiration Date)\b.*)?$"
)
_GENERIC_ID = re.compile(
    r"^(?P<label>[A-Z][\w.'/&-]*(?: [\w.'/&-]+){0,5}? (?:No\.|Number|#))\s+"
    r"(?P<rest>\S*\d.*)$"
)
_COUNTRY_FACTS = ("nationality", "citizen", "Nationality of Registration")
_ALIAS_KIND = {"a": "aka", "f": "fka", "n": "nka"}


@dataclass(frozen=True, slots=True)
class RemarksFacts:
    weak_aliases: tuple[EntityName, ...]
    birth_dates: tuple[str, ...]
    countries: tuple[str, ...]
    identifiers: tuple[Identifier, ...]


def _identifier(kind: str, rest: str) -> Identifier | None:
    match = _VALUE.match(rest.strip().rstrip("."))
    if not match:
        return None
    value = match["value"].strip().strip(":").strip()
    if kind == "imo":
        value = re.sub(r"^IMO\s+", "", value)
    if not value or value == "-0-":
        return None
    return Identifier(kind=kind, value=value, country=country_code(match["country"]))


def _segment_facts(
    segment: str, birth: list[str], countries: list[str], identifiers: list[Identifier]
) -> None:
    for prefix in ("DOB ", "Organization Established Date "):
        if segment.startswith(prefix):
            birth.extend(partial_dates(segment[len(prefix) :]))
            return
    for fact in _COUNTRY_FACTS:
        if segment.startswith(fact + " "):
            code = country_code(segment[len(fact) + 1 :])
            if code:
                countries.append(code)
            return
    if wallet := _WALLET.match(segment):
        identifiers.append(Identifier(kind="wallet", value=wallet[2].rstrip(".")))
        return
    if segment.startswith(("Identification Number IMO", "Company Number IMO")):
        found = _identifier("imo", segment.split("IMO", 1)[1])
        if found:
            identifiers.append(found)
        return
    if labelled := _LABEL.match(segment):
        found = _identifier(IDENTIFIER_LABELS[labelled[1]], segment[labelled.end() :])
        if found:
            identifiers.append(found)
        return
    if generic := _GENERIC_ID.match(segment):
        found = _identifier("other_id", generic["rest"])
        if found:
            identifiers.append(found)


def parse_remarks(remarks: str | None) -> RemarksFacts:
    """Every fact this module recognises in one entry's Remarks."""
    if not remarks:
        return RemarksFacts((), (), (), ())
    aliases = tuple(
        EntityName(name=m[2].strip(), strength=AliasStrength.WEAK, kind=_ALIAS_KIND[m[1]])
        for m in _ALIAS.finditer(remarks)
        if m[2].strip()
    )
    rest = _ALIAS.sub("", remarks)
    birth: list[str] = []
    countries: list[str] = []
    identifiers: list[Identifier] = []
    for raw in rest.split(";"):
        segment = raw.strip().rstrip(".").strip()
        if segment.startswith("alt. "):
            segment = segment[5:].strip()
        if segment:
            _segment_facts(segment, birth, countries, identifiers)
    return RemarksFacts(
        weak_aliases=aliases,
        birth_dates=tuple(dict.fromkeys(birth)),
        countries=tuple(dict.fromkeys(countries)),
        identifiers=tuple(dict.fromkeys(identifiers)),
    )
