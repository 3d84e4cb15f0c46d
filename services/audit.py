"""The audit log: one call records who did what to which thing, inside the caller's transaction."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from services.models import AuditEntry


def record(
    session: Session,
    *,
    actor_type: str,
    action: str,
    entity_type: str,
    entity_id: int | str,
    actor_id: int | str = "",
    **detail: Any,
) -> AuditEntry:
    entry = AuditEntry(
        actor_type=actor_type,
        actor_id=str(actor_id),
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        detail=json.dumps(detail, ensure_ascii=False, default=str),
    )
    session.add(entry)
    return entry
