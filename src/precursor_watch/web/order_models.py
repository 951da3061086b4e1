"""The JSON shape of one order for ``POST /api/orders/screen`` (that of ``Order.to_json()``),
as pydantic models so the OpenAPI document describes it and bad fields are named."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

Role = Literal["seller", "buyer", "consignee", "notify", "forwarder", "payer"]


class IdentifierIn(BaseModel):
    kind: str = Field(max_length=60, description="e.g. registration, tax, email, website")
    value: str = Field(min_length=1, max_length=300)
    country: str | None = Field(default=None, max_length=2)


class PartyIn(BaseModel):
    role: Role
    name: str = Field(min_length=1, max_length=500)
    country: str | None = Field(default=None, min_length=2, max_length=2)
    address: str | None = Field(default=None, max_length=1000)
    identifiers: list[IdentifierIn] = Field(default_factory=list, max_length=50)
    contacts: list[str] = Field(default_factory=list, max_length=50)
    business: str | None = Field(default=None, max_length=500)
    customer_id: str | None = Field(default=None, max_length=200)
    is_new_customer: bool | None = None
    entity_type: Literal["person", "organization"] | None = None


class RouteIn(BaseModel):
    origin: str | None = Field(default=None, min_length=2, max_length=2)
    transit: list[str] = Field(default_factory=list, max_length=20)
    destination: str | None = Field(default=None, min_length=2, max_length=2)
    port_of_exit: str | None = Field(default=None, max_length=200)


class PaymentIn(BaseModel):
    method: str | None = Field(default=None, max_length=200)
    payer: str | None = Field(default=None, max_length=500)
    currency: str | None = Field(default=None, max_length=8)
    amount: float | None = Field(default=None, ge=0, allow_inf_nan=False)


class ShippingIn(BaseModel):
    urgent: bool = False
    labelling: str | None = Field(default=None, max_length=1000)
    mode: str | None = Field(default=None, max_length=60)


class LineIn(BaseModel):
    line_no: int | None = Field(default=None, ge=1, le=1_000_000)
    product_name: str = Field(min_length=1, max_length=500)
    description: str | None = Field(default=None, max_length=2000)
    cas: str | None = Field(default=None, max_length=40)
    hs_code: str | None = Field(default=None, max_length=20)
    quantity: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    unit: str | None = Field(default=None, max_length=10)
    concentration: float | None = Field(default=None, ge=0, le=100, allow_inf_nan=False)
    packaging: str | None = Field(default=None, max_length=200)
    unit_price: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    currency: str | None = Field(default=None, max_length=8)


class OrderIn(BaseModel):
    order_id: str = Field(min_length=1, max_length=200)
    kind: Literal["order", "declaration"] = "order"
    date: dt.date | None = None
    parties: list[PartyIn] = Field(default_factory=list, max_length=6)
    route: RouteIn = Field(default_factory=RouteIn)
    payment: PaymentIn = Field(default_factory=PaymentIn)
    end_use: str | None = Field(default=None, max_length=1000)
    shipping: ShippingIn = Field(default_factory=ShippingIn)
    authorisations: list[str] = Field(default_factory=list, max_length=20)
    lines: list[LineIn] = Field(min_length=1, max_length=500)
