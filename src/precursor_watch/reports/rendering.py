"""The Jinja2 environment of every report: package templates, autoescape always on."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("precursor_watch.reports", "templates"),
        autoescape=True,  # every template, whatever its suffix: input text is never trusted
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["thousands"] = lambda n: f"{int(n):,}"
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
