"""What an anonymous visitor can reach on the real server (`streamlit run`, default settings, demo data): every
request in docs/security.md's table, as written there, and a logged-out WebSocket session on every page."""

from __future__ import annotations

import http.client
import re
import urllib.parse

import pytest

from tests.apptest_helpers import ROOT, copy_store
from tests.browser import streamlit_server
from tests.stream_client import StreamSession
from tests.test_serving import PAGES
from ui.serving import hint_html, streamlit_static_dir

pytestmark = pytest.mark.xdist_group("exposure")
LOGIN_FORM = ["form", "heading", "text_input", "text_input", "button"]
DEMO_HINT = ["alert"]
_ROW = re.compile(r"^\| `(GET|POST|PUT) ([^`]+)` \| (\d{3}) \|", re.M)


def documented_requests() -> list[tuple[str, str, int]]:
    """(method, path, status) of each row of the table 'What an anonymous visitor can reach'."""
    text = (ROOT / "docs" / "security.md").read_text()
    section = text.split("## What an anonymous visitor can reach", 1)[1].split("\n## ", 1)[0]
    return [(method, path, int(status)) for method, path, status in _ROW.findall(section)]


@pytest.fixture(scope="module")
def server(demo_template, tmp_path_factory):
    """The app as `make run` serves it (no users: the demo login), and its store."""
    folder = tmp_path_factory.mktemp("exposure")
    store = copy_store(demo_template, folder / "store.sqlite3")
    secrets = folder / "secrets.toml"  # configures nothing, but readable by everyone
    secrets.write_text("# [auth] cookie_key would be here\n")
    secrets.chmod(0o644)
    env = {"FITDASH_STORE_SQLITE_PATH": str(folder / "store.sqlite3"), "FITDASH_AUTH_LOGIN_DELAY_BASE_S": "0.01"}
    with streamlit_server(env, [f"--secrets.files={secrets}"], log_path=folder / "server.log") as url:
        with StreamSession(url, page="weight") as first:  # until a session opens / after a start, Streamlit's
            first_run = first.run()  # pages/ emulation runs a page file alone, which stops before anything else
        assert [e.text for e in first_run.elements] == ["Please log in first.", "[Go to the login page](/)"]
        with StreamSession(url) as root:  # the entrypoint's st.navigation ends the emulation for the process
            root.run()
        yield url, store, folder / "server.log", secrets


def fetch(url: str, method: str, path: str, xsrf: str = "") -> tuple[int, dict[str, str], bytes]:
    """One request as a stranger's script sends it, redirects not followed; with Streamlit's XSRF token if given."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Cookie": f"_streamlit_xsrf={xsrf}", "X-Xsrftoken": xsrf} if xsrf else {}
    body = None
    if method == "PUT":  # an upload, shaped as the browser sends one
        body = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nx,y\r\n--b--\r\n'
        headers["Content-Type"] = "multipart/form-data; boundary=b"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    answer = response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    connection.close()
    return answer


def test_a_stranger_gets_exactly_what_the_security_page_lists(server):
    """Each documented request answers its documented status; every HTML answer is the same page shell, which is
    Streamlit's own index.html plus the page hints: no data, whatever the path."""
    url, *_ = server
    rows = documented_requests()
    assert len(rows) >= 20, "the table was not found in docs/security.md"
    shell = fetch(url, "GET", "/")[2]
    index = (streamlit_static_dir() / "index.html").read_bytes()
    assert shell.replace(hint_html(PAGES, (), base_hint=True).encode(), b"", 1) == index
    chunk = next((streamlit_static_dir() / "static" / "js").glob("index.*.js")).name
    xsrf = fetch(url, "GET", "/_stcore/health")[1]["set-cookie"].split("=", 1)[1].split(";", 1)[0]
    with StreamSession(url) as visitor:  # a session of the stranger's own, for the upload row
        visitor.run()
        for method, path, status in rows:
            path = path.replace("<session>", visitor.session_id).replace("<chunk>", chunk)
            got, headers, body = fetch(url, method, path, xsrf)
            assert got == status, (method, path, got, body[:200])
            assert headers["x-content-type-options"] == "nosniff", path
            if got == 200 and headers["content-type"].startswith("text/html") and "/component/" not in path:
                assert body in (shell, index), path  # /app/static/ is a reserved path: no hints


@pytest.mark.parametrize("page", ["", *PAGES, "no-such-page"])
def test_a_logged_out_session_gets_only_the_login_form_on_every_page(server, page):
    """Opened on / or any page URL, a session without a login is drawn the login form and the demo hint only."""
    url, *_ = server
    with StreamSession(url, page=page) as visitor:
        run = visitor.run()
    assert [e.kind for e in run.elements] == LOGIN_FORM + DEMO_HINT, run.elements
    assert "git_info_changed" not in run.messages


def test_after_a_logout_the_form_also_deletes_the_cookie(server):
    """Logged in, then out, in one session: the form again, with the hidden component that deletes the cookie."""
    url, *_ = server
    with StreamSession(url) as person:
        assert "Logged in" in " ".join(person.log_in("demo", "demo").texts("alert"))
        page = person.run()
        (logout,) = [e.proto.id for e in page.elements if e.kind == "button" and e.text == "Log out"]
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        after = person.run([WidgetState(id=logout, trigger_value=True)])
    assert [e.kind for e in after.elements] == LOGIN_FORM + ["component_instance"] + DEMO_HINT
    assert '"method": "delete"' in after.elements[len(LOGIN_FORM)].proto.json_args


def test_a_forwarded_for_claim_from_a_direct_client_is_counted_as_local(server):
    """Without trusted proxies, two sessions claiming other addresses in X-Forwarded-For share the local counter."""
    url, store, *_ = server
    store.delete_login_counters([c.key for c in store.login_counters()])
    for claimed in ("6.6.6.6", "7.7.7.7"):
        with StreamSession(url, headers={"X-Forwarded-For": claimed}) as visitor:
            visitor.log_in("demo", "wrong")
    assert {c.key for c in store.login_counters()} == {"addr:local", "user:demo"}


def test_a_secrets_file_others_can_read_is_named_in_the_log_at_start(server):
    """The server's first lines name a world-readable secrets file with the command that fixes it."""
    _url, _store, log, secrets = server
    assert f"{secrets} can be read or changed by other users of this machine (mode 0644)" in log.read_text()
    assert f"chmod 600 {secrets}" in log.read_text()
