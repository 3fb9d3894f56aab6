"""A minimal client of the course server for tests and the room benchmark: pages over HTTP, the kernel over its websocket.

It does what a browser does with a Voila page, with no browser: GET the page
(cookies kept), read the kernel id from it, open the kernel's websocket with
Jupyter's JSON protocol, and send or collect messages.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field

__all__ = ["Page", "http_get", "open_page", "kernel_message"]


def http_get(
    url: str, host: str | None = None, cookies: str = "", timeout: float = 60
) -> tuple[int, dict[str, str], str]:
    """GET ``url`` without following redirects; optionally with another ``Host`` header."""
    parsed = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)
    path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
    headers = {"Host": host or parsed.netloc}
    if cookies:
        headers["Cookie"] = cookies
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read().decode("utf-8", errors="replace")
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def kernel_message(msg_type: str, content: dict, channel: str = "shell", metadata: dict | None = None) -> str:
    """One Jupyter message in the websocket's JSON form."""
    return json.dumps(
        {
            "header": {
                "msg_id": uuid.uuid4().hex,
                "msg_type": msg_type,
                "username": "learner",
                "session": uuid.uuid4().hex,
                "version": "5.3",
                "date": "",
            },
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
            "channel": channel,
            "buffers": [],
        }
    )


@dataclass
class Page:
    """A rendered Voila page and what a browser keeps of it."""

    base: str
    status: int
    html: str
    jar: http.cookiejar.CookieJar = field(repr=False)

    @property
    def kernel_id(self) -> str:
        return re.search(r'"kernelId": "([^"]+)"', self.html).group(1)

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)

    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def channels_url(self) -> str:
        """The kernel's websocket, with a session id as JupyterLab's client sends one."""
        return (
            self.base.replace("http", "ws", 1) + f"/api/kernels/{self.kernel_id}/channels?session_id={self.session_id}"
        )

    def close(self) -> int:
        """What the page does when its tab closes: post the kernel shutdown with the _xsrf cookie."""
        xsrf = next((cookie.value for cookie in self.jar if cookie.name == "_xsrf"), "")
        request = urllib.request.Request(
            self.base + f"/voila/api/shutdown/{self.kernel_id}",
            data=urllib.parse.urlencode({"_xsrf": xsrf}).encode(),
            headers={"Cookie": self.cookie_header},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def open_page(base: str, path: str, timeout: float = 180) -> Page:
    """GET a page like a browser (cookies kept; errors returned, not raised)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    try:
        with opener.open(base + path, timeout=timeout) as response:
            return Page(base, response.status, response.read().decode("utf-8", errors="replace"), jar)
    except urllib.error.HTTPError as error:
        return Page(base, error.code, error.read().decode("utf-8", errors="replace"), jar)
