"""Who is acting, and what their role allows: checked by every core function that writes, whatever a page showed.

An admin may enter, edit, delete and restore records; a viewer may read everything (history included) and change
only their own preferences. The role comes from the login (core/config.py ROLES); anything else is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.config import ROLES
from core.errors import NotAllowed

ADMIN = "admin"


@dataclass(frozen=True)
class Actor:
    """The logged-in person doing something: their username and role."""

    username: str
    role: str


def require_admin(actor: Actor, doing: str) -> None:
    """NotAllowed unless the actor is an admin (a viewer, an unknown role or no username)."""
    if not actor.username or actor.role not in ROLES:
        raise NotAllowed(f"cannot {doing}: nobody with a known role is logged in")
    if actor.role != ADMIN:
        raise NotAllowed(f"{actor.username} is a {actor.role}: only an admin may {doing}")


def require_self(actor: Actor, username: str, doing: str) -> None:
    """NotAllowed unless the actor is logged in and acts on their own document (admins included)."""
    if not actor.username or actor.role not in ROLES:
        raise NotAllowed(f"cannot {doing}: nobody with a known role is logged in")
    if actor.username != username:
        raise NotAllowed(f"{actor.username} cannot {doing} of {username}: each person changes only their own")
