"""Per-case access: grants, revocations and declared conflicts, audited.

PostgreSQL enforces them (row-level security, migration 0007): a login without a
grant to a case sees none of its rows, and only the case's officer in charge or a
supervisor on it may change who has access. This module records the change and its
audit entry; when the database refuses, the refusal goes in the unit's chain.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from workbench import audit
from workbench.errors import NotFound, WorkbenchError
from workbench.model import Case, CaseAccess, Investigator
from workbench.model.shared import CASE_ROLES
from workbench.shared.users import append_unit_audit, current_login, require_shared
from workbench.store import Store
from workbench.store.queries import find_case


def grant(store: Store, ref: str, login: str, role: str | None = None) -> str:
    """Give ``login`` access to case ``ref`` (default role: their unit role)."""
    def change(session: Session, case: Case) -> str:
        user = _investigator(session, login)
        case_role = role or user.role
        if case_role not in CASE_ROLES:
            raise WorkbenchError(f"role {case_role!r}: choose one of {', '.join(CASE_ROLES)}")
        access = _access(session, case, login)
        if access is not None and access.access == "conflict":
            raise WorkbenchError(f"{login} declared a conflict with {ref}: no grant overrides it")
        if access is None:
            access = CaseAccess(case_id=case.id, login=login, access="grant",
                                by=current_login(session))
            session.add(access)
        access.role = case_role
        session.flush()
        audit.append(session, case, "access granted", {"login": login, "role": case_role})
        return f"{login} ({user.name}) may now open {ref} as {case_role.replace('_', ' ')}"
    return _change_access(store, ref, "grant", login, change)


def revoke(store: Store, ref: str, login: str) -> str:
    def change(session: Session, case: Case) -> str:
        access = _access(session, case, login)
        if access is None or access.access != "grant":
            raise WorkbenchError(f"{login} has no grant to {ref}")
        session.delete(access)
        session.flush()
        audit.append(session, case, "access revoked", {"login": login, "role": access.role})
        return f"{login} may no longer open {ref}"
    return _change_access(store, ref, "revoke", login, change)


def declare_conflict(store: Store, ref: str, login: str) -> str:
    """``login`` must not see the case at all (a colleague of the subject, say)."""
    def change(session: Session, case: Case) -> str:
        _investigator(session, login)
        access = _access(session, case, login)
        if access is None:
            access = CaseAccess(case_id=case.id, login=login, by=current_login(session))
            session.add(access)
        access.access, access.role = "conflict", None
        session.flush()
        audit.append(session, case, "conflict declared", {"login": login})
        return f"{login} is recorded as conflicted with {ref} and cannot open it"
    return _change_access(store, ref, "declare-conflict", login, change)


def _change_access(store: Store, ref: str, action: str, login: str, change) -> str:  # type: ignore[no-untyped-def]
    try:
        with store.session() as session:
            require_shared(session, f"`workbench case {action}`")
            return change(session, find_case(session, ref))
    except (NotFound, DBAPIError) as exc:
        reason = ("the database refused it (only the case's officer in charge or a "
                  "supervisor on the case may change its access)"
                  if isinstance(exc, DBAPIError) else f"no case {ref!r} that you can open")
        record_refusal(store, f"case {action}", {"case": ref, "login": login, "reason": reason})
        raise WorkbenchError(f"case {action} {ref} {login}: refused: {reason}") from None


def record_refusal(store: Store, action: str, details: dict[str, str]) -> None:
    """Put a refused action in the unit's audit chain (in its own transaction)."""
    with store.session() as session:
        if session.get_bind().dialect.name == "postgresql":
            append_unit_audit(session, "refused", {"action": action, **details})


def _investigator(session: Session, login: str) -> Investigator:
    user = session.get(Investigator, login)
    if user is None or not user.active:
        raise WorkbenchError(f"no investigator {login!r} in this store (add them with "
                             "`workbench user add`)")
    return user


def _access(session: Session, case: Case, login: str) -> CaseAccess | None:
    return session.scalars(select(CaseAccess).where(
        CaseAccess.case_id == case.id, CaseAccess.login == login)).first()


def access_list(session: Session, case: Case) -> list[dict[str, str | None]]:
    """Who may open the case (and who is conflicted), as the caller may see it."""
    require_shared(session, "case access")
    rows = session.scalars(select(CaseAccess).where(CaseAccess.case_id == case.id)
                           .order_by(CaseAccess.login))
    return [{"login": a.login, "access": a.access, "role": a.role} for a in rows]
