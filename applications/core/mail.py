"""Sending one e-mail, in Dutch, as plain text with an HTML alternative."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_email(*, subject: str, template: str, context: dict[str, object], to: list[str]) -> None:
    """Mail `template` + ".txt", with `template` + ".html" as its HTML part. `template` is named
    with its app, as in "aanvragen/emails/herinnering": each app keeps its e-mails under its own
    `templates/<app>/emails/`; their common frame is "core/emails/_base.html"."""
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()
