"""Files as people's computers write them: encodings, separators, sizes, ZIP bombs, damaged and empty files."""

from __future__ import annotations

import io
import zipfile

import pytest

from core.errors import BadInput
from core.records import BODY, SET
from core.sources.files import Limits, import_file
from core.sources.files.limits import MB

LOG = "Date,Exercise,Reps,Load,Notes\n2026-03-02,Épaulé-jeté,3,60,très bien\n2026-03-03,Kniebeuge,5,100,süß\n"
WEIGHTS = "Date,Poids (kg),Masse grasse (kg),Commentaires\n2026-03-03 08:00:00,\"80,45\",\"15,7\",matin é\n"


@pytest.mark.parametrize("encoding,prefix,read_as", [
    ("utf-8", b"", None),
    ("utf-8", b"\xef\xbb\xbf", None),              # Excel's "CSV UTF-8" writes a BOM
    ("utf-16", b"", "read as UTF-16"),             # Excel's "Unicode text" (BOM included by the codec)
    ("utf-16-le", b"", "read as UTF-16"),          # UTF-16 without a BOM
    ("cp1252", b"", "read as Windows-1252"),       # Excel on Windows
    ("latin-1", b"", "read as Windows-1252"),      # the same bytes for these letters
])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_encodings_and_separators_of_a_training_log(store, encoding, prefix, read_as, delimiter):
    """Each encoding and separator gives the same sets, accents intact, and the report says how it was read."""
    text = LOG.replace(",", delimiter)
    report = import_file(store, prefix + text.encode(encoding), "log.csv")
    assert (report.format, report.rows_stored) == ("training log", 2)
    sets = store.read(SET)
    assert sets.exercise.tolist() == ["Épaulé-jeté", "Kniebeuge"] and sets.notes.tolist() == ["très bien", "süß"]
    expected = [s for s in (read_as, {";": "separated by semicolons", "\t": "separated by tabs"}.get(delimiter)) if s]
    assert [n for n in report.notes if n.startswith("log.csv")] == ([f"log.csv: {', '.join(expected)}"] if expected
                                                                     else [])


def test_a_semicolon_withings_export_with_comma_decimals(store):
    """A European re-save of weight.csv (semicolons, "80,45") is read, not blamed on the language."""
    report = import_file(store, WEIGHTS.replace(",", ";").replace('"80;45"', "80,45").replace('"15;7"', "15,7")
                         .encode("cp1252"), "weight.csv")
    assert report.format == "Withings weights" and store.read(BODY).weight_kg.tolist() == [80.45]


def test_latin1_bytes_that_windows_1252_leaves_undefined():
    """A byte Windows-1252 does not define (0x81) means the file is Latin-1."""
    from core.sources.files.sniff import Reading

    reading = Reading("x.csv", None)
    reading.feed("Date,Exercise,Reps\n2026-03-02,Clé,5\n".encode("latin-1") + b"\x81\n", final=True)
    assert reading.encoding == "latin-1"


def test_a_file_mixing_utf8_and_windows_bytes_is_refused_naming_the_encoding(store):
    """Real UTF-8 then a Windows-1252 byte: refused (reading either way would garble letters); nothing stored."""
    data = "Date,Exercise,Reps\n2026-03-02,Épaulé,3\n".encode() + "2026-03-03,Clé,5\n".encode("cp1252")
    with pytest.raises(BadInput, match="mixes UTF-8 with another encoding") as err:
        import_file(store, data, "log.csv")
    assert "UTF-8" in err.value.action and store.counts() == {}


def test_binary_data_is_not_read_as_text(store):
    """A file with zero bytes that are not UTF-16 is refused as binary."""
    with pytest.raises(BadInput, match="is not a text file"):
        import_file(store, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01\x00\x00" * 10, "photo.csv")


def test_an_unknown_separator_is_named(store):
    """A header that no known separator splits says so, naming the separators it tried."""
    with pytest.raises(BadInput, match=r"its separator is not a comma, semicolon, tab or \|"):
        import_file(store, b"Date Exercise Reps\n2026-03-02 Squat 5\n", "log.csv")


@pytest.mark.parametrize("data,message", [
    (b"", "the file is empty"),
    (b"\xef\xbb\xbf\r\n\r\n", "the file is empty"),
    (b"Date,Exercise,Reps\n", "there is a header but no rows below it"),
    (b"PK\x03\x04truncated", "the ZIP is damaged or incomplete"),
])
def test_empty_and_truncated_files_get_a_clear_message(store, data, message):
    """An empty file, a header alone and a cut-off ZIP each say what is wrong; nothing is stored."""
    with pytest.raises(BadInput, match=message):
        import_file(store, data, "upload.zip" if data.startswith(b"PK") else "log.csv")
    assert store.counts() == {}


def zip_of(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_with_no_known_member_lists_what_it_holds(store):
    """A ZIP of other files names them and the files the app imports."""
    with pytest.raises(BadInput, match=r"holds no file the app imports \(found: notes.txt, sleep.csv, steps.csv\)"):
        import_file(store, zip_of(**{"sleep.csv": b"a,b\n", "steps.csv": b"a,b\n", "notes.txt": b"x"}), "x.zip")


def test_a_zip_holding_one_training_log_is_imported(store):
    """A zipped training log (its only CSV) is read like the CSV itself."""
    report = import_file(store, zip_of(**{"my log.csv": LOG.encode()}), "log.zip")
    assert (report.format, report.rows_stored) == ("training log", 2)


def test_a_corrupted_member_is_refused_before_anything_is_stored(store):
    """A flipped byte in a member's data fails its CRC during the checking pass: nothing is stored."""
    data = bytearray(zip_of(**{"weight.csv": (WEIGHTS * 200).encode()}))
    data[60] ^= 0xFF
    with pytest.raises(BadInput, match="damaged or incomplete"):
        import_file(store, bytes(data), "export.zip")
    assert store.counts() == {}


def bomb(megabytes: int) -> bytes:
    """A weight.csv of identical rows, deflated about a thousand times."""
    row = b"2026-03-03 08:00:00,80.45,15.728,,\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("weight.csv", "w") as member:
        member.write(b"Date,Weight (kg),Fat mass (kg),Bone mass (kg),Comments\n")
        for _ in range(megabytes):
            member.write(row * (MB // len(row)))
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_at_the_ratio_limit_whatever_its_header_says(store):
    """A member expanding beyond max_zip_ratio is stopped while decompressing, naming the limit and its setting."""
    data = bomb(12)
    with pytest.raises(BadInput, match="expands more than 100 times its compressed size") as err:
        import_file(store, data, "bomb.zip", limits=Limits(max_csv_mb=1000))
    assert "[imports] max_zip_ratio" in err.value.action and store.counts() == {}


def with_claimed_size(data: bytes, size: int) -> bytes:
    """The ZIP with its (only) member's uncompressed size in the central directory replaced."""
    data = bytearray(data)
    central = data.rfind(b"PK\x01\x02")
    data[central + 24:central + 28] = size.to_bytes(4, "little")
    return bytes(data)


def test_a_member_is_limited_by_what_it_expands_to_not_by_its_header(store):
    """A header claiming 4 GB does not refuse a small member; one claiming 100 bytes does not hide a large one."""
    assert import_file(store, with_claimed_size(zip_of(**{"weight.csv": WEIGHTS.encode()}), 0xFFFFFFF0),
                       "claims-4GB.zip").rows_stored == 1
    with pytest.raises(BadInput, match="expands to more than 2 MB"):
        import_file(store, bomb(3), "bomb.zip", limits=Limits(max_csv_mb=2))
    with pytest.raises(BadInput, match="damaged or incomplete"):  # zipfile stops at the claim; the CRC fails
        import_file(store, with_claimed_size(bomb(3), 100), "claims-100B.zip", limits=Limits(max_csv_mb=2))
    assert len(store.read(BODY)) == 1


def test_a_csv_larger_than_the_limit_is_refused_before_it_is_read(store, tmp_path):
    """A CSV file above max_csv_mb is refused from its size, naming the limit and the setting."""
    path = tmp_path / "big.csv"
    path.write_bytes(LOG.encode() + b"2026-03-04,Squat,5,100,\n" * 50_000)
    with pytest.raises(BadInput, match="is more than 1 MB, the largest CSV an import reads") as err:
        import_file(store, path, "big.csv", limits=Limits(max_csv_mb=1))
    assert "[imports] max_csv_mb" in err.value.action


def test_an_upload_larger_than_the_limit_names_both_settings():
    """The uploader's limit names [imports] max_upload_mb, Streamlit's server.maxUploadSize and the CLI."""
    with pytest.raises(BadInput, match="150 MB is more than the 100 MB an upload may be") as err:
        Limits().check_upload(150 * MB, "export.zip")
    assert "max_upload_mb" in err.value.action and "server.maxUploadSize" in err.value.action
    assert "python -m core.sync import" in err.value.action


def test_a_line_without_end_is_not_a_csv(store):
    """Two megabytes without a line break are refused, not read into memory as one row."""
    with pytest.raises(BadInput, match="has a line longer than 1 MB"):
        import_file(store, b"Date,Exercise,Reps\n" + b"x" * (2 << 20), "log.csv")


def test_a_field_beyond_the_csv_limit_quarantines_its_row_only(store):
    """A 200,000-character field makes that row unreadable, with a reason; the other rows are stored."""
    data = LOG.encode() + b"2026-03-04,Squat,5,100,\"" + b"y" * 200_000 + b"\"\n2026-03-05,Squat,5,100,ok\n"
    report = import_file(store, data, "log.csv")
    assert report.rows_stored == 3 and report.quarantine[0]["row"] == 4
    assert "field larger than field limit" in report.quarantine[0]["reason"]
