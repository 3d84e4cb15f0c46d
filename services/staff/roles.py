"""Roles and their powers: the single table every back-office event and internal route checks.

This module is the table alone (no sessions, no database): `services.staff.access` is the gate that
joins it to the signed-in staff member.
"""

from __future__ import annotations

from services.models import StaffRole

ADMIN, MANAGER, BOX_OFFICE, SUPPORT = StaffRole.ADMIN, StaffRole.MANAGER, StaffRole.BOX_OFFICE, StaffRole.SUPPORT
EVERYONE = frozenset(StaffRole)

PERMISSIONS: dict[str, frozenset[StaffRole]] = {
    # Looking things up and helping customers: every role.
    "orders.search": EVERYONE,
    "orders.view": EVERYONE,
    "customers.view": EVERYONE,
    "customers.notes": EVERYONE,
    "orders.resend": EVERYONE,
    "orders.correct_email": EVERYONE,
    "orders.recheck_payment": EVERYONE,
    # Money: support sees no prices and refunds nothing.
    "prices.view": frozenset({ADMIN, MANAGER, BOX_OFFICE}),
    "orders.refund": frozenset({ADMIN, MANAGER, BOX_OFFICE}),
    "tickets.void": frozenset({ADMIN, BOX_OFFICE}),
    # Shows, their tiers and secret links: the people who run the programme.
    "shows.view": frozenset({ADMIN, MANAGER, BOX_OFFICE}),
    "shows.edit": frozenset({ADMIN, MANAGER}),
    "links.manage": frozenset({ADMIN, MANAGER}),
    "reports.view": frozenset({ADMIN, MANAGER}),
    # Gift cards: everyone sees a card's state and can resend it or fix the recipient's address; the full
    # code (which spends the money) only the roles that sell and run the box office; money changes only
    # managers and admins.
    "giftcards.view": EVERYONE,
    "giftcards.codes": frozenset({ADMIN, MANAGER, BOX_OFFICE}),
    "giftcards.resend": EVERYONE,
    "giftcards.change_recipient": EVERYONE,
    "giftcards.adjust": frozenset({ADMIN, MANAGER}),
    "giftcards.void": frozenset({ADMIN, MANAGER}),
    "giftcards.extend": frozenset({ADMIN, MANAGER}),
    # Accounts: admin only.
    "staff.manage": frozenset({ADMIN}),
}

ROLE_LABELS = {ADMIN: "Admin", MANAGER: "Manager", BOX_OFFICE: "Box office", SUPPORT: "Support"}


def can(role: StaffRole | str | None, permission: str) -> bool:
    """Whether a role holds a permission; unknown permissions are refused, never assumed."""
    if role is None:
        return False
    return StaffRole(role) in PERMISSIONS.get(permission, frozenset())


def powers(role: StaffRole | str) -> list[str]:
    """Every permission of a role, for the UI to decide what to show (the server still checks)."""
    return sorted(name for name in PERMISSIONS if can(role, name))
