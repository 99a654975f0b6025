"""The network guard's hostile corpus: every special-purpose address and odd spelling is
refused by the HTTP client before a connection is made (no DNS, no socket)."""

from __future__ import annotations

import httpx
import pytest

from workflows.engine import BlockedAddressError, GuardedHttpClient

REFUSED = {
    # IPv4 special-purpose registry
    "0.0.0.0": "this network",
    "0.1.2.3": "this network",
    "10.0.0.1": "private",
    "100.64.0.1": "carrier-grade NAT",
    "100.127.255.254": "carrier-grade NAT",
    "127.0.0.1": "loopback",
    "127.255.255.254": "loopback",
    "169.254.1.1": "link-local",
    "172.16.0.1": "private",
    "172.31.255.255": "private",
    "192.0.0.1": "IETF protocol assignments",
    "192.0.0.170": "IETF protocol assignments",
    "192.0.2.1": "documentation",
    "192.88.99.1": "6to4 relay",
    "192.168.1.1": "private",
    "198.18.0.1": "benchmarking",
    "198.19.255.255": "benchmarking",
    "198.51.100.7": "documentation",
    "203.0.113.9": "documentation",
    "224.0.0.1": "multicast",
    "239.255.255.250": "multicast",
    "240.0.0.1": "reserved",
    "255.255.255.255": "broadcast",
    # cloud metadata, named
    "169.254.169.254": "cloud metadata (169.254.169.254",
    "169.254.170.2": "cloud metadata (169.254.170.2",
    "100.100.100.200": "cloud metadata (100.100.100.200",
    "192.0.0.192": "cloud metadata (192.0.0.192",
    "168.63.129.16": "cloud metadata (168.63.129.16",
    "[fd00:ec2::254]": "cloud metadata (fd00:ec2::254",
    # IPv6 registry
    "[::]": "unspecified",
    "[::1]": "loopback",
    "[::ffff:127.0.0.1]": "loopback",
    "[::ffff:169.254.169.254]": "cloud metadata",
    "[::127.0.0.1]": "IPv4-compatible",
    "[::8.8.8.8]": "IPv4-compatible",
    "[64:ff9b::7f00:1]": "loopback",
    "[64:ff9b::a9fe:a9fe]": "cloud metadata",
    "[64:ff9b:1::1]": "local-use NAT64",
    "[2002:7f00:1::]": "loopback",
    "[2002:c000:c0::1]": "cloud metadata (192.0.0.192",
    "[2001:0:4136:e378:8000:63bf:80ff:fffe]": "loopback",  # Teredo, client 127.0.0.1
    "[2001:0:7f00:1::f7f7:f7f7]": "loopback",  # Teredo, server 127.0.0.1, client 8.8.8.8
    "[2001:2::1]": "benchmarking",
    "[2001:db8::1]": "documentation",
    "[3fff::1]": "documentation",
    "[100::1]": "discard-only",
    "[fc00::1]": "unique-local",
    "[fd12:3456::1]": "unique-local",
    "[fe80::1]": "link-local",
    "[fec0::1]": "site-local",
    "[ff02::1]": "multicast",
    "[4000::1]": "reserved IPv6",
}

ODD_SPELLINGS = [
    "0177.0.0.1",
    "127.000.000.001",
    "2130706433",
    "0x7f.1",
    "0x7f000001",
    "127.1",
    "127.0.1",
    "017700000001",
    "0251.0376.0251.0376",  # 169.254.169.254 in octal
    "3232235777",  # 192.168.1.1
    "１２７.０.０.１",  # full-width digits
    "８.８.８.８",
]


def _never_resolve(host, port):
    raise AssertionError(f"the guard resolved {host} instead of refusing it outright")


class _NoConnection(httpx.BaseTransport):
    def handle_request(self, request):
        raise AssertionError(f"a connection was attempted to {request.url}")


def _client(**kwargs) -> GuardedHttpClient:
    return GuardedHttpClient(resolver=_never_resolve, transport=_NoConnection(), **kwargs)


@pytest.mark.parametrize(("host", "named_class"), REFUSED.items())
def test_every_special_purpose_address_is_refused_with_its_class(host, named_class):
    with pytest.raises(BlockedAddressError) as caught:
        _client().request("GET", f"http://{host}/latest/meta-data/")
    assert named_class in str(caught.value)
    assert "FLOWBUILDER_NETWORK_ALLOW_LIST" in str(caught.value)
    assert caught.value.code == "ADDRESS_BLOCKED"


@pytest.mark.parametrize("host", ODD_SPELLINGS)
def test_non_canonical_ip_spellings_are_refused_as_blocked_not_invalid(host):
    with pytest.raises(BlockedAddressError, match="refused"):
        _client().request("GET", f"http://{host}/")


def test_a_name_resolving_to_the_oracle_metadata_address_is_refused():
    client = GuardedHttpClient(resolver=lambda host, port: ["192.0.0.192"], transport=_NoConnection())
    with pytest.raises(BlockedAddressError, match=r"metadata.example \(192.0.0.192\)"):
        client.request("GET", "http://metadata.example/opc/v2/instance/")


def test_a_redirect_to_an_odd_spelling_is_refused():
    class _Redirect(httpx.BaseTransport):
        def handle_request(self, request):
            return httpx.Response(302, headers={"location": "http://0x7f.0.0.1/admin"})

    client = GuardedHttpClient(resolver=lambda host, port: ["93.184.216.34"], transport=_Redirect())
    with pytest.raises(BlockedAddressError, match="non-canonical"):
        client.request("GET", "http://public.example/")


def test_a_host_name_on_the_allow_list_never_lets_a_metadata_address_through():
    client = GuardedHttpClient(
        allow_list=["internal.example"], resolver=lambda host, port: ["169.254.169.254"], transport=_NoConnection()
    )
    with pytest.raises(BlockedAddressError, match="cloud metadata"):
        client.request("GET", "http://internal.example/")


def test_public_addresses_and_the_globally_reachable_exceptions_pass_the_check():
    seen = []

    class _Ok(httpx.BaseTransport):
        def handle_request(self, request):
            seen.append(request.url.host)
            return httpx.Response(200)

    client = GuardedHttpClient(resolver=_never_resolve, transport=_Ok())
    for host in ["8.8.8.8", "[2606:4700:4700::1111]", "[64:ff9b::808:808]", "[2002:808:808::1]"]:
        assert client.request("GET", f"http://{host}/").status == 200
    assert seen == ["8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808", "2002:808:808::1"]
