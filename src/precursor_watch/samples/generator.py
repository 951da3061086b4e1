"""A seeded generator of realistic orders: mostly legitimate chemical trade, with planted
diversion patterns, each order labelled with what was planted.

``generate(n_lines, seed)`` yields ``SampleOrder(order, planted)``; the same seed gives the same
orders, byte for byte. ``write_sample(path, n_lines, seed)`` writes the orders (CSV, JSON Lines,
Parquet or Excel, from the suffix) and the labels next to them (``<name>.labels.jsonl``).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from precursor_watch.domain.orders import (
    Order,
    OrderLine,
    OrderParty,
    PartyRole,
    Payment,
    Route,
    Shipping,
)
from precursor_watch.samples.catalog import (
    BUSINESS_END_USES,
    BUSINESS_WORDS,
    COUNTRY_NAMES,
    STREETS,
    Product,
    kb_product,
    load_products,
    precursors_needing_authorisation,
)

# Patterns a diversion order may carry; each is a label in the generated labels file.
RED_FLAGS = (
    "crypto_payment",
    "cash_payment",
    "money_transfer",
    "third_party_payer",
    "forwarder_consignee",
    "po_box",
    "residential",
    "urgent",
    "plain_label",
    "end_use_mismatch",
)
DIVERSION_SUBSTANCES = ("npp", "4ap", "anpp", "boc4ap", "4piperidone")
START = date(2026, 1, 5)


@dataclass(frozen=True, slots=True)
class SampleOrder:
    order: Order
    planted: tuple[str, ...]  # empty for legitimate trade

    def label(self) -> dict[str, object]:
        return {"order_id": self.order.order_id, "planted": list(self.planted)}


@dataclass
class Customer:
    party: OrderParty
    sites: tuple[str, ...]
    products: list[tuple[Product, float]]  # product, typical quantity
    business: str


@dataclass
class _State:
    rng: random.Random
    everyday: list[Product]
    licensed: dict[str, Product]
    customers: list[Customer] = field(default_factory=list)
    sellers: list[OrderParty] = field(default_factory=list)
    counter: int = 0
    # (customer index, product key) -> (orders so far, largest quantity): truthful spike labels
    bought: dict[tuple[int, str], tuple[int, float]] = field(default_factory=dict)


def _company(rng: random.Random, country: str, business: str) -> tuple[str, str]:
    stems, cities, form = COUNTRY_NAMES[country]
    city = rng.choice(cities)
    name = f"{city} {rng.choice(stems)} {BUSINESS_WORDS[business]} {form}"
    address = f"{rng.randint(1, 999)} {rng.choice(STREETS)}, {city}"
    return name, address


def _customers(state: _State, count: int) -> None:
    rng = state.rng
    countries = sorted(COUNTRY_NAMES)
    businesses = sorted(BUSINESS_END_USES)
    for i in range(count):
        country = rng.choice(countries)
        business = rng.choice(businesses)
        name, address = _company(rng, country, business)
        sites = (
            address,
            *tuple(_company(rng, country, business)[1] for _ in range(rng.randint(0, 1))),
        )
        fitting = [p for p in state.everyday if business in p.businesses] or state.everyday
        chosen = rng.sample(fitting, k=min(len(fitting), rng.randint(1, 3)))
        if business == "pharmaceutical manufacturer" and state.licensed and rng.random() < 0.3:
            chosen.append(rng.choice(sorted(state.licensed.values(), key=lambda p: p.key)))
        products = [
            (p, float(rng.choice((5, 10, 20, 25, 50, 100, 200, 500, 1000)))) for p in chosen
        ]
        party = OrderParty(
            PartyRole.BUYER,
            name,
            country,
            address,
            business=business,
            customer_id=f"C{i:05d}",
            is_new_customer=False,
        )
        state.customers.append(Customer(party, sites, products, business))
    for country in countries:
        name, address = _company(rng, country, "chemical distributor")
        state.sellers.append(OrderParty(PartyRole.SELLER, name, country, address))


def _line(
    rng: random.Random, no: int, product: Product, qty: float, price_factor: float = 1.0
) -> OrderLine:
    return OrderLine(
        line_no=no,
        product_name=product.name,
        cas=product.cas,
        hs_code=product.hs_code,
        quantity=round(qty, 1),
        unit=product.unit,
        packaging=rng.choice(("25 kg drum", "200 L drum", "IBC", "1 L bottle", "bag")),
        unit_price=round(product.price * price_factor * rng.lognormvariate(0, 0.08), 2),
        currency="USD",
    )


def _record(state: _State, index: int, key: str, quantity: float) -> None:
    count, largest = state.bought.get((index, key), (0, 0.0))
    state.bought[(index, key)] = (count + 1, max(largest, quantity))


def _next_id(state: _State) -> str:
    state.counter += 1
    return f"SO-{state.counter:08d}"


def _legit(
    state: _State, day: date, max_lines: int, index: int | None = None, record: bool = True
) -> SampleOrder:
    rng = state.rng
    index = rng.randrange(len(state.customers)) if index is None else index
    customer = state.customers[index]
    seller = rng.choice(state.sellers)
    picks = rng.sample(customer.products, k=min(len(customer.products), rng.randint(1, max_lines)))
    lines = [
        _line(rng, i + 1, p, typical * rng.lognormvariate(0, 0.25))
        for i, (p, typical) in enumerate(picks)
    ]
    for line, (p, _) in zip(lines, picks, strict=True):
        if record:
            _record(state, index, p.key, line.quantity or 0.0)
    licensed = any(p.key in precursors_needing_authorisation() for p, _ in picks)
    site = rng.choice(customer.sites)
    consignee = replace(
        customer.party,
        role=PartyRole.CONSIGNEE,
        customer_id=None,
        address=site,
        is_new_customer=None,
    )
    order = Order(
        order_id=_next_id(state),
        lines=tuple(lines),
        date=day,
        parties=(seller, customer.party, consignee),
        route=Route(origin=seller.country, destination=customer.party.country),
        payment=Payment(method=rng.choice(("wire transfer", "letter of credit")), currency="USD"),
        end_use=rng.choice(BUSINESS_END_USES[customer.business]),
        shipping=Shipping(mode=rng.choice(("sea", "air", "road"))),
        authorisations=(f"EXP-AUTH-{rng.randint(10000, 99999)}",) if licensed else (),
    )
    return SampleOrder(order, ("licensed_precursor",) if licensed else ())


def _diversion(state: _State, day: date) -> SampleOrder:
    rng = state.rng
    key = rng.choice(DIVERSION_SUBSTANCES)
    product = kb_product(key, "kg", 120.0) or state.everyday[0]
    seller = rng.choice([s for s in state.sellers if s.country in ("CN", "IN")] or state.sellers)
    name, address = _company(rng, "MX", "chemical distributor")
    buyer = OrderParty(
        PartyRole.BUYER, name, "MX", address, business="chemical distributor", is_new_customer=True
    )
    flags = sorted(rng.sample(RED_FLAGS, k=rng.randint(1, 3)))
    planted = ["controlled_precursor", "new_customer", "corridor", *flags]
    line = _line(rng, 1, product, rng.choice((25.0, 50.0, 100.0, 200.0)))
    if rng.random() < 0.3:
        planted.append("mislabel_hs")
        line = replace(line, hs_code="2106.90", description="food additive")
    consignee = replace(buyer, role=PartyRole.CONSIGNEE, is_new_customer=None)
    payer = None
    payment = Payment(method="wire transfer", currency="USD")
    if "crypto_payment" in flags:
        payment = replace(payment, method="bitcoin")
    if "cash_payment" in flags:
        payment = replace(payment, method="cash")
    if "money_transfer" in flags:
        payment = replace(payment, method="Western Union")
    if "third_party_payer" in flags:
        payer_name = _company(rng, "US", "chemical distributor")[0]
        payer = OrderParty(PartyRole.PAYER, payer_name, "US")
        payment = replace(payment, payer=payer_name)
    if "forwarder_consignee" in flags:
        consignee = OrderParty(
            PartyRole.CONSIGNEE,
            f"{rng.choice(('Rapid', 'Global', 'Pronto'))} Freight Logistics",
            "MX",
            address,
        )
    if "po_box" in flags:
        consignee = replace(consignee, address=f"P.O. Box {rng.randint(100, 9999)}, Culiacan")
    if "residential" in flags:
        consignee = replace(
            consignee,
            address=f"Apartment {rng.randint(1, 40)}, Calle {rng.randint(1, 99)}, Culiacan",
        )
    parties = [seller, buyer, consignee] + ([payer] if payer else [])
    order = Order(
        order_id=_next_id(state),
        lines=(line,),
        date=day,
        parties=tuple(parties),
        route=Route(origin=seller.country, destination="MX"),
        payment=payment,
        end_use="pharmaceutical synthesis" if "end_use_mismatch" not in flags else "mining",
        shipping=Shipping(
            urgent="urgent" in flags,
            labelling="plain packaging, no labels" if "plain_label" in flags else None,
            mode="courier",
        ),
    )
    return SampleOrder(order, tuple(planted))


def _watch(state: _State, day: date) -> SampleOrder:
    """A watch-list substance (not legally controlled) to a first-time buyer."""
    sample = _diversion(state, day)
    product = kb_product("phenethyl_bromide", "kg", 40.0)
    if product is None:
        return sample
    line = _line(state.rng, 1, product, 50.0)
    planted = ["watch_substance"] + [
        p for p in sample.planted if p not in ("controlled_precursor", "mislabel_hs")
    ]
    return SampleOrder(replace(sample.order, lines=(line,)), tuple(planted))


def _spike(state: _State, day: date) -> SampleOrder | None:
    """A customer with at least two earlier orders of a product suddenly orders ten times its
    largest quantity of it (None until some customer has such a history)."""
    rng = state.rng
    known = [key for key, (count, _) in state.bought.items() if count >= 2]
    if not known:
        return None
    index, product_key = rng.choice(sorted(known))
    customer = state.customers[index]
    product = next(p for p, _ in customer.products if p.key == product_key)
    largest = state.bought[(index, product_key)][1]
    sample = _legit(state, day, 1, index, record=False)
    line = _line(rng, 1, product, largest * 10)
    _record(state, index, product_key, line.quantity or 0.0)
    return SampleOrder(replace(sample.order, lines=(line,)), ("quantity_spike",))


def generate(
    n_lines: int, seed: int = 0, *, planted_rate: float = 0.02, customers: int = 2000
) -> Iterator[SampleOrder]:
    """Orders with ``n_lines`` lines in all; about ``planted_rate`` of the orders carry a
    planted pattern. Dates run from 2026-01-05, a few minutes apart."""
    rng = random.Random(seed)
    everyday, licensed = load_products()
    state = _State(rng, everyday, licensed)
    _customers(state, customers)
    written = 0
    minutes = 0
    while written < n_lines:
        minutes += rng.randint(1, 10)
        day = START + timedelta(days=minutes // 1440)
        roll = rng.random()
        if roll < planted_rate * 0.7:
            sample = _diversion(state, day)
        elif roll < planted_rate * 0.85:
            sample = _watch(state, day)
        elif roll < planted_rate and (spike := _spike(state, day)) is not None:
            sample = spike
        else:
            sample = _legit(state, day, min(3, n_lines - written))
        lines = sample.order.lines[: n_lines - written]
        if len(lines) < len(sample.order.lines):
            sample = SampleOrder(replace(sample.order, lines=lines), sample.planted)
        written += len(lines)
        yield sample


def write_sample(path: Path, n_lines: int, seed: int = 0, **kw: float | int) -> tuple[int, Path]:
    """Write a sample file and its labels (``<stem>.labels.jsonl``); returns (orders, labels)."""
    from precursor_watch.io.order_writer import OrderFileWriter

    labels = path.with_name(path.stem + ".labels.jsonl")
    count = 0
    with OrderFileWriter(path) as writer, labels.open("w", encoding="utf-8") as out:
        for sample in generate(n_lines, seed, **kw):  # type: ignore[arg-type]
            writer.write(sample.order)
            out.write(json.dumps(sample.label()) + "\n")
            count += 1
    return count, labels
