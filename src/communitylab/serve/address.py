"""How learners reach a room: this machine's addresses, an access token, the address as a QR code.

Everything here works offline: addresses come from the network interfaces
(psutil), the token from :mod:`secrets`, the QR code from segno (pure Python).
"""

from __future__ import annotations

import ipaddress
import secrets
import socket

__all__ = ["new_token", "lan_addresses", "served_hosts", "qr_text"]

#: Token letters a learner can type from a projector without confusing them (no 0/o, 1/l/i).
_TOKEN_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def new_token(length: int = 10) -> str:
    """A random access token of ``length`` easy-to-type characters (about 5 bits each)."""
    return "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(length))


def lan_addresses() -> list[str]:
    """IPv4 addresses of this machine's network interfaces other than loopback, most likely first.

    Private addresses (a venue's Wi-Fi: 192.168.x, 10.x, 172.16-31.x) come first;
    link-local ones (169.254.x, a network with no DHCP) last.
    """
    import psutil

    found = []
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            if address.family != socket.AF_INET:
                continue
            ip = ipaddress.ip_address(address.address)
            if not ip.is_loopback:
                found.append(ip)
    found.sort(key=lambda ip: (ip.is_link_local, not ip.is_private, str(ip)))
    return [str(ip) for ip in dict.fromkeys(found)]


def served_hosts(bind: str, extra: tuple[str, ...] = ()) -> frozenset[str]:
    """Host names a request may carry: loopback always, plus the room's addresses and names.

    Binding to all interfaces (``0.0.0.0``) serves every LAN address and this
    machine's host name; binding to one address serves that address only.
    """
    names = set(LOOPBACK_NAMES) | set(extra)
    if bind in ("0.0.0.0", "::", ""):
        names |= set(lan_addresses())
        hostname = socket.gethostname().lower()
        names |= {hostname, f"{hostname}.local"}
    else:
        names.add(bind)
    return frozenset(name.lower() for name in names)


def qr_text(url: str) -> str:
    """``url`` as a QR code drawn with block characters, to scan from the terminal or a projector."""
    import io

    import segno

    buffer = io.StringIO()
    segno.make(url, error="m", micro=False).terminal(out=buffer, compact=True, border=2)
    return buffer.getvalue()
