"""The plain document `make bench` times beside the aanvraag's PDF (`pdf_plain_median_s`).

What WeasyPrint itself costs for the same amount of text, so that the aanvraag's PDF is judged
against the engine's floor and not against an absolute number (issue 17): the same text as the
large aanvraag's PDF (the sections, every action with its fields and budget), in the same font
("DejaVu Sans" 9.5 pt, line height 1.4) and page size (A4, the same margins), but laid out as
simply as a document can be:

- headings (h1 for the document, h2 per section and per priority, h3 per action) and paragraphs,
  a long text's label on a line of its own as in the aanvraag; each section and priority starts
  a page, as in the aanvraag, so both have about as many pages (the report prints both counts);
- one small table per action (doelgroep, indicator, partners, budget: four rows of two cells);
- the members, the actions per year and the budget as paragraphs, not tables;
- no tagging (no PDF/UA), no table of contents, no running header or page counter, no cover
  styling, no tables that split over pages.

It reads the aanvraag from the database with plain queries and writes the HTML with f-strings,
so anyone can see what it is; it calls WeasyPrint directly, since the portal's wrapper
(`applications.core.pdf.html_to_pdf`) always asks for a tagged PDF/UA-1.
"""

from __future__ import annotations

from django.utils.html import escape

from applications.aanvragen.models import Aanvraag, Actie
from applications.aanvragen.selectors import begroting, leden_van_aanvraag

STYLE = """
@page { size: A4; margin: 20mm 18mm 22mm 18mm; }
html { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; line-height: 1.4; }
h1 { font-size: 18pt; }
h2 { font-size: 14pt; break-before: page; }
h3 { font-size: 10pt; }
p { margin: 0 0 2mm; }
table { border-collapse: collapse; margin: 0 0 4mm; }
th, td { text-align: left; padding: 1mm 2mm; border: .5pt solid #999; }
"""


def _paragraphs(text: str) -> str:
    """A text as paragraphs, split where the user left an empty line."""
    return "\n".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())


def _actie(actie: Actie) -> str:
    rows = (
        ("Doelgroep", actie.doelgroep),
        ("Indicator", actie.indicator),
        ("Partners", actie.partners),
        ("Budget", f"EUR {actie.budget:.2f}"),
    )
    table = "".join(f"<tr><th>{label}</th><td>{escape(value)}</td></tr>" for label, value in rows)
    return (
        f"<h3>{escape(actie.prioriteit.code)} {actie.jaar}: {escape(actie.titel)}</h3>\n"
        f"<p>Beschrijving</p>\n{_paragraphs(actie.beschrijving)}\n"
        f"<p>Verwacht resultaat</p>\n{_paragraphs(actie.verwacht_resultaat)}\n"
        f"<table>{table}</table>"
    )


def _jaar(acties: list[Actie]) -> str:
    """The actions of one priority in one year, as the aanvraag's table lists them."""
    eerste = acties[0]
    regels = "; ".join(
        f"{n}. {escape(a.titel)}, EUR {a.budget:.2f}" for n, a in enumerate(acties, start=1)
    )
    return f"<p>{escape(eerste.prioriteit.code)} {eerste.jaar}: {len(acties)} acties: {regels}.</p>"


def plain_html(aanvraag: Aanvraag) -> str:
    """The plain document of an aanvraag: see the module's docstring."""
    aanvraag = Aanvraag.objects.select_related("regieverband", "oproep").get(pk=aanvraag.pk)
    acties = list(
        aanvraag.acties.select_related("prioriteit").order_by(
            "prioriteit__code", "jaar", "volgorde", "pk"
        )
    )
    leden = ", ".join(
        f"{escape(b.naam)} ({b.nis_code}, {escape(b.get_provincie_display())})"
        for b in leden_van_aanvraag(aanvraag)
    )
    budget = begroting(aanvraag)
    parts = [
        f"<h1>Aanvraag {escape(aanvraag.referentie)}: {escape(aanvraag.regieverband.naam)}</h1>",
        f"<p>{escape(aanvraag.oproep.naam)}. Contact: {escape(aanvraag.contact_naam)},"
        f" {escape(aanvraag.contact_functie)}, {escape(aanvraag.contact_email)},"
        f" {escape(aanvraag.contact_telefoon)}.</p>",
        f"<p>Leden: {leden}.</p>",
        "<h2>1. Omgevingsanalyse</h2>",
        _paragraphs(aanvraag.omgevingsanalyse),
        "<h2>2. Visie en beleidsplanning</h2>",
        _paragraphs(aanvraag.visie),
        "<h2>3. Meerjarenplan</h2>",
    ]
    prioriteit = None
    per_jaar: dict[tuple[int, int], list[Actie]] = {}
    for actie in acties:
        per_jaar.setdefault((actie.prioriteit_id, actie.jaar), []).append(actie)
    for actie in acties:
        if actie.prioriteit != prioriteit:
            prioriteit = actie.prioriteit
            parts.append(f"<h2>{escape(prioriteit.code)} {escape(prioriteit.titel)}</h2>")
            parts += [_jaar(cel) for (p, _), cel in per_jaar.items() if p == prioriteit.pk]
        parts.append(_actie(actie))
    parts += [
        "<h2>4. Begroting</h2>",
        *(
            f"<p>{escape(row['prioriteit'].code)}: "
            + ", ".join(
                f"{jaar} EUR {cel:.2f}"
                for jaar, cel in zip(budget["jaren"], row["cells"], strict=True)
            )
            + f"; totaal EUR {row['total']:.2f}.</p>"
            for row in budget["rows"]
        ),
        f"<p>Totaal EUR {budget['total']:.2f}.</p>",
    ]
    body = "\n".join(parts)
    return (
        '<!DOCTYPE html><html lang="nl-BE"><head><meta charset="utf-8">'
        f"<title>Gewoon document</title><style>{STYLE}</style></head><body>\n{body}\n</body></html>"
    )


def render_plain(html: str) -> bytes:
    """The plain document as an ordinary (untagged) PDF."""
    from weasyprint import HTML

    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return pdf
