"""Everything the case page shows, as one JSON-ready dict (the page and ``/api/cases/{id}``)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from precursor_watch.storage import cases as case_store
from precursor_watch.storage.audit import read_entries


def line_picture(line: dict[str, Any]) -> dict[str, Any] | None:
    """The structure of an order line, identified from its CAS RN or product name."""
    query = (line.get("cas") or line.get("product_name") or "").strip()
    if not query:
        return None
    from precursor_watch import screen_substance

    result = screen_substance(query)
    if result.substance is None:
        return None
    return {
        "line_no": line.get("line_no"),
        "query": query,
        "name": result.substance.name,
        "status": result.status.value,
        "picture": "/api/substances/picture.svg?" + urlencode({"q": query}),
    }


def case_view(session: Session, case_id: int, *, with_pictures: bool = True) -> dict[str, Any]:
    detail = case_store.get_case(session, case_id)
    decision = detail.decision
    order = decision.order_data or {}
    history = read_entries(session, subject=f"case:{case_id}", limit=200)
    order_history = read_entries(session, subject=f"order:{decision.order_id}", limit=50)
    entries = sorted([*history, *order_history], key=lambda e: e.seq)
    structures = []
    if with_pictures:
        for line in order.get("lines") or ():
            drawn = line_picture(line)
            if drawn is not None:
                structures.append(drawn)
    summary = detail.case
    return {
        "case": {
            "id": summary.id,
            "order_id": summary.order_id,
            "decision": summary.machine_outcome,
            "status": summary.status,
            "assignee": summary.assignee,
            "opened_at": summary.opened_at.isoformat(),
            "updated_at": summary.updated_at.isoformat(),
        },
        "decision": {
            "id": decision.id,
            "outcome": decision.outcome,
            "findings": decision.findings,
            "versions": decision.versions,
            "input_hash": decision.input_hash,
            "run_id": decision.run_id,
            "decided_at": decision.decided_at.isoformat(),
        },
        "order": order,
        "structures": structures,
        "comments": [
            {"author": c.author, "body": c.body, "created_at": c.created_at.isoformat()}
            for c in detail.comments
        ],
        "dispositions": [
            {
                "disposition": d.disposition,
                "reason": d.reason,
                "decided_by": d.decided_by,
                "decided_at": d.decided_at.isoformat(),
            }
            for d in detail.dispositions
        ],
        "history": [asdict(e) for e in entries],
    }
