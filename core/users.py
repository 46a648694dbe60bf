"""Manage dashboard logins without editing hashes by hand.

    python -m core.users add NAME [--role admin|viewer] [--display-name "Full Name"]
    python -m core.users remove NAME
    python -m core.users list
    python -m core.users env        # the same users as FITDASH_* lines for Heroku config vars
    python -m core.users lockouts [--clear [KEY ...]]   # the login counters in the store (core/login.py)

Users live in `.streamlit/secrets.toml` under [auth.users.NAME] (bcrypt hash + role); the first
`add` also generates [auth] cookie_key. The file keeps its comments (tomlkit) and is written readable by
its owner only (0600). The password is read from the terminal (twice) or, with --password-stdin, from
standard input; it is never printed.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import secrets
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import bcrypt
import jwt
import tomlkit

from core.config import ROLES, SECRETS_PATH, load_settings
from core.console import failed
from core.errors import BadInput, FitDashError
from core.private_files import write_private_file

log = logging.getLogger(__name__)

MIN_PASSWORD_LEN = 8
BCRYPT_MAX_BYTES = 72  # bcrypt ignores (bcrypt 5: refuses) anything longer
BCRYPT_ROUNDS = 12  # the cost streamlit-authenticator uses


def hash_password(password: str) -> str:
    """A bcrypt hash of a password, after checking it is usable."""
    password = password.strip()  # streamlit-authenticator strips what is typed at login
    if len(password) < MIN_PASSWORD_LEN:
        raise BadInput("password", f"must have at least {MIN_PASSWORD_LEN} characters")
    if len(password.encode()) > BCRYPT_MAX_BYTES:
        raise BadInput("password", f"must be at most {BCRYPT_MAX_BYTES} bytes (a bcrypt limit)")
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(BCRYPT_ROUNDS)).decode()


def remember_me_token(username: str, cookie_key: str, expires: float) -> str:
    """The remember-me cookie for a user: an HS256 JWT of `{"username", "exp_date"}` (a Unix time).

    The same cookie streamlit-authenticator 0.4.2 wrote, so logins remembered before still work.
    """
    return jwt.encode({"username": username, "exp_date": expires}, cookie_key, algorithm="HS256")


def remembered_username(token: object, cookie_key: str, usernames: Iterable[str], now: float) -> str | None:
    """The user a remember-me cookie names, or None when it is not a valid, unexpired cookie for a known user.

    Only HS256 signed with [auth] cookie_key is accepted. A forged, expired or garbled cookie, or one naming a
    removed user, simply means the login form is shown; the reason is logged, never the cookie itself.
    """
    if not isinstance(token, str) or not token:
        return None
    try:
        claims = jwt.decode(token, cookie_key, algorithms=["HS256"])
    except jwt.PyJWTError as exc:  # the class only: messages can quote parts of the token
        log.warning("remember-me cookie refused: %s", type(exc).__name__)
        return None
    username, expires = claims.get("username"), claims.get("exp_date")
    if not isinstance(username, str) or isinstance(expires, bool) or not isinstance(expires, int | float):
        log.warning("remember-me cookie refused: no username or expiry in it")
        return None
    if not expires > now:  # also refuses NaN
        log.warning("remember-me cookie refused: expired")
        return None
    if username not in set(usernames):
        log.warning("remember-me cookie refused: it names a user who is not configured")
        return None
    return username


def load_document(path: Path) -> tomlkit.TOMLDocument:
    """The secrets file as an editable document (empty when it does not exist)."""
    return tomlkit.parse(path.read_text()) if path.exists() else tomlkit.document()


def add_user(doc: tomlkit.TOMLDocument, username: str, password_hash: str, role: str, name: str) -> None:
    """Create or replace a user; make sure a cookie key exists."""
    if role not in ROLES:
        raise BadInput("role", f"must be one of {', '.join(ROLES)}")
    auth = doc.setdefault("auth", tomlkit.table())
    if not auth.get("cookie_key"):
        auth["cookie_key"] = secrets.token_hex(32)
    users = auth.setdefault("users", tomlkit.table(is_super_table=True))
    users[username.lower()] = {"name": name, "password": password_hash, "role": role}


def remove_user(doc: tomlkit.TOMLDocument, username: str) -> bool:
    """Remove a user; False if there was none of that name."""
    users = doc.get("auth", {}).get("users", {})
    if username.lower() not in users:
        return False
    del users[username.lower()]
    return True


def env_lines(doc: tomlkit.TOMLDocument) -> list[str]:
    """FITDASH_AUTH_* lines carrying the same logins (for hosts configured by environment)."""
    auth = doc.get("auth", {})
    users = json.dumps({k: dict(v) for k, v in auth.get("users", {}).items()}, separators=(",", ":"))
    return [f"FITDASH_AUTH_USERS='{users}'", f"FITDASH_AUTH_COOKIE_KEY={auth.get('cookie_key', '')}"]


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat password: "):
        raise BadInput("password", "the two entries differ")
    return first


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core.users", description="Manage dashboard logins.")
    parser.add_argument("--secrets", type=Path, default=SECRETS_PATH, help="secrets file to edit")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="create or update a user")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, default="admin")
    add.add_argument("--display-name", default=None)
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    sub.add_parser("remove", help="delete a user").add_argument("username")
    sub.add_parser("list", help="list users and roles")
    sub.add_parser("env", help="print the users as FITDASH_* environment lines")
    lockouts = sub.add_parser("lockouts", help="show the login counters in the store (with --clear: delete them)")
    lockouts.add_argument("--clear", nargs="*", metavar="KEY", default=None,
                          help="delete these counters (a bare name means user:NAME), or every one when none is named")
    return parser


def _edit(doc: tomlkit.TOMLDocument, args: argparse.Namespace) -> int:
    try:
        if args.command == "add":
            hashed = hash_password(_read_password(args.password_stdin))
            add_user(doc, args.username, hashed, args.role, args.display_name or args.username)
        elif not remove_user(doc, args.username):
            print(f"no user named {args.username!r}")
            return 1
    except BadInput as exc:
        print(f"error: {exc}")
        return 2
    write_private_file(args.secrets, tomlkit.dumps(doc))
    print(f"{args.command}: {args.username.lower()} - saved to {args.secrets} (mode 0600; restart the app to apply)")
    return 0


def _lockouts(args: argparse.Namespace) -> int:
    from core.login import clear_lockouts, lockout_lines  # the store (boto3 when hosted) only for this command
    from core.store import open_store

    try:
        store = open_store(load_settings(os.environ, args.secrets))
    except FitDashError as exc:
        return failed(exc)
    if args.clear is not None:
        print(f"cleared {clear_lockouts(store, args.clear)} login counter(s)")
        return 0
    print("\n".join(lockout_lines(store.login_counters(), time.time())))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    args = _parser().parse_args(argv)
    if args.command == "lockouts":
        return _lockouts(args)
    doc = load_document(args.secrets)
    if args.command in ("add", "remove"):
        return _edit(doc, args)
    if args.command == "env":
        print("\n".join(env_lines(doc)))
        return 0
    print("\n".join(user_lines(doc, args.secrets)))
    return 0


def user_lines(doc: tomlkit.TOMLDocument, secrets: Path) -> list[str]:
    """'name<TAB>role' per user, or a sentence saying there are none and how to add one."""
    users = doc.get("auth", {}).get("users", {}).items()
    if not users:
        return [f"No users in {secrets}: only the demo login (demo / demo) works, and only while the store holds "
                "demo data. Add one: python -m core.users add NAME --role admin"]
    return [f"{name}\t{user.get('role', 'viewer')}" for name, user in users]


if __name__ == "__main__":
    sys.exit(main())
