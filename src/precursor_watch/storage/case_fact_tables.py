"""What the case queue filters on, as indexed rows written when a case opens.

    case_rules      (rule id, case id): the rules whose findings flagged the case (outcome
                    above clear); the queue's rule filter is one index lookup, exact match
    case_countries  (country, case id): the countries the case's order touches: route origin,
                    transit and destination, and every party's country (one row per country)

Migration ``0005`` creates them and fills them for the cases already open; from then on
``storage.case_index.index_cases`` writes them in the transaction that opens the cases.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from precursor_watch.storage.base import Base
from precursor_watch.storage.list_tables import RowId


class CaseRuleRow(Base):
    __tablename__ = "case_rules"

    rule_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    case_id: Mapped[int] = mapped_column(
        RowId, ForeignKey("cases.id"), primary_key=True, autoincrement=False
    )


class CaseCountryRow(Base):
    __tablename__ = "case_countries"

    country: Mapped[str] = mapped_column(String(100), primary_key=True)
    case_id: Mapped[int] = mapped_column(
        RowId, ForeignKey("cases.id"), primary_key=True, autoincrement=False
    )
