"""What the Data page and the sidebar say about the stored data: sync health per source, freshness, imports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from core.analytics.freshness import STALE_FACTOR, Freshness, next_scheduled
from core.config import REAL_SOURCES, Settings
from core.records import KINDS
from core.sources import unsupported_sources
from core.sources.files.limits import Limits
from core.store.base import IMPORT_STATE, SyncState
from core.sync import postponed_note
from core.views.format import format_moment, humanize_age

STATUS_COLUMNS = ("source", "configured", "last success", "next sync", "last error", "what to do") + tuple(
    f"{k} rows" for k in KINDS)
NEEDS_A_PERSON = ("AuthExpired", "ConfigError")  # errors the schedule cannot fix by retrying
IMPORTED_ONLY = "no: rows from imports or earlier syncs"  # not set up to sync, yet holding rows


@dataclass(frozen=True)
class HeldRows:
    """One source's rows that were not stored (quarantined) and its warnings, for an expander."""

    title: str
    expanded: bool
    counts: str | None  # "N rows read = ..." when the source counts its rows
    postponed: str | None  # the mirror's deletions waiting for the rows to be fixed
    warnings: tuple[str, ...]
    rows: tuple[Mapping, ...]  # the quarantined rows as stored (row, reason, ...)


@dataclass(frozen=True)
class DataView:
    """Everything the Data page shows about syncs: the table, each error with its fix, the held rows."""

    table: pd.DataFrame
    errors: tuple[str, ...]  # Markdown, one per source with an error: what went wrong and what to do
    unsupported: tuple[str, ...]  # sources configured that this version cannot sync
    schedule: str
    held: tuple[HeldRows, ...]


def data_view(states: list[SyncState], counts: Mapping[tuple[str, str], int], settings: Settings,
              now: datetime) -> DataView:
    """The Data page's sync section for every source's state and the stored counts."""
    interval = settings.sync_interval_h if settings.scheduled else None
    table = source_status(states, counts, settings.active_sources, now, interval)
    return DataView(
        table=table,
        errors=tuple(f"**{row.source}**: {row['last error']}\n\n{row['what to do']}"
                     for _, row in table[table["last error"] != ""].iterrows()),
        unsupported=tuple(f"{name} is configured but this version cannot sync it yet."
                          for name in unsupported_sources(settings)),
        schedule=schedule_text(settings),
        held=tuple(held for held in map(held_rows, states) if held is not None),
    )


MANUAL_SYNC = "press Refresh data in the sidebar or run `make sync` (`python -m core.sync`)"


def schedule_text(settings: Settings) -> str:
    """What will sync the data: the schedule when there is one, else what a person runs (never a promise)."""
    if not settings.scheduled:
        return (f"No scheduled sync on this machine (the embedded store, no [sync] interval_hours): to sync, "
                f"{MANUAL_SYNC}. Store: {settings.store_backend}.")
    return (f"Scheduled sync every {settings.sync_interval_h:g} h ('next sync' per source, if the GitHub Actions "
            f"schedule is enabled; GitHub may start it late); store: {settings.store_backend}.")


def upload_help(limits: Limits) -> str:
    """What the upload box takes: the kinds of file, their types and the size limits from [imports]."""
    return ("Takes Strava's bulk export (the ZIP, its activities/ files joined to activities.csv), activity files "
            "(FIT, GPX, TCX, gzipped or not, one or a ZIP of many), Withings' export (the ZIP or weight.csv, "
            "in English, French, German, Spanish, Italian, Dutch or Portuguese), a training-log CSV with the "
            f"sheet's columns, or this app's own export: {', '.join('.' + t for t in UPLOAD_TYPES)}, up to "
            f"{limits.max_upload_mb:g} MB an upload and {limits.max_csv_mb:g} MB a CSV once unzipped ([imports] "
            "max_upload_mb, max_csv_mb). Several activity files may be chosen at once (with Strava's "
            "activities.csv among them, they are joined to it): an export too large for one upload goes in parts. "
            "Importing the same file twice adds nothing.")


UPLOAD_TYPES = ("zip", "csv", "txt", "tsv", "fit", "gpx", "tcx", "gz")  # exports, CSVs and activity files


def held_rows(state: SyncState) -> HeldRows | None:
    """A source's (or the last import's) quarantined rows and warnings (None when it has neither)."""
    held, warnings = state.details.get("quarantine", []), state.details.get("warnings", [])
    if not held and not warnings:
        return None
    if state.source == IMPORT_STATE:
        count = int(state.details.get("rows_quarantined", len(held)))
        return HeldRows(f"Last import ({state.details.get('file', 'a file')}): {count} rows not stored", bool(held),
                        "Fix them in the file and import it again: the rows already stored are skipped.", None,
                        tuple(warnings), tuple(held))
    counts = None if "rows_read" not in state.details else (
        f"{state.details['rows_read']} rows read = {state.details['rows_stored']} stored + {len(held)} not readable. "
        "Fix them at the source; the next sync picks them up.")
    return HeldRows(f"{state.source}: {len(held)} rows not stored", bool(held), counts, postponed_text(state),
                    tuple(warnings), tuple(held))


def source_status(states: Iterable[SyncState], counts: Mapping[tuple[str, str], int],
                  configured: Iterable[str], now: datetime, interval_h: float | None = None) -> pd.DataFrame:
    """Sync health per source: every real source, plus any other source that has state or data."""
    by_name = {s.source: s for s in states if s.source != IMPORT_STATE}  # imports: a caption of their own
    configured = set(configured)
    names = list(REAL_SOURCES) + sorted((set(by_name) | {src for _, src in counts} | configured)
                                        - set(REAL_SOURCES))
    rows = []
    for name in names:
        state = by_name.get(name)
        imported_only = name not in configured and any(counts.get((k, name)) for k in KINDS)
        rows.append({
            "source": name,
            "configured": "yes" if name in configured else IMPORTED_ONLY if imported_only else "no",
            "last success": _when(state.last_success, now) if state else "never",
            "next sync": next_sync(state, name in configured, now, interval_h),
            "last error": (state.last_error or "") if state else "",
            "what to do": (state.last_error_action or "") if state and state.last_error else "",
            **{f"{k} rows": counts.get((k, name), 0) for k in KINDS},
        })
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)


def _when(moment: datetime | None, now: datetime) -> str:
    return f"{format_moment(moment)} UTC ({humanize_age(now - moment)})" if moment else "never"


def next_sync(state: SyncState | None, configured: bool, now: datetime, interval_h: float | None) -> str:
    """When the schedule will next sync this source: after a rate limit's reset, never without a person's fix."""
    if not configured:
        return "not configured"
    details = state.details if state else {}
    if state and state.last_error and details.get("error_kind") in NEEDS_A_PERSON:
        return "after the fix under 'what to do'"
    if not interval_h:
        return "on Refresh data or `make sync`"
    slot = next_scheduled(now, interval_h)
    retry_at = details.get("retry_at")
    limited = retry_at and datetime.fromisoformat(retry_at) > now
    while limited and slot < datetime.fromisoformat(retry_at):
        slot = next_scheduled(slot, interval_h)
    note = f" (rate limited until {datetime.fromisoformat(retry_at):%H:%M})" if limited else ""
    return f"{slot:%a %H:%M} UTC{note}"


def postponed_text(state: SyncState) -> str | None:
    """The mirror's deletions waiting for quarantined rows, as a sentence (None when none wait)."""
    count = int(state.details.get("postponed_removals", 0))
    return postponed_note(count) if count else None


def freshness_caption(fresh: Freshness) -> str:
    """'synced 5 h ago', 'never synced', or 'imported 5 min ago, synced 3 days ago' when an import is newer."""
    synced = f"synced {humanize_age(fresh.age)}" if fresh.age is not None else "never synced"
    if fresh.imported is not None and (fresh.age is None or fresh.imported < fresh.age):
        return f"imported {humanize_age(fresh.imported)}" + (f", {synced}" if fresh.age is not None else "")
    return synced


def freshness_warning(fresh: Freshness, interval_h: float, scheduled: bool = True) -> str | None:
    """The sidebar's warning when every sync, or one active source's, is too old; None while all is well."""
    limit = f"{STALE_FACTOR * interval_h:g} h"
    if fresh.stale and fresh.last_success is not None and not scheduled:
        return f"The last successful sync is older than {limit}. Nothing syncs on its own here: {MANUAL_SYNC}."
    if fresh.stale and fresh.last_success is not None:
        return (f"The last successful sync is older than {limit}. Likely causes: the scheduled workflow was disabled "
                "(GitHub disables schedules after 60 days without activity) or a source's token expired - see the "
                "Data page.")
    if fresh.lagging:
        return (f"{', '.join(n.capitalize() for n in fresh.lagging)}: no successful sync for more than {limit} "
                "while other sources sync. Likely causes: an expired token or a rate limit - the Data page says what "
                "to do.")
    return None


def last_import_line(states: Iterable[SyncState], now: datetime) -> str | None:
    """When the last file was imported, what it was and what it added (None before any import)."""
    state = next((s for s in states if s.source == IMPORT_STATE), None)
    if not state or not state.last_success:
        return None
    return (f"Last import: {state.details.get('file', 'a file')} ({state.details.get('format', '')}), "
            f"{humanize_age(now - state.last_success)}, {state.counts.get('inserted', 0)} new.")
