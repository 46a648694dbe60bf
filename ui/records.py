"""The person's own records in their hands: manual entry on the Data page (`entry_forms`), and on each page that
shows records an expander (`manage`) to correct or remove one (with its history: who, when, the previous value)
and restore a deleted one.

Everyone sees the records and their history; every write goes through core/yourdata, which refuses a viewer
(NotAllowed), a Google Sheet record (ReadOnlySource: change it in the sheet) and a save made on values another tab
changed since (EditConflict), whatever the page drew.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.errors import BadInput, ReadOnlySource
from core.records import BODY, RUN, SET
from core.store.ledger import read_ledgers
from core.units import Units
from core.views.records import (
    KIND_TITLES,
    FormField,
    changes_of,
    form_fields,
    history_table,
    provenance_lines,
    record_choices,
)
from core.yourdata import Provenance, delete_record, edit_record, record_history, restore_record
from ui import conflicts, context, gate, prefs, views, widgets
from ui.entry import FORMS, attempt, show_saved

VIEWER_NOTE = "You can read every record and its history; only an admin can add, correct or remove one."


def entry_forms(units: Units) -> None:
    """The Data page's manual entry: a weigh-in, a run or training sets the sources do not have."""
    st.subheader("Add a record")
    st.caption("For a day the scale was away or a run without the watch: stored as `manual`, with the key a later "
               "sync or import of the same item gets, so it is never counted twice. Correct or remove records on "
               "the page that shows them.")
    disabled = _viewer_note()
    show_saved()
    for tab, kind in zip(st.tabs(["Weigh-in", "Run", "Training sets"]), (BODY, RUN, SET), strict=True):
        with tab:
            FORMS[kind](units, disabled)
    conflicts.render(disabled)


def manage(kind: str, frame: pd.DataFrame, units: Units) -> None:
    """A page's switch to correct or remove a shown record (with its history), or restore a deleted one. Off, it
    draws and reads nothing more (an expander would build its forms and read the record's history at every rerun)."""
    if st.toggle(f"Correct or remove {KIND_TITLES[kind]}", key=f"manage_{kind}"):
        disabled = _viewer_note()
        show_saved()
        fix, gone = st.tabs(["Correct or remove", "Deleted"])
        with fix:
            correct(kind, frame, units, disabled)
        with gone:
            deleted(kind, disabled)


def _viewer_note() -> bool:
    """True (and says so) when the logged-in person may not write: the forms are drawn disabled, only a
    convenience, since the core refuses a viewer's write whatever the browser sends."""
    if gate.is_admin():
        return False
    st.caption(VIEWER_NOTE)
    return True


def correct(kind: str, frame: pd.DataFrame, units: Units, disabled: bool) -> None:
    """Pick a shown record: its source and history, and a form to change its values or delete it."""
    choices = views.cached(record_choices, (frame,), kind=kind, units=units) if not frame.empty else {}
    if not choices:
        st.write(f"No {KIND_TITLES[kind]} stored.")
        return
    key = st.selectbox("Record (newest first)", list(choices), format_func=choices.get, key=f"edit_{kind}_pick")
    try:
        p = record_history(context.store(), kind, key)
    except BadInput as exc:  # removed at its source since this page's data was read
        st.info(f"{exc}\n\n{exc.action}")
        return
    for line in provenance_lines(p):
        st.caption(line)
    if p.read_only:
        st.info(f"This record is {p.read_only}. {ReadOnlySource.action}")
    else:
        _edit_form(kind, key, p, units, disabled)
    if p.history:
        widgets.table(history_table(p))
    else:
        st.caption("Not changed here yet.")


def _edit_form(kind: str, key: str, p: Provenance, units: Units, disabled: bool) -> None:
    """The record's editable fields and Save / Delete. Both pass the ledger version the form was first drawn from
    in this session (its values stay as typed across reruns), so a change saved meanwhile by another tab or person
    is not overwritten: EditConflict, reload."""
    drawn = f"_edit_version_{kind}_{key}"
    version = st.session_state.setdefault(drawn, p.version)
    fields = form_fields(kind, p.shown or {}, units)

    def write(change, message: str) -> None:
        def save():
            result = change(expected_version=version)
            st.session_state.pop(drawn, None)  # the next run draws the saved values' version
            return result
        attempt(save, message)

    with st.form(f"edit_{kind}_form"):
        typed = {f.name: _input(f, f"edit_{kind}_{key}_{f.name}") for f in fields}
        save, remove = st.columns(2)
        if save.form_submit_button("Save changes", type="primary", disabled=disabled):
            write(lambda **v: edit_record(context.store(), prefs.actor(), kind, key, changes_of(fields, typed, units),
                                          now=context.now, **v), "Saved.")
        if remove.form_submit_button("Delete this record", disabled=disabled):
            write(lambda **v: delete_record(context.store(), prefs.actor(), kind, key, now=context.now, **v),
                  "Deleted: a later sync does not bring it back. Restore it under Deleted.")


def _input(f: FormField, key: str):
    """The widget of one form field: a pick from its choices, typed text, or a number."""
    if f.choices:
        return st.selectbox(f.label, f.choices, index=f.choices.index(f.value) if f.value in f.choices else None,
                            key=key)
    if f.text:
        return st.text_input(f.label, value=f.value, key=key)
    return st.number_input(f.label, value=f.value, key=key)


def deleted(kind: str, disabled: bool) -> None:
    """The deleted records of this kind (newest deletion first), each to restore."""
    ledgers = read_ledgers(context.store(), kind)  # not `changed`: that also reads every record to mark edits
    gone = dict(sorted(((k, lg.deleted) for k, lg in ledgers.items() if lg.deleted), key=lambda p: p[1].at,
                       reverse=True))
    if not gone:
        st.write(f"No {KIND_TITLES[kind]} deleted.")
        return
    key = st.selectbox("Deleted record", list(gone), key=f"restore_{kind}_pick",
                       format_func=lambda k: f"{k} · {gone[k].action} by {gone[k].by} at {gone[k].at[:16]}")
    if st.button("Restore", key=f"restore_{kind}", disabled=disabled):
        attempt(lambda: restore_record(context.store(), prefs.actor(), kind, key, now=context.now),
                "Restored, with its edits.")
