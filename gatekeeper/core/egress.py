"""Where webhooks may go: the rules for a receiver's URL and for the addresses it resolves to.

A project writer chooses a webhook's URL, and the server then POSTs to it:
without rules, anyone who may change a project could make the server reach
its own loopback, the cloud's metadata service or the municipality's
internal network. So a URL must be `https://` (plain `http://` only where
the policy allows it: demo mode and tests), carry no user name or password,
and every address it leads to must be public — not private, loopback,
link-local (the metadata service 169.254.169.254), multicast, reserved or
unspecified, also when written as a bare number (`2130706433`,
`0x7f000001`) or embedded in IPv6 (`::ffff:127.0.0.1`, 6to4, NAT64). An
installation allows its own receivers by network (`allowed_networks`, CIDRs).

This module judges; it does no I/O. The URL is judged when a subscription is
made (`services.audit.webhook_subscription`), and the resolved addresses
again at every delivery, where the sender connects to the very address it
checked (`services.audit.webhook_sender`): a name that resolves to a public
address when checked and to an internal one a moment later gains nothing.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# IPv6 prefixes that carry an IPv4 address in their last 32 bits (NAT64, RFC 6052 / 8215).
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IN_ENGLISH = {
    "loopback": "is a loopback address",
    "link-local": "is link-local (such as the cloud metadata service)",
    "multicast": "is a multicast address",
    "reserved": "is reserved",
    "private": "is a private or internal address",
}
_IN_SWEDISH = {
    "loopback": "är serverns egen (loopback)",
    "link-local": "är länklokal (som molnets metadatatjänst)",
    "multicast": "är en multicastadress",
    "reserved": "är reserverad",
    "private": "är privat eller intern",
}
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


@dataclass(frozen=True)
class EgressPolicy:
    """What the webhook sender may reach; the strict default suits production."""

    require_https: bool = True
    allowed_networks: tuple[IPNetwork, ...] = ()

    def address_refusal(self, address: IPAddress) -> str | None:
        """Why `address` may not be reached (an English phrase for the delivery log), or None."""
        refused = self._refused(address)
        if refused is None:
            return None
        judged, kind = refused
        reason = _IN_ENGLISH[kind]
        return reason if judged == address else f"carries {judged}, which {reason}"

    def _refused(self, address: IPAddress) -> tuple[IPAddress, str] | None:
        """The address judged (an IPv4 address carried in IPv6, or itself) and what it is."""
        if any(address in network for network in self.allowed_networks):
            return None
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return self._refused(embedded)
        if address.is_loopback:
            return address, "loopback"
        if address.is_link_local:
            return address, "link-local"
        if address.is_multicast:
            return address, "multicast"
        if address.is_unspecified or address.is_reserved:
            return address, "reserved"
        if address.is_private or not address.is_global:
            return address, "private"
        return None

    def url_refusal(self, url: str) -> str | None:
        """Why a webhook URL is refused before any name is resolved (Swedish), or None.

        The scheme, a user name or password, a host named localhost, and a host
        written as an address (in any of the forms resolvers accept).
        """
        parts = urlsplit(url)
        if parts.username is not None or parts.password is not None or "@" in parts.netloc:
            return (
                "webbadressen får inte innehålla användarnamn eller lösenord (user:lösen@…); "
                "mottagaren känner igen gatekeeper på signaturen"
            )
        if self.require_https and parts.scheme != "https":
            return "webbadressen ska börja med https:// (http:// bara i demoläge)"
        host = (parts.hostname or "").rstrip(".").lower()
        if host in _LOCAL_NAMES or host.endswith(".localhost"):
            return f"värden {host} är den egna servern"
        address = literal_address(host)
        refused = self._refused(address) if address is not None else None
        if refused is not None:
            judged, kind = refused
            return f"adressen {judged} {_IN_SWEDISH[kind]} och tas inte emot som mottagare"
        return None


def literal_address(host: str) -> IPAddress | None:
    """The address a host name *is* when written as one, in any form a resolver accepts:
    `127.0.0.1`, `::1`, `::ffff:7f00:1`, but also `2130706433`, `0x7f000001` and `0177.1`."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if host and all(char in "0123456789abcdefx." for char in host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if any(address in prefix for prefix in _NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """CIDRs separated by commas or spaces (`10.20.0.0/16, 2001:db8::/32`); ValueError if bad."""
    return tuple(
        ipaddress.ip_network(part, strict=False)
        for part in text.replace(",", " ").split()
        if part.strip()
    )
