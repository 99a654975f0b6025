"""The network guard as the Django side sees it: one allow-list setting for every outbound
connection (HTTP nodes, webhooks, LLM calls, databases, SMTP).

`FLOWBUILDER_NETWORK_ALLOW_LIST` is the setting; the older `FLOWBUILDER_HTTP_ALLOW_LIST`
still counts (its entries are added), so existing deployments keep working.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from workflows.engine.network import (
    ALLOW_LIST_SETTING,
    AddressBlocked,
    HostNotResolved,
    NetworkPolicy,
    resolve_host,
)

__all__ = ["AddressBlocked", "HostNotResolved", "allow_list", "checked_address", "check_url", "network_policy"]


def allow_list() -> list[str]:
    """Both settings' entries, read at call time (tests and admins change them live)."""
    entries = [
        *getattr(settings, "FLOWBUILDER_NETWORK_ALLOW_LIST", []),
        *getattr(settings, "FLOWBUILDER_HTTP_ALLOW_LIST", []),
    ]
    return list(dict.fromkeys(entries))


def network_policy() -> NetworkPolicy:
    return NetworkPolicy.from_allow_list(allow_list(), setting=ALLOW_LIST_SETTING)


def checked_address(host: str, port: int) -> str:
    """The address to connect to for `host`, after every address it resolves to passed the guard.

    Raises AddressBlocked (refused) or HostNotResolved; the caller connects to the returned
    address (keeping the name for TLS), never to the name.
    """
    return network_policy().check_host(host, port, resolver=resolve_host)[0]


def check_url(url: str, *, resolve: bool = True) -> None:
    """Refuse an http(s) URL whose host may not be reached (AddressBlocked).

    Used when a URL is stored (a webhook subscription) so a bad target is refused at once;
    it is checked again at every connection. A name that does not resolve yet passes here.
    """
    parts = urlsplit(url)
    port = parts.port if _has_valid_port(parts) else None
    default = 443 if parts.scheme.lower() == "https" else 80
    try:
        network_policy().check_host(parts.hostname or "", port or default, resolver=_resolver(resolve))
    except HostNotResolved:
        return


def _has_valid_port(parts) -> bool:
    try:
        return parts.port is not None
    except ValueError:
        return False


def _resolver(resolve: bool):
    if resolve:
        return resolve_host

    def _none(host: str, port: int) -> list[str]:
        raise HostNotResolved(host)

    return _none
