"""A client of the app's WebSocket (`/_stcore/stream`) that speaks Streamlit's own protobuf messages, as a script
would that skips the browser: open a session, run a page, fill and submit the login form, send any BackMsg."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import connect

RUN_TIMEOUT_S = 60


@dataclass(frozen=True)
class Element:
    """One thing a run drew: its kind (`text_input`, `alert`, `heading`, `exception`, `form`...) and its proto."""

    kind: str
    proto: Any

    @property
    def text(self) -> str:
        """What it says (a label, a body), or ''."""
        return str(getattr(self.proto, "body", "") or getattr(self.proto, "label", "") or "")


@dataclass(frozen=True)
class Run:
    """What one script run sent: the elements drawn and every other message kind, in order, and its duration."""

    elements: list[Element]
    messages: list[str]
    seconds: float

    def texts(self, kind: str) -> list[str]:
        """The texts of the elements of one kind."""
        return [e.text for e in self.elements if e.kind == kind]


class StreamSession:
    """One session, as a browser tab opens it on `page` ("" is /), with these cookies and extra headers."""

    def __init__(self, url: str, page: str = "", cookie: str | None = None, headers: dict[str, str] | None = None):
        self.url, self.page = url, page
        extra = dict(headers or {})
        if cookie is not None:
            extra["Cookie"] = cookie
        self.ws_url, self.headers = url.replace("http://", "ws://", 1) + "/_stcore/stream", extra
        self.last: Run | None = None
        self.session_id: str | None = None  # Streamlit's id of this session, once the first run has started

    def __enter__(self) -> StreamSession:
        self._connection = connect(self.ws_url, subprotocols=["streamlit"], additional_headers=self.headers,
                                   open_timeout=30)
        self.ws = self._connection.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._connection.__exit__(*exc)

    def send(self, msg: BackMsg) -> None:
        """Send any BackMsg, as a client may."""
        self.ws.send(msg.SerializeToString())

    def run(self, widgets: list[WidgetState] | None = None) -> Run:
        """Request a run (with these widget states) and collect what it sends until it finishes."""
        msg = BackMsg()
        msg.rerun_script.page_name = self.page
        msg.rerun_script.context_info.url = f"{self.url}/{self.page}"
        msg.rerun_script.widget_states.widgets.extend(widgets or [])
        started = time.perf_counter()
        self.send(msg)
        self.last = self.collect()
        return Run(self.last.elements, self.last.messages, time.perf_counter() - started)

    def collect(self, timeout_s: float = RUN_TIMEOUT_S) -> Run:
        """Messages until the next script_finished (or, with a short timeout, until nothing more comes)."""
        started, elements, messages = time.perf_counter(), [], []
        while True:
            try:
                raw = self.ws.recv(timeout=timeout_s)
            except TimeoutError:
                return Run(elements, messages, time.perf_counter() - started)
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            messages.append(kind)
            if kind == "new_session":
                self.session_id = fm.new_session.initialize.session_id
            elif kind == "delta":
                elements.append(_element(fm.delta))
            elif kind == "script_finished":
                return Run(elements, messages, time.perf_counter() - started)

    def log_in(self, username: str, password: str) -> Run:
        """Fill the login form the last run drew (or run first) and submit it, as the browser does."""
        if self.last is None:
            self.run()
        inputs = {e.text: e.proto.id for e in self.last.elements if e.kind == "text_input"}
        (submit,) = [e.proto.id for e in self.last.elements if e.kind == "button" and e.proto.is_form_submitter]
        return self.run([WidgetState(id=inputs["Username"], string_value=username),
                         WidgetState(id=inputs["Password"], string_value=password),
                         WidgetState(id=submit, trigger_value=True)])


def _element(delta) -> Element:
    if delta.WhichOneof("type") == "new_element":
        kind = delta.new_element.WhichOneof("type")
        return Element(kind, getattr(delta.new_element, kind))
    if delta.WhichOneof("type") == "add_block":
        kind = delta.add_block.WhichOneof("type") or "block"
        return Element(kind, delta.add_block)
    return Element(delta.WhichOneof("type") or "delta", None)


def back_msg(kind: str) -> BackMsg:
    """A BackMsg of a kind without arguments, such as `clear_cache` or `load_git_info`."""
    return BackMsg(**{kind: True})
