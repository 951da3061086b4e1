"""What the sample generator draws from: products, company name parts, businesses, countries.

Products come from two places, both sourced:

* the knowledge base (``precursor_watch/data/substances.csv``): name, CAS RN, HS code;
* a short list of common laboratory and industrial chemicals with their CAS RN as given in
  manufac-analytics/perry ``src/data/inchi-dictionary.ts`` (a public chemical dictionary);
  their HS codes are not sourced, so those lines carry none.

Company names are assembled from parts and are fictitious; the prices are invented for the
simulation (they only need to be consistent within a sample, and the price rule derives its
reference from the sample itself).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Product:
    key: str
    name: str
    cas: str | None
    hs_code: str | None
    unit: str  # "kg" or "L"
    price: float  # simulated price per unit, USD
    businesses: tuple[str, ...]  # which kinds of buyer normally order it


# CAS RN as given in manufac-analytics/perry src/data/inchi-dictionary.ts.
COMMON_CHEMICALS: tuple[tuple[str, str, str, float, tuple[str, ...]], ...] = (
    ("Acetic acid", "64-19-7", "L", 1.2, ("food manufacturer", "chemical distributor")),
    ("Acetonitrile", "75-05-8", "L", 4.5, ("pharmaceutical manufacturer", "research laboratory")),
    ("Acrylic acid", "79-10-7", "kg", 2.1, ("paint manufacturer", "plastics manufacturer")),
    ("Acrylonitrile", "107-13-1", "kg", 1.9, ("plastics manufacturer",)),
    ("Anisole", "100-66-3", "kg", 6.0, ("flavour and fragrance manufacturer",)),
    ("Benzoic acid", "65-85-0", "kg", 2.4, ("food manufacturer", "chemical distributor")),
    ("Benzyl alcohol", "100-51-6", "kg", 3.3, ("cosmetics manufacturer", "paint manufacturer")),
    ("Benzophenone", "119-61-9", "kg", 7.5, ("cosmetics manufacturer", "plastics manufacturer")),
    ("Biphenyl", "92-52-4", "kg", 5.2, ("chemical distributor",)),
    ("Benzamide", "55-21-0", "kg", 9.0, ("research laboratory", "university")),
    ("Bromobenzene", "108-86-1", "kg", 11.0, ("pharmaceutical manufacturer",)),
)

# Knowledge-base substances that legitimate trade buys every day (essential chemicals).
KB_COMMON: dict[str, tuple[str, float, tuple[str, ...]]] = {
    "acetone": ("L", 1.1, ("paint manufacturer", "chemical distributor", "cosmetics manufacturer")),
    "toluene": ("L", 1.0, ("paint manufacturer", "chemical distributor")),
    "mek": ("L", 1.4, ("paint manufacturer", "plastics manufacturer")),
    "sulphuric_acid": ("kg", 0.3, ("chemical distributor", "water treatment", "mining company")),
    "hydrochloric_acid": ("kg", 0.4, ("water treatment", "chemical distributor")),
    "ethyl_ether": ("L", 6.0, ("research laboratory", "pharmaceutical manufacturer")),
    "potassium_permanganate": ("kg", 3.5, ("water treatment",)),
    "aniline": ("kg", 2.2, ("chemical distributor", "plastics manufacturer")),
    "benzaldehyde": ("kg", 4.0, ("flavour and fragrance manufacturer",)),
}
# Controlled precursors that licensed pharmaceutical makers buy with an authorisation.
KB_LICENSED: dict[str, tuple[str, float]] = {
    "4piperidone": ("kg", 60.0),
    "boc4piperidone": ("kg", 80.0),
    "npp": ("kg", 150.0),
    "piperidine": ("kg", 12.0),
}

BUSINESS_END_USES: dict[str, tuple[str, ...]] = {
    "pharmaceutical manufacturer": ("pharmaceutical synthesis", "API manufacture"),
    "research laboratory": ("research and development", "analytical reference"),
    "university": ("teaching", "research and development"),
    "paint manufacturer": ("solvent for coatings", "paint thinner"),
    "flavour and fragrance manufacturer": ("fragrance", "flavour"),
    "food manufacturer": ("food processing", "flavour"),
    "chemical distributor": ("resale",),
    "plastics manufacturer": ("polymer production",),
    "cosmetics manufacturer": ("cosmetics",),
    "water treatment": ("water treatment",),
    "mining company": ("ore processing",),
}

COUNTRY_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    # country: (name stems, cities, legal form)
    "CN": (
        ("Huaxin", "Jinlong", "Tianyu", "Hengrui", "Zhongbei"),
        ("Shanghai", "Wuhan", "Nanjing", "Hangzhou"),
        "Co., Ltd.",
    ),
    "IN": (
        ("Shree", "Vardhman", "Sai", "Krishna", "Amrit"),
        ("Mumbai", "Hyderabad", "Ahmedabad", "Vapi"),
        "Pvt. Ltd.",
    ),
    "DE": (
        ("Rheintal", "Nordwerk", "Altmann", "Kessler", "Brandt"),
        ("Hamburg", "Frankfurt", "Leverkusen", "Mainz"),
        "GmbH",
    ),
    "US": (
        ("Lakeside", "Summit", "Keystone", "Riverbend", "Harbor"),
        ("Houston", "Newark", "Chicago", "Baton Rouge"),
        "Inc.",
    ),
    "MX": (
        ("Del Valle", "Azteca", "Sierra", "Pacifico", "Norteña"),
        ("Monterrey", "Guadalajara", "Puebla", "Toluca"),
        "S.A. de C.V.",
    ),
    "NL": (
        ("Van Dijk", "Delta", "Polder", "Hollandia", "Maas"),
        ("Rotterdam", "Amsterdam", "Utrecht", "Eindhoven"),
        "B.V.",
    ),
    "CA": (
        ("Maple", "Northern", "Pacific Rim", "Laurentian", "Prairie"),
        ("Toronto", "Montreal", "Calgary", "Vancouver"),
        "Ltd.",
    ),
    "GB": (
        ("Thames", "Pennine", "Albion", "Severn", "Cotswold"),
        ("Manchester", "Leeds", "Bristol", "Glasgow"),
        "Ltd",
    ),
}
BUSINESS_WORDS: dict[str, str] = {
    "pharmaceutical manufacturer": "Pharma",
    "research laboratory": "Research Labs",
    "university": "Institute of Technology",
    "paint manufacturer": "Coatings",
    "flavour and fragrance manufacturer": "Aromatics",
    "food manufacturer": "Foods",
    "chemical distributor": "Chemicals",
    "plastics manufacturer": "Polymers",
    "cosmetics manufacturer": "Cosmetics",
    "water treatment": "Water Solutions",
    "mining company": "Mining",
}
STREETS = (
    "Industrial Park Road",
    "Harbour Avenue",
    "Science Park",
    "Chemical Zone Road",
    "Logistics Way",
)


@lru_cache(maxsize=1)
def knowledge_base_rows() -> dict[str, dict[str, str]]:
    """The knowledge base substances by id ({} when the package has no knowledge base)."""
    kb = resources.files("precursor_watch.data").joinpath("substances.csv")
    if not kb.is_file():
        return {}
    rows = csv.DictReader(io.StringIO(kb.read_text("utf-8")))
    return {r["substance_id"]: r for r in rows}


@lru_cache(maxsize=1)
def precursors_needing_authorisation() -> frozenset[str]:
    """Knowledge-base substances with at least one listing above the essential-chemical level:
    legitimate sellers ship these with an export authorisation reference."""
    from precursor_watch.rules.facts import is_essential_text

    listings = resources.files("precursor_watch.data").joinpath("listings.csv")
    if not listings.is_file():
        return frozenset()
    rows = csv.DictReader(io.StringIO(listings.read_text("utf-8")))
    return frozenset(
        r["substance_id"] for r in rows if not is_essential_text(f"{r['list']} {r['entry']}")
    )


def load_products() -> tuple[list[Product], dict[str, Product]]:
    """(everyday products, licensed precursors by key)."""
    kb = knowledge_base_rows()
    everyday = [
        Product(name.lower().replace(" ", "_"), name, cas, None, unit, price, businesses)
        for name, cas, unit, price, businesses in COMMON_CHEMICALS
    ]
    for key, (unit, price, businesses) in KB_COMMON.items():
        if key in kb:
            r = kb[key]
            everyday.append(
                Product(
                    key,
                    r["preferred_name"],
                    r["cas"] or None,
                    r["hs_code"] or None,
                    unit,
                    price,
                    businesses,
                )
            )
    licensed: dict[str, Product] = {}
    for key, (unit, price) in KB_LICENSED.items():
        if key in kb:
            r = kb[key]
            licensed[key] = Product(
                key,
                r["preferred_name"],
                r["cas"] or None,
                r["hs_code"] or None,
                unit,
                price,
                ("pharmaceutical manufacturer",),
            )
    return everyday, licensed


def kb_product(key: str, unit: str = "kg", price: float = 100.0) -> Product | None:
    """A knowledge-base substance as a product (for planted patterns)."""
    r = knowledge_base_rows().get(key)
    if r is None:
        return None
    return Product(
        key, r["preferred_name"], r["cas"] or None, r["hs_code"] or None, unit, price, ()
    )
