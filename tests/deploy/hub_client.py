"""A learner of a JupyterHub, driven over HTTP as a browser would: login form, REST API, kernel websocket."""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import dataclass, field

import requests
import websocket


def wait_until(predicate, timeout: float, what: str, interval: float = 0.5):
    """Call ``predicate`` until it returns something truthy; fail with ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


@dataclass
class Learner:
    """One person at the hub: a browser session for the login form, then an API token."""

    base: str
    name: str
    browser: requests.Session = field(default_factory=requests.Session)
    api: requests.Session = field(default_factory=requests.Session)
    token: str = ""

    def log_in(self, password: str) -> requests.Response:
        """Fill the hub's login form (with its xsrf field) as a browser does; return the response."""
        page = self.browser.get(f"{self.base}/hub/login", timeout=30)
        page.raise_for_status()
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        assert xsrf, "the login form carries no _xsrf field"
        return self.browser.post(
            f"{self.base}/hub/login",
            data={"username": self.name, "password": password, "_xsrf": xsrf.group(1)},
            allow_redirects=False,
            timeout=30,
        )

    def request_token(self) -> None:
        """Ask the hub for an API token with the login cookie (what JupyterLab's token page does)."""
        reply = self.browser.post(
            f"{self.base}/hub/api/users/{self.name}/tokens",
            json={"note": "hub test", "expires_in": 900},
            headers={"X-XSRFToken": self.browser.cookies.get("_xsrf", "")},
            timeout=30,
        )
        assert reply.status_code == 201, reply.text
        self.token = reply.json()["token"]
        self.api.headers["Authorization"] = f"token {self.token}"

    def hub(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.api.request(method, f"{self.base}/hub/api{path}", timeout=60, **kwargs)

    def server(self) -> dict | None:
        """The learner's default server as the hub reports it, or None."""
        return self.hub("GET", f"/users/{self.name}").json().get("servers", {}).get("")

    def start_server(self) -> None:
        reply = self.hub("POST", f"/users/{self.name}/server")
        assert reply.status_code in (201, 202), reply.text

    def wait_ready(self, timeout: float = 120) -> str:
        """Wait for the server; return its URL prefix (``/user/<name>/``)."""
        server = wait_until(
            lambda: (s := self.server()) and s.get("ready") and s, timeout, f"{self.name}'s server to be ready"
        )
        return server["url"]

    def jupyter(self, method: str, path: str, **kwargs) -> requests.Response:
        """A request to the learner's own Jupyter server, through the proxy."""
        return self.api.request(method, f"{self.base}/user/{self.name}/api{path}", timeout=60, **kwargs)


class Kernel:
    """A kernel on a learner's server, run over Jupyter's websocket protocol."""

    def __init__(self, learner: Learner):
        reply = learner.jupyter("POST", "/kernels", json={"name": "python3"})
        assert reply.status_code == 201, reply.text
        self.id = reply.json()["id"]
        self.learner = learner
        url = f"{learner.base.replace('http', 'ws', 1)}/user/{learner.name}/api/kernels/{self.id}/channels"
        self.socket = websocket.create_connection(url, header=[f"Authorization: token {learner.token}"], timeout=120)
        self.session = uuid.uuid4().hex

    def run(self, code: str) -> str:
        """Execute ``code``; return what it printed or displayed (plain text), errors included."""
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "session": self.session,
            "username": self.learner.name,
            "msg_type": "execute_request",
            "version": "5.3",
            "date": "",
        }
        content = {"code": code, "silent": False, "store_history": False, "user_expressions": {}, "allow_stdin": False}
        message = {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"}
        self.socket.send(json.dumps(message))
        output = []
        while True:
            reply = json.loads(self.socket.recv())
            if reply.get("parent_header", {}).get("msg_id") != msg_id or reply.get("channel") != "iopub":
                continue
            kind, body = reply["msg_type"], reply["content"]
            if kind == "stream":
                output.append(body["text"])
            elif kind in ("display_data", "execute_result"):
                output.append(body["data"].get("text/plain", ""))
            elif kind == "error":
                output.append(f"{body['ename']}: {body['evalue']}")
            elif kind == "status" and body["execution_state"] == "idle":
                return "\n".join(output)

    def close(self) -> None:
        self.socket.close()
        self.learner.jupyter("DELETE", f"/kernels/{self.id}")
