"""The person's own data in their hands (issue 20): manual entry, edits, deletions, and their history.

Every function that writes takes the acting user (access.Actor) and refuses a viewer with NotAllowed, whatever
a page showed. Pages call only these:

- entry:   enter_weigh_in, enter_run, enter_sets (admins; source `manual`, natural keys, under the sync lease)
- edits:   edit_record, delete_record, restore_record (admins; one compare-and-set write of the record's ledger)
- history: record_history (a record page), conflicts / resolve_conflict (manual entries a provider replaced with
           other values), changed (edit markers and the deleted records to restore), ledger_version
- rules:   EDITABLE fields per kind, validate(kind, fields) -> [(field, message)]
The rules a read applies (edits, deletions, manual entries replaced by a provider) are in core/store/overlay.py.
"""

from core.yourdata.access import Actor, require_admin, require_self
from core.yourdata.edits import delete_record, edit_record, restore_record
from core.yourdata.entry import enter_run, enter_sets, enter_weigh_in
from core.yourdata.history import (
    Changed,
    Conflict,
    EditStatus,
    Provenance,
    changed,
    conflicts,
    ledger_version,
    record_history,
    resolve_conflict,
)
from core.yourdata.rules import EDITABLE, validate

__all__ = ["EDITABLE", "Actor", "Changed", "Conflict", "EditStatus", "Provenance", "changed", "conflicts",
           "delete_record", "edit_record", "enter_run", "enter_sets", "enter_weigh_in", "ledger_version",
           "record_history", "require_admin", "require_self", "resolve_conflict", "restore_record", "validate"]
