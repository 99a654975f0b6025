"""Connection settings a database driver can actually send: hostnames, IPs, password encodings.

Checked at the API boundary (so bad input is a 400 naming the field) and again on the stored
target before a driver sees it (so rows saved earlier, or a credential's password, give a clear
test result instead of a UnicodeError inside the driver).
"""

from __future__ import annotations

import ipaddress
import re

LABEL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$")


def host_problem(host: str) -> str | None:
    """Why `host` is not a hostname, an IDNA name or an IP address; None when it is one."""
    candidate = host.strip().removeprefix("[").removesuffix("]")
    try:
        ipaddress.ip_address(candidate)
        return None
    except ValueError:
        pass
    try:
        ascii_host = host.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError:
        return "host is not a valid hostname (it cannot be written in IDNA) or IP address."
    if not ascii_host or len(ascii_host) > 253 or not all(LABEL.match(label) for label in ascii_host.split(".")):
        return "host must be a hostname (letters, digits, hyphens, dots) or an IP address."
    return None


def password_problem(kind: str, password: str | None) -> str | None:
    """MySQL's client (PyMySQL) sends the password as Latin-1; other characters cannot be sent."""
    if kind != "mysql" or not password:
        return None
    try:
        password.encode("latin-1")
    except UnicodeEncodeError:
        return "A MySQL password must be Latin-1 text; this one holds a character the MySQL client cannot send."
    return None


def target_problem(kind: str, host: str, password: str | None) -> tuple[str, str] | None:
    """(field, message) for the first setting a driver could not send, else None."""
    if host and (message := host_problem(host)):
        return "host", message
    if message := password_problem(kind, password):
        return "password", message
    return None
