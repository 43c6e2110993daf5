"""The address of the client, for the login lockout (django-axes) and the audit log.

Without proxies in front (REGIEROL_PROXIES=0) it is the connection's address. Behind N reverse
proxies, each of which appends the address it received the request from to X-Forwarded-For, it
is the N-th entry from the right: the left-most entries are whatever the client sent and can be
forged.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.REGIEROL_PROXIES
    if proxies < 1:
        return remote
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
