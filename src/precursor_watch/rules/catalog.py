"""Order rules as data: ``order_rules.csv`` declares each rule; the registry holds its code.

Columns of ``order_rules.csv``:

``id``          stable rule id (``ORD-...``), the key of the evaluation function in the registry
``version``     the rule's own version; bump it when its logic or parameters change
``outcome``     what the rule concludes when it fires: ``block``, ``hold``, ``review`` or ``clear``
                (``clear`` findings are explanations that never raise the decision)
``title``       a short name
``citation``    the legal text or guidance the rule rests on
``url``         where the citation can be read
``sentence``    the sentence shown to the user, a ``str.format`` template over the evidence
``params``      tool parameters as ``name=value;...``: tool defaults, not legal values, unless
                the citation says otherwise
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from precursor_watch.domain.outcomes import OrderOutcome
from precursor_watch.errors import DataError

RULE_SET_NAME = "precursor-watch-orders"
RULE_COLUMNS = ("id", "version", "outcome", "title", "citation", "url", "sentence", "params")


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One declared rule."""

    id: str
    version: str
    outcome: OrderOutcome
    title: str
    citation: str
    url: str
    sentence: str
    params: dict[str, str] = field(default_factory=dict)

    def param(self, name: str) -> float:
        try:
            return float(self.params[name])
        except (KeyError, ValueError) as exc:
            raise DataError(f"rule {self.id}: parameter {name!r} missing or not a number") from exc

    def text_param(self, name: str) -> str:
        return self.params.get(name, "")

    def render(self, **evidence: Any) -> str:
        """The user-facing sentence for this evidence."""
        try:
            return self.sentence.format(**evidence)
        except (KeyError, IndexError, ValueError) as exc:
            raise DataError(f"rule {self.id}: sentence template needs {exc}") from exc


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The named, versioned set of rules every Decision records (``name@version``)."""

    name: str
    version: str
    rules: dict[str, RuleSpec]

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def __getitem__(self, rule_id: str) -> RuleSpec:
        return self.rules[rule_id]


def _parse_params(text: str, rule_id: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, sep, value = part.partition("=")
        if not sep:
            raise DataError(f"rule {rule_id}: parameter {part!r} is not name=value")
        params[name.strip()] = value.strip()
    return params


def parse_rule_set(text: str, source: str) -> RuleSet:
    """Parse the rules table; the rule-set version is the content's sha256 prefix plus the
    highest rule version, so any edit to the table changes the recorded version."""
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != RULE_COLUMNS:
        raise DataError(f"{source}: columns must be {', '.join(RULE_COLUMNS)}")
    rules: dict[str, RuleSpec] = {}
    for line, row in enumerate(reader, start=2):
        rule_id = row["id"].strip()
        if rule_id in rules:
            raise DataError(f"{source} line {line}: duplicate rule id {rule_id}")
        try:
            outcome = OrderOutcome(row["outcome"].strip())
        except ValueError as exc:
            raise DataError(f"{source} line {line}: bad outcome {row['outcome']!r}") from exc
        for col in ("version", "title", "citation", "sentence"):
            if not row[col].strip():
                raise DataError(f"{source} line {line}: rule {rule_id} has no {col}")
        rules[rule_id] = RuleSpec(
            id=rule_id,
            version=row["version"].strip(),
            outcome=outcome,
            title=row["title"].strip(),
            citation=row["citation"].strip(),
            url=row["url"].strip(),
            sentence=row["sentence"].strip(),
            params=_parse_params(row["params"], rule_id),
        )
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return RuleSet(RULE_SET_NAME, digest, rules)


def load_rule_set(path: Path | None = None) -> RuleSet:
    """The bundled rule table, or a user's copy of it at ``path``."""
    if path is not None:
        return parse_rule_set(path.read_text(encoding="utf-8"), str(path))
    text = resources.files("precursor_watch.rules").joinpath("order_rules.csv").read_text("utf-8")
    return parse_rule_set(text, "order_rules.csv")
