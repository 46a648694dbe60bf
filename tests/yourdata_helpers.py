"""Shared by the manual entry, edit and crash tests: every backend, real sources faked at HTTP, the actors."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import responses

from core.sources.strava import StravaSource
from core.sources.strava.client import StravaClient
from core.sources.withings import WithingsSource
from core.sources.withings.client import API, WithingsClient
from core.sync import SyncReport, run_sync
from core.yourdata import Actor
from tests.builders import EDIT_NOW as NOW
from tests.fixtures.provider_fakes import STRAVA_LIST, FakeStravaList, strava_activity

PARIS = "Europe/Paris"  # UTC+1 until 29 March 2026
ADMIN, VIEWER = Actor("ann", "admin"), Actor("vic", "viewer")


def clock() -> datetime:
    return NOW


def with_tokens(store):
    """Valid tokens for both providers, so their sources sync without a refresh."""
    for source in ("strava", "withings"):
        if store.get_token(source) is None:
            store.put_token(source, {"access_token": "a", "refresh_token": "r",
                                     "expires_at": (NOW + timedelta(hours=5)).timestamp()})
    return store


def run_item(i: int, start: datetime, **changes) -> dict:
    """A Strava summary activity (the documented shape) with id 1000 + i starting at `start` (UTC)."""
    return {**strava_activity(i, start=start), **changes}


def strava_sync(store, activities: list[dict], now=clock, owner: str | None = None) -> SyncReport:
    """A real Strava sync (stravalib through `responses`) of these activities."""
    with_tokens(store)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.GET, STRAVA_LIST, callback=FakeStravaList(activities))
        return run_sync(store, [StravaSource(StravaClient("1234", "secret", store, now, sleep=lambda s: None))],
                        now=now, owner=owner)


def weigh_group(when: datetime, grams: int, fat_ratio_permille: int | None = None, grpid: int = 1) -> dict:
    """A Withings measure group (the documented shape): weight in grams, fat ratio in tenths of a percent."""
    stamp = int(when.timestamp())
    measures = [{"value": grams, "type": 1, "unit": -3, "algo": 0, "fm": 3}]
    if fat_ratio_permille is not None:
        measures.append({"value": fat_ratio_permille, "type": 6, "unit": -1, "algo": 0, "fm": 3})
    return {"grpid": grpid, "attrib": 0, "date": stamp, "created": stamp + 60, "modified": stamp + 60, "category": 1,
            "deviceid": "a1b2", "hash_deviceid": "a1b2", "model": "Body Cardio", "modelid": 6, "measures": measures}


def withings_sync(store, groups: list[dict], now=clock) -> SyncReport:
    """A real Withings sync (its own client through `responses`) of these measure groups, in Paris."""
    with_tokens(store)
    body = {"updatetime": int(NOW.timestamp()), "timezone": PARIS, "measuregrps": groups, "more": 0, "offset": 0}
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, f"{API}/measure", json={"status": 0, "body": body})
        source = WithingsSource(WithingsClient("cid", "csecret", store, now, sleep=lambda s: None))
        return run_sync(store, [source], now=now)


def withings_csv(*rows: str) -> bytes:
    """Withings' weight.csv (English) with these data rows."""
    return ("Date,Weight (kg),Fat mass (kg),Bone mass (kg),Muscle mass (kg),Hydration (kg),Comments\n"
            + "\n".join(rows) + "\n").encode()


def visible(store, kind) -> list[str]:
    """Keys a read shows, in time order."""
    return store.read(kind).key.tolist()


def dumps(value) -> str:
    return json.dumps(value, sort_keys=True)
