"""`{% bewaard sleutel "deel" %}...{% endbewaard %}`: a part of a page kept in the cache under a
key that changes whenever anything the part shows changes (the view makes that key; without one,
the part is simply rendered).

`{% bewaard sleutel "deel" met maak %}`: what the part shows is computed only when it is drawn:
`maak` is a function that returns the part's context (a dict), called only then. A view that
passes it reads nothing for a part served from the cache.

Unlike Django's `{% cache %}`, a kept part may hold forms: their CSRF token is not kept. The part
is rendered with a stand-in for the token, and each response gets its own token in its place, as
Django gives every response a newly masked one.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache as eenmalig

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template import Context
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.defaulttags import CsrfTokenNode

register = template.Library()


@eenmalig
def _plek_van_token() -> str:
    """The stand-in for the CSRF token: the same in every process (a shared cache stays right)
    and nobody can guess it, so no text typed into a field is ever taken for it."""
    return hmac.new(settings.SECRET_KEY.encode(), b"bewaard-csrf", hashlib.sha256).hexdigest()


class BewaardNode(template.Node):
    def __init__(
        self,
        nodelist: NodeList,
        sleutel: FilterExpression,
        deel: FilterExpression,
        maak: FilterExpression | None = None,
    ):
        self.nodelist = nodelist
        self.sleutel = sleutel
        self.deel = deel
        self.maak = maak

    def teken(self, context: template.Context) -> str:
        """The part drawn, with its own context when the view gave a function for it."""
        # Resolving a function in a template calls it: this gives its dict.
        eigen = self.maak.resolve(context) if self.maak else None
        with context.push(**(eigen or {})):
            return self.nodelist.render(context)

    def render(self, context: template.Context) -> str:
        # A node's output is HTML already: the template does not escape it again.
        sleutel = self.sleutel.resolve(context)
        if not sleutel:
            return self.teken(context)
        plek = _plek_van_token()
        naam = hashlib.sha256(f"{sleutel}|{self.deel.resolve(context)}".encode()).hexdigest()
        naam = f"bewaard:{naam}"
        html = cache.get(naam)
        if not isinstance(html, str):
            with context.push(csrf_token=plek):
                html = self.teken(context)
            cache.set(naam, str(html))
        if plek in html:
            token = str(context.get("csrf_token") or "")
            if token in ("", "NOTPROVIDED"):
                # As Django's {% csrf_token %} without a token: no field at all.
                html = html.replace(CsrfTokenNode().render(Context({"csrf_token": plek})), "")
                token = ""
            html = html.replace(plek, token)
        return html


@register.tag("bewaard")
def bewaard(parser: Parser, token: Token) -> BewaardNode:
    delen = token.split_contents()
    if len(delen) not in (3, 5) or (len(delen) == 5 and delen[3] != "met"):
        raise template.TemplateSyntaxError(
            f'{delen[0]} takes a key and the part\'s name, then optionally "met" and a function'
        )
    nodelist = parser.parse(("endbewaard",))
    parser.delete_first_token()
    return BewaardNode(
        nodelist,
        parser.compile_filter(delen[1]),
        parser.compile_filter(delen[2]),
        parser.compile_filter(delen[4]) if len(delen) == 5 else None,
    )
