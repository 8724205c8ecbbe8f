"""Investigators of a shared store: each one a PostgreSQL login role of their own.

The app never holds a shared password: an investigator connects with the unit's own
PostgreSQL authentication (password, certificate or Kerberos) as their own role,
and row-level security decides what that role sees. On a SQLite store there is one
local investigator, the workstation's user, and these commands say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from workbench import audit, investigator
from workbench.errors import WorkbenchError
from workbench.model import Case, Investigator
from workbench.model.shared import UNIT_ROLES
from workbench.store import queries

# Unit-wide actions (users, watchlists, refusals) have a chain of their own.
UNIT_CHAIN = "~unit"
LOGIN_PATTERN = re.compile(r"[a-z_][a-z0-9_]{0,62}")
GROUP_ROLE = {"reviewer": "wb_reader"}  # every other unit role is wb_staff
NEEDS_SHARED = ("needs a shared PostgreSQL store (--db postgresql+psycopg://HOST/DB or "
                "WORKBENCH_DB); on this workstation's store the one investigator is {user}")


@dataclass(frozen=True)
class UserInfo:
    login: str
    name: str
    role: str
    active: bool

    def as_dict(self) -> dict[str, Any]:
        return {"login": self.login, "name": self.name, "role": self.role, "active": self.active}


def is_shared(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def require_shared(session: Session, what: str) -> None:
    if not is_shared(session):
        raise WorkbenchError(f"{what} " + NEEDS_SHARED.format(user=investigator.current()))


def current_login(session: Session) -> str:
    """Who is connected: the database login on PostgreSQL, else the workstation user."""
    if is_shared(session):
        return str(session.execute(text("SELECT session_user")).scalar_one())
    return investigator.os_account()


def display_name_for(session: Session, login: str) -> str:
    """``DS 4120 Jane Brown`` for a login on the shared store (the login when unknown).

    The one place the app turns a login into the name it shows; what writes record
    is :func:`workbench.investigator.current_for`.
    """
    if not is_shared(session):
        return login
    name = session.scalar(select(Investigator.name).where(Investigator.login == login))
    return name or login


def append_unit_audit(session: Session, action: str, details: dict[str, Any]) -> None:
    """Append to the unit's own chain (no case row: ``audit verify`` checks it all the same)."""
    chain = SimpleNamespace(ref=UNIT_CHAIN, id=None, audit_head=None)
    audit.append(session, cast(Case, chain), action, details)


def check_login(login: str) -> str:
    if not LOGIN_PATTERN.fullmatch(login):
        raise WorkbenchError(f"login {login!r}: use lower-case letters, digits and _ "
                             "(a PostgreSQL role name), at most 63 characters")
    return login


def add_user(session: Session, login: str, name: str, role: str) -> UserInfo:
    """Create (or update) an investigator and their login role; run by the unit's administrator.

    The role is made without a password: the unit's PostgreSQL authentication
    (pg_hba.conf: scram password set by the investigator, certificate or Kerberos)
    says how it logs in.
    """
    require_shared(session, "`workbench user add`")
    check_login(login)
    if role not in UNIT_ROLES:
        raise WorkbenchError(f"role {role!r}: choose one of {', '.join(UNIT_ROLES)}")
    if not name.strip():
        raise WorkbenchError("give the investigator's name as recorded, e.g. \"DS 4120 Jane Brown\"")
    exists = session.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :login"), {"login": login})
    if not exists:
        session.execute(text(f'CREATE ROLE "{login}" LOGIN'))
    group = GROUP_ROLE.get(role, "wb_staff")
    other = "wb_staff" if group == "wb_reader" else "wb_reader"
    session.execute(text(f'GRANT {group} TO "{login}"'))
    session.execute(text(f'REVOKE {other} FROM "{login}"'))
    user = session.get(Investigator, login)
    if user is None:
        user = Investigator(login=login, name=name.strip(), role=role,
                            added_by=current_login(session))
        session.add(user)
    else:
        user.name, user.role, user.active = name.strip(), role, True
    investigator.forget_name(session)  # the next entry in this session names them anew
    append_unit_audit(session, "investigator added", {"login": login, "name": user.name,
                                                       "role": role, "new_role": not exists})
    return UserInfo(login, user.name, role, True)


def list_users(session: Session) -> list[UserInfo]:
    require_shared(session, "`workbench user list`")
    return [UserInfo(u.login, u.name, u.role, u.active)
            for u in session.scalars(select(Investigator).order_by(Investigator.login))]


@queries.when_refused
def record_hidden_case(session: Session, ref: str) -> None:
    """When ``ref`` names a case the caller may not open, put the refusal in the unit's chain.

    In a transaction of its own: the caller's is about to fail. The caller still says
    only "no case", so a conflicted investigator learns nothing about it.
    """
    if not is_shared(session):
        return
    if not session.scalar(text("SELECT wb_case_hidden(:ref)"), {"ref": ref}):
        return
    login = current_login(session)
    with Session(session.get_bind().engine) as own, own.begin():
        append_unit_audit(own, "refused", {"action": "open case", "case": ref, "login": login})
