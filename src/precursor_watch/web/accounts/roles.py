"""Roles and the actions each may take: one table, read by the web layer and the docs test.

Roles are ordered; each includes everything the roles before it may do::

    viewer      read everything: screenings already made, cases, knowledge base, lists, audit
    analyst     + screen substances, parties and orders, upload batches, comment on and assign cases
    supervisor  + dispose cases, load sanctions and watch lists
    admin       + manage users and their roles
"""

from __future__ import annotations

from enum import StrEnum

from precursor_watch.errors import InputError


class Role(StrEnum):
    VIEWER = "viewer"
    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    @classmethod
    def parse(cls, value: str) -> Role:
        try:
            return cls(value.strip().lower())
        except ValueError as exc:
            known = ", ".join(r.value for r in cls)
            raise InputError(f"unknown role {value!r} (known: {known})", field="role") from exc


class Action(StrEnum):
    READ = "read"
    SCREEN = "screen"
    COMMENT = "comment"
    ASSIGN = "assign"
    DISPOSE = "dispose"
    LOAD_LISTS = "load_lists"
    MANAGE_USERS = "manage_users"


MINIMUM_ROLE: dict[Action, Role] = {
    Action.READ: Role.VIEWER,
    Action.SCREEN: Role.ANALYST,
    Action.COMMENT: Role.ANALYST,
    Action.ASSIGN: Role.ANALYST,
    Action.DISPOSE: Role.SUPERVISOR,
    Action.LOAD_LISTS: Role.SUPERVISOR,
    Action.MANAGE_USERS: Role.ADMIN,
}


def may(role: Role, action: Action) -> bool:
    """Whether ``role`` may take ``action``."""
    return role.rank >= MINIMUM_ROLE[action].rank
