import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from applications.aanvragen.completeness import aanvraag_completeness
from applications.aanvragen.models import Aanvraag, Actie, Bijlage
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.submission import aanvraag_submit
from applications.besturen.models import Bevolking, Lidmaatschap, LokaalBestuur

from ..aanvraag_helpers import fill_everything
from ..factories import AanvraagFactory, LidmaatschapFactory, RegieverbandFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2029, 12, 1, 12, 0, tzinfo=datetime.UTC)


def missing_labels(aanvraag: Aanvraag) -> list[str]:
    return [c.label for c in aanvraag_completeness(aanvraag).missing]


def test_complete_aanvraag_has_nothing_missing_and_can_be_submitted(
    aanvraag, regisseur, mailoutbox, django_capture_on_commit_callbacks
):
    fill_everything(aanvraag, regisseur)
    completeness = aanvraag_completeness(aanvraag)
    assert completeness.is_complete
    assert completeness.percent == 100
    assert completeness.total == 2 + 2 + 12 + 2  # contact+member, texts, 4x3 cells, attachments
    with django_capture_on_commit_callbacks(execute=True):
        aanvraag_submit(aanvraag=aanvraag, by=regisseur, now=NOW)
    aanvraag.refresh_from_db()
    assert aanvraag.status == AanvraagStatus.INGEDIEND
    assert aanvraag.ingediend_door == regisseur
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [regisseur.email]
    assert aanvraag.referentie in mailoutbox[0].body
    assert mailoutbox[0].alternatives[0][1] == "text/html"


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("contact_naam", "Contactpersoon met naam en e-mailadres"),
        ("contact_email", "Contactpersoon met naam en e-mailadres"),
        ("omgevingsanalyse", "Omgevingsanalyse"),
        ("visie", "Visie en beleidsplanning"),
    ],
)
def test_each_required_text_is_checked(aanvraag, regisseur, field, label):
    fill_everything(aanvraag, regisseur)
    Aanvraag.objects.filter(pk=aanvraag.pk).update(**{field: "   "})
    aanvraag.refresh_from_db()
    assert missing_labels(aanvraag) == [label]
    with pytest.raises(ValidationError, match=label):
        aanvraag_submit(aanvraag=aanvraag, by=regisseur, now=NOW)


def test_every_priority_needs_an_action_in_every_year(aanvraag, regisseur):
    fill_everything(aanvraag, regisseur)
    Actie.objects.filter(aanvraag=aanvraag, prioriteit__code="WSE-LR3", jaar=2031).delete()
    assert missing_labels(aanvraag) == ["WSE-LR3 in 2031: minstens 1 actie"]


def test_the_minimum_is_a_setting_of_the_call(aanvraag, regisseur):
    fill_everything(aanvraag, regisseur)
    aanvraag.oproep.min_acties_per_prioriteit_per_jaar = 2
    aanvraag.oproep.save()
    assert len([c for c in aanvraag_completeness(aanvraag).missing]) == 12


def test_a_member_is_required(aanvraag, regisseur):
    fill_everything(aanvraag, regisseur)
    Bijlage.objects.filter(aanvraag=aanvraag, bestuur__isnull=False).delete()
    Lidmaatschap.objects.filter(regieverband=aanvraag.regieverband).update(
        tot=datetime.date(2029, 12, 31)
    )
    assert missing_labels(aanvraag) == ["Minstens één lid van het regieverband"]


def test_each_member_needs_its_decision_and_the_lso_is_required(aanvraag, regisseur, verband):
    fill_everything(aanvraag, regisseur)
    LidmaatschapFactory.create(
        regieverband=verband, bestuur=LokaalBestuur.objects.get(nis_code="73042")
    )
    Bijlage.objects.filter(aanvraag=aanvraag, bijlagetype__code="lso-vdab").delete()
    assert missing_labels(aanvraag) == [
        "Beslissing van elk lid: Lanaken",
        "LSO met VDAB",
    ]


def test_member_in_another_aanvraag_of_the_same_call_is_warned(aanvraag, regisseur):
    other = RegieverbandFactory.create(naam="Buurverband")
    LidmaatschapFactory.create(
        regieverband=other, bestuur=LokaalBestuur.objects.get(nis_code="73107")
    )
    AanvraagFactory.create(regieverband=other, oproep=aanvraag.oproep)
    warnings = aanvraag_completeness(aanvraag).warnings
    assert warnings == ["Maasmechelen zit ook in de aanvraag van Buurverband voor deze oproep."]


def test_a_withdrawn_aanvraag_elsewhere_does_not_hide_an_overlap_but_one_here_does(aanvraag):
    other = RegieverbandFactory.create(naam="Buurverband")
    LidmaatschapFactory.create(
        regieverband=other, bestuur=LokaalBestuur.objects.get(nis_code="73107")
    )
    hier = AanvraagFactory.create(regieverband=other, oproep=aanvraag.oproep)
    AanvraagFactory.create(regieverband=other, ingetrokken=True)  # another call
    expected = ["Maasmechelen zit ook in de aanvraag van Buurverband voor deze oproep."]
    assert aanvraag_completeness(aanvraag).warnings == expected
    hier.status = "ingetrokken"
    hier.save()
    assert aanvraag_completeness(aanvraag).warnings == []


def test_population_under_the_minimum_is_warned_with_made_up_figures(aanvraag):
    aanvraag.oproep.min_inwoners = 60000
    aanvraag.oproep.save()
    bestuur = LokaalBestuur.objects.get(nis_code="73107")
    assert aanvraag_completeness(aanvraag).warnings == [
        "Het inwonersaantal is niet gekend voor: Maasmechelen."
    ]
    Bevolking.objects.create(bestuur=bestuur, referentiejaar=2029, inwoners=12345, bron="verzonnen")
    assert aanvraag_completeness(aanvraag).warnings == [
        "De leden tellen samen 12.345 inwoners; de oproep vraagt minstens 60.000."
    ]
    Bevolking.objects.filter(bestuur=bestuur).update(inwoners=60000)
    assert aanvraag_completeness(aanvraag).warnings == []


def test_budget_totals_are_computed(aanvraag, regisseur):
    from applications.aanvragen.selectors import begroting

    fill_everything(aanvraag, regisseur, acties_per_cel=2)
    result = begroting(aanvraag)
    assert result["per_jaar"] == [Decimal("8004.00")] * 3
    assert result["total"] == Decimal("24012.00")
    assert [row["total"] for row in result["rows"]] == [Decimal("6003.00")] * 4


def test_the_begroting_tab_is_ticked_with_the_meerjarenplan(aanvraag, regisseur):
    """The budget is the sum of the actions: it had no rules, so its tab was never ticked."""
    from ..aanvraag_helpers import fill_everything
    from ..conftest import client_for

    pad = f"/aanvragen/{aanvraag.pk}/begroting/"
    leeg = client_for(regisseur).get(pad).content.decode()
    assert "4. Begroting <span" not in leeg
    fill_everything(aanvraag, regisseur)
    vol = client_for(regisseur).get(pad).content.decode()
    assert '4. Begroting <span aria-label="volledig">✔</span>' in vol
