"""One registry: rule id -> evaluation function. Built-in rules register through the same
decorator a user's extension would use; ``check_rule_set`` proves table and code agree."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from precursor_watch.domain.findings import Finding
from precursor_watch.errors import DataError
from precursor_watch.rules.catalog import RuleSet, RuleSpec
from precursor_watch.rules.facts import OrderFacts

RuleFunction = Callable[[RuleSpec, OrderFacts], Iterable[Finding]]

REGISTRY: dict[str, RuleFunction] = {}

# Rules the engine applies itself rather than through a function (the explicit "clear").
ENGINE_RULES = frozenset({"ORD-CLEAR", "ORD-RF-CUMULATIVE"})


def evaluates(rule_id: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register ``fn`` as the evaluation of ``rule_id``."""

    def register(fn: RuleFunction) -> RuleFunction:
        if rule_id in REGISTRY:
            raise DataError(f"rule {rule_id} registered twice")
        REGISTRY[rule_id] = fn
        return fn

    return register


def load_builtin_rules() -> None:
    """Import the modules whose functions register the built-in rules."""
    from precursor_watch.rules import (  # noqa: F401
        history_rules,
        label_rules,
        party_rules,
        red_flag_rules,
        route_rules,
        substance_rules,
    )


def check_rule_set(rule_set: RuleSet) -> None:
    """Every declared rule has a function and every function a declaration."""
    load_builtin_rules()
    declared = set(rule_set.rules) - ENGINE_RULES
    missing = sorted(declared - set(REGISTRY))
    undeclared = sorted(set(REGISTRY) - declared)
    if missing or undeclared:
        raise DataError(
            f"rule set {rule_set.label}: no function for {missing or 'none'}; "
            f"no declaration for {undeclared or 'none'}"
        )


def finding(spec: RuleSpec, facts: OrderFacts, **kw: object) -> Finding:
    """A finding of ``spec`` with its sentence rendered from the evidence ``kw``."""
    del facts
    line = kw.pop("line", None)
    role = kw.pop("party_role", None)
    source = kw.pop("source", None)
    evidence = {k: v for k, v in kw.items()}
    return Finding(
        rule_id=spec.id,
        rule_version=spec.version,
        outcome=spec.outcome,
        sentence=spec.render(line=line, role=role, **evidence),
        evidence=evidence,
        source=source,  # type: ignore[arg-type]
        citation=spec.citation + (f" <{spec.url}>" if spec.url else ""),
        line=line if isinstance(line, int) else None,
        party_role=role if isinstance(role, str) else None,
    )
