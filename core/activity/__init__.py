"""Activity files (FIT, GPX, TCX) read into a per-sample Stream and an Activity summary; pure, bytes in.

Public API: `read_activity(data, name)` -> ActivityFile(name, activity, stream); `encode_stream` /
`decode_stream` for the compact blob; `blob_name(run_key)`. docs/activity-files.md describes the rules.
"""

from core.activity.codec import blob_name, decode_stream, encode_stream
from core.activity.files import MAX_BYTES, read_activity
from core.activity.model import MAX_SAMPLES, Activity, ActivityFile, Lap, Stream

__all__ = ["MAX_BYTES", "MAX_SAMPLES", "Activity", "ActivityFile", "Lap", "Stream", "blob_name", "decode_stream",
           "encode_stream", "read_activity"]
