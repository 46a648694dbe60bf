"""First-time authorisation of a source: `python -m core.authorize strava|withings`.

Prints the page to open, takes the URL the browser was sent back to (or just its `code`), exchanges it
and stores the tokens in the configured store (never printed). Withings allows no localhost redirect
and its code lives 30 seconds: configure [withings] redirect_uri to any page you own, and paste quickly.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from collections.abc import Callable
from urllib.parse import parse_qs, urlencode, urlparse

from core.clock import utc_now
from core.config import load_settings
from core.console import failed
from core.errors import BadInput, FitDashError
from core.sources.strava.client import StravaClient
from core.sources.withings.client import AUTHORIZE_URL, WithingsClient
from core.store import open_store

STRAVA_REDIRECT = "http://localhost/exchange_token"  # Strava accepts localhost; the page need not load


def code_from(pasted: str, state: str) -> tuple[str, dict]:
    """The code from a pasted redirect URL (checking its state) or a bare code, and the URL's parameters."""
    text = pasted.strip()
    if "://" not in text:
        if not text:
            raise BadInput("the pasted text", "it is empty")
        return text, {}
    params = {k: v[0] for k, v in parse_qs(urlparse(text).query).items()}
    if "error" in params:
        raise BadInput("the redirect", f"the provider said {params['error']!r} (access not granted)")
    if params.get("state") not in (None, state):
        raise BadInput("the redirect", "its state does not match this session", action="Start again.")
    if "code" not in params:
        raise BadInput("the redirect", "it has no code parameter", action="Paste the whole address.")
    return params["code"], params


def authorise(source: str, read: Callable[[str], str], write: Callable[[str], None]) -> int:
    """Run the flow for one source; 0 when tokens were stored."""
    settings = load_settings(os.environ)
    section, store, state = settings.section(source), open_store(settings), secrets.token_urlsafe(16)
    if not section.get("client_id") or not section.get("client_secret"):
        raise BadInput(f"[{source}]", "client_id and client_secret are not configured",
                       action=f"Create an API app and set FITDASH_{source.upper()}_CLIENT_ID / _SECRET.")
    if source == "strava":
        client = StravaClient(str(section["client_id"]), str(section["client_secret"]), store, utc_now)
        redirect = str(section.get("redirect_uri", STRAVA_REDIRECT))
        url = client.authorise_url(redirect, state)
        write(f"Open this page, allow access, then paste the address you land on:\n{url}")
        code, params = code_from(read("Redirect URL or code: "), state)
        if params and "activity:read_all" not in params.get("scope", ""):
            write("Warning: 'View data about your private activities' was not ticked: private runs will be missing.")
        token = client.exchange_code(code)
    else:
        redirect = section.get("redirect_uri")
        if not redirect:
            raise BadInput("[withings] redirect_uri", "is not configured (Withings refuses localhost)",
                           action="Set it to the callback URL registered in your Withings developer app.")
        client = WithingsClient(str(section["client_id"]), str(section["client_secret"]), store, utc_now)
        query = urlencode({"response_type": "code", "client_id": section["client_id"], "scope": "user.metrics",
                           "redirect_uri": redirect, "state": state})
        write(f"Open this page, allow access, then paste the address you land on within 30 seconds:\n"
              f"{AUTHORIZE_URL}?{query}")
        code, _ = code_from(read("Redirect URL or code: "), state)
        token = client.exchange_code(code, str(redirect))
    store.put_token(source, token)
    write(f"{source} authorised: tokens stored in the {settings.store_backend} store. Run `python -m core.sync`.")
    return 0


def main(argv: list[str] | None = None, read: Callable[[str], str] = input,
         write: Callable[[str], None] = print) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m core.authorize", description="Authorise a data source.")
    parser.add_argument("source", choices=["strava", "withings"])
    args = parser.parse_args(argv)
    try:
        return authorise(args.source, read, write)
    except FitDashError as exc:
        return failed(exc, write)


if __name__ == "__main__":
    sys.exit(main())
