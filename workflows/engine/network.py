"""Which addresses an outbound connection may reach: the one network guard's core.

Pure standard library, so the engine's HTTP client and the Django side (databases, SMTP,
webhooks, LLM calls) share one decision. We deny by the IANA special-purpose registries
(IPv4 and IPv6, every entry that is not globally reachable), not by `ipaddress.is_global`,
which misses 192.0.0.192 and friends. IPv6 forms that carry an IPv4 address (mapped,
NAT64, 6to4, Teredo) are judged by the IPv4 address inside. Host names spelled as odd
IPv4 numbers (`0177.0.0.1`, `2130706433`, `0x7f.1`, `127.1`) are refused outright: the
C resolver would quietly turn them into addresses we never looked at.
"""

from __future__ import annotations

import ipaddress
import socket
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]

ALLOW_LIST_SETTING = "FLOWBUILDER_NETWORK_ALLOW_LIST"

# Cloud instance metadata services: named in the refusal, and never let through by a host
# name on the allow-list (only by an explicit address or network).
METADATA_ADDRESSES = {
    ipaddress.ip_address(text): label
    for text, label in [
        ("169.254.169.254", "AWS, GCP, Azure, OpenStack"),
        ("169.254.170.2", "AWS ECS task"),
        ("169.254.169.123", "AWS time sync"),
        ("fd00:ec2::254", "AWS IPv6"),
        ("100.100.100.200", "Alibaba Cloud"),
        ("192.0.0.192", "Oracle Cloud"),
        ("168.63.129.16", "Azure wire server"),
    ]
}

_V4 = [
    ("0.0.0.0/8", "'this network' (0.0.0.0/8)"),
    ("10.0.0.0/8", "private (10.0.0.0/8)"),
    ("100.64.0.0/10", "shared carrier-grade NAT (100.64.0.0/10)"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("172.16.0.0/12", "private (172.16.0.0/12)"),
    ("192.0.0.0/24", "IETF protocol assignments (192.0.0.0/24)"),
    ("192.0.2.0/24", "documentation (TEST-NET-1)"),
    ("192.88.99.0/24", "deprecated 6to4 relay anycast (192.88.99.0/24)"),
    ("192.168.0.0/16", "private (192.168.0.0/16)"),
    ("198.18.0.0/15", "benchmarking (198.18.0.0/15)"),
    ("198.51.100.0/24", "documentation (TEST-NET-2)"),
    ("203.0.113.0/24", "documentation (TEST-NET-3)"),
    ("224.0.0.0/4", "multicast"),
    ("255.255.255.255/32", "limited broadcast"),
    ("240.0.0.0/4", "reserved (240.0.0.0/4)"),
]
_V6 = [
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("::ffff:0:0:0/96", "IPv4-translated (SIIT)"),
    ("64:ff9b:1::/48", "local-use NAT64 (64:ff9b:1::/48)"),
    ("100::/64", "discard-only (100::/64)"),
    ("100:0:0:1::/64", "dummy prefix (100:0:0:1::/64)"),
    ("2001:2::/48", "benchmarking (2001:2::/48)"),
    ("2001:10::/28", "deprecated ORCHID (2001:10::/28)"),
    ("2001:db8::/32", "documentation (2001:db8::/32)"),
    ("3fff::/20", "documentation (3fff::/20)"),
    ("5f00::/16", "segment routing SIDs (5f00::/16)"),
    ("fc00::/7", "unique-local (fc00::/7)"),
    ("fe80::/10", "link-local"),
    ("fec0::/10", "site-local (fec0::/10)"),
    ("ff00::/8", "multicast"),
]
# Inside 2001::/23 (not globally reachable) these few are; Teredo is judged by its IPv4s.
_V6_GLOBAL_EXCEPTIONS = [
    ipaddress.ip_network(text)
    for text in (
        "2001:1::1/128",
        "2001:1::2/128",
        "2001:1::3/128",
        "2001:3::/32",
        "2001:4:112::/48",
        "2001:20::/28",
        "2001:30::/28",
    )
]
_BLOCKED = [(ipaddress.ip_network(net), label) for net, label in _V4 + _V6]
_IETF_V6 = ipaddress.ip_network("2001::/23")
_TEREDO = ipaddress.ip_network("2001::/32")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_GLOBAL_UNICAST_V6 = ipaddress.ip_network("2000::/3")


class AddressBlocked(Exception):
    """An outbound connection was refused before any packet left."""

    code = "ADDRESS_BLOCKED"


class HostNotResolved(Exception):
    code = "HOST_NOT_RESOLVED"


def classify_address(address: IPAddress) -> str | None:
    """The reason `address` may not be reached (its registry class), or None if it may."""
    if address in METADATA_ADDRESSES:
        return f"cloud metadata ({address}, {METADATA_ADDRESSES[address]})"
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        inner = classify_address(embedded)
        return f"{inner}, inside {address}" if inner else None
    for network, label in _BLOCKED:
        if address.version == network.version and address in network:
            return label
    if isinstance(address, ipaddress.IPv6Address):
        if address in _IETF_V6 and not any(address in net for net in _V6_GLOBAL_EXCEPTIONS):
            return "IETF protocol assignments (2001::/23)"
        if address in _IPV4_COMPATIBLE:
            return "deprecated IPv4-compatible IPv6 (::/96)"
        if address not in _GLOBAL_UNICAST_V6:
            return "reserved IPv6 (outside 2000::/3)"
    return None


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, NAT64, 6to4, Teredo server)."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _SIX_TO_FOUR:
        return address.sixtofour
    if address in _TEREDO:
        server, client = address.teredo
        # Both ends must be fine; report the worse one.
        return client if classify_address(client) else server
    return None


def odd_ipv4_spelling(host: str) -> str | None:
    """The address a non-canonical IPv4 spelling stands for, as inet_aton reads it."""
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or not all(parts):
        return None
    numbers = []
    for part in parts:
        lowered = part.lower()
        try:
            if lowered.startswith("0x"):
                numbers.append(int(lowered[2:] or "0", 16))
            elif lowered.isascii() and lowered.isdigit():
                numbers.append(int(lowered, 8 if len(lowered) > 1 and lowered[0] == "0" else 10))
            else:
                return None
        except ValueError:
            return "an unreadable number"
    try:
        packed = socket.inet_aton(host)
    except OSError:
        return "an out-of-range number"
    canonical = socket.inet_ntoa(packed)
    return None if canonical == host else canonical


def normalize_host(host: str) -> str:
    """The host as a resolver would see it: NFKC (full-width digits), no brackets or dot."""
    text = unicodedata.normalize("NFKC", host or "").strip().strip("[]").rstrip(".").lower()
    return text.split("%")[0] if ":" in text else text


def resolve_host(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


@dataclass(frozen=True)
class NetworkPolicy:
    """The allow-list (addresses, networks or host names) and how to name it in errors."""

    networks: tuple[IPNetwork, ...] = ()
    hosts: frozenset[str] = frozenset()
    setting: str = ALLOW_LIST_SETTING

    @classmethod
    def from_allow_list(cls, entries: Iterable[str], *, setting: str = ALLOW_LIST_SETTING) -> NetworkPolicy:
        networks: list[IPNetwork] = []
        hosts: set[str] = set()
        for entry in entries:
            entry = str(entry).strip()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                hosts.add(normalize_host(entry))
        return cls(tuple(networks), frozenset(hosts), setting)

    def refusal(self, host: str, address: IPAddress) -> str | None:
        """Why `host` resolving to `address` is refused, or None when it may be reached."""
        if any(address in network for network in self.networks):
            return None
        reason = classify_address(address)
        if reason is None:
            return None
        if normalize_host(host) in self.hosts and address not in METADATA_ADDRESSES:
            return None
        shown = host if normalize_host(host) == str(address) else f"{host} ({address})"
        return f"{shown} is a {reason} address, which is not allowed; to allow it, add it to {self.setting}"

    def check_host(self, host: str, port: int, *, resolver: Resolver = resolve_host) -> list[str]:
        """Every address `host` resolves to, if all may be reached; AddressBlocked otherwise.

        Connect to one of the returned addresses, never to the name again: a second lookup
        could answer differently (DNS rebinding).
        """
        name = normalize_host(host)
        if not name:
            raise AddressBlocked("refused: no host given")
        odd = odd_ipv4_spelling(name)
        if odd is not None or unicodedata.normalize("NFKC", host) != host:
            raise AddressBlocked(self._odd_spelling(host, odd or name))
        addresses = self._addresses(name, port, resolver)
        for address in addresses:
            reason = self.refusal(host, address)
            if reason:
                raise AddressBlocked(f"refused: {reason}")
        return [str(address) for address in addresses]

    def _odd_spelling(self, host: str, meant: str) -> str:
        message = f"refused {host!r}: a non-canonical spelling of {meant}; write it as {meant}"
        try:
            reason = self.refusal(meant, ipaddress.ip_address(meant))
        except ValueError:
            reason = None
        return f"{message} ({reason})" if reason else message

    def _addresses(self, name: str, port: int, resolver: Resolver) -> list[IPAddress]:
        try:
            return [ipaddress.ip_address(name)]
        except ValueError:
            pass
        try:
            name = name.encode("idna").decode("ascii")
        except UnicodeError:
            raise AddressBlocked(f"refused {name!r}: not a valid host name") from None
        if any(ch in name for ch in "/\\@ "):
            raise AddressBlocked(f"refused {name!r}: not a valid host name")
        try:
            found = [ipaddress.ip_address(text.split("%")[0]) for text in resolver(name, port)]
        except (OSError, UnicodeError, ValueError) as exc:
            raise HostNotResolved(f"could not resolve {name}: {exc}") from None
        if not found:
            raise HostNotResolved(f"could not resolve {name}")
        return found
