"""Secrets files: written for their owner only, and named (in the log and to admins) when others can read them."""

from __future__ import annotations

import os
import stat

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from core.private_files import exposed_files, write_private_file
from tests.apptest_helpers import APP, TIMEOUT_S, app_env, login


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_private_file_is_0600_whatever_was_there_and_whatever_the_umask(tmp_path):
    """An existing world-readable file and a temporary file left by a crash both end as one 0600 file."""
    path = tmp_path / ".streamlit" / "secrets.toml"
    path.parent.mkdir()
    path.write_text("old")
    path.chmod(0o644)
    leftover = path.with_name(".secrets.toml.tmp")
    leftover.write_text("half written")
    leftover.chmod(0o666)
    old_umask = os.umask(0)
    try:
        write_private_file(path, "[auth]\ncookie_key = 'k'\n")
    finally:
        os.umask(old_umask)
    assert mode(path) == 0o600 and path.read_text() == "[auth]\ncookie_key = 'k'\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["secrets.toml"]


@pytest.mark.parametrize(("file_mode", "exposed"), [(0o600, False), (0o400, False), (0o640, True), (0o604, True),
                                                    (0o620, True)])
def test_a_file_is_exposed_when_the_group_or_others_have_any_permission(tmp_path, file_mode, exposed):
    """Read or write for the group or other users counts; the owner's own bits do not; a missing file is skipped."""
    path = tmp_path / "secrets.toml"
    path.write_text("")
    path.chmod(file_mode)
    assert exposed_files([path, tmp_path / "missing.toml"]) == ([(path, file_mode)] if exposed else [])


@pytest.fixture
def readable_secrets(tmp_path):
    """Streamlit reads one secrets file, which everyone may read (it configures nothing)."""
    path = tmp_path / "secrets.toml"
    path.write_text("# nothing configured here\n")
    path.chmod(0o644)
    before = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(path)])
    yield path
    config.set_option("secrets.files", before)


def test_admins_are_told_on_every_page_to_fix_a_readable_secrets_file(demo_store, monkeypatch, readable_secrets):
    """Logged in as an admin, the page says which file others can read and the chmod that fixes it; once it is
    0600 the warning goes."""
    app_env(monkeypatch, demo_store[1])
    at = login(AppTest.from_file(APP, default_timeout=TIMEOUT_S).run(), "demo", "demo")
    assert any(f"chmod 600 {readable_secrets}" in w.value and "mode 0644" in w.value for w in at.warning)
    readable_secrets.chmod(0o600)
    assert not any("chmod 600" in w.value for w in at.run().warning)


def test_viewers_are_not_told_about_the_servers_files(demo_store, tmp_path, monkeypatch, readable_secrets):
    """A viewer's pages say nothing about secrets files."""
    import json

    import bcrypt

    app_env(monkeypatch, demo_store[1])
    hashed = bcrypt.hashpw(b"viewer password", bcrypt.gensalt(4)).decode()
    monkeypatch.setenv("FITDASH_AUTH_USERS", json.dumps({"vera": {"password": hashed, "role": "viewer"}}))
    monkeypatch.setenv("FITDASH_AUTH_COOKIE_KEY", "c" * 64)
    at = login(AppTest.from_file(APP, default_timeout=TIMEOUT_S).run(), "vera", "viewer password")
    assert at.session_state["authentication_status"] is True
    assert not any("chmod 600" in w.value for w in at.warning)
