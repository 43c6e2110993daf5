"""Where mail for a verband's regisseurs goes when someone who logs in through ACM/IDM has no
e-mail address in the portal: to the verband's contact address."""

from __future__ import annotations

import pytest

from applications.aanvragen.notifications import send_submission_confirmation
from applications.aanvragen.submission import aanvraag_seal
from applications.berichten.models import Bericht
from applications.besturen.selectors import regisseurs_mailadressen

from ..factories import AanvraagFactory, RegieverbandFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_regisseur_with_an_address_gets_the_mail():
    verband = RegieverbandFactory.create(contact_email="contact@verband.example")
    UserFactory.create(email="a@example.org", regisseur_van=[verband])
    UserFactory.create(email="b@example.org", regisseur_van=[verband])
    assert regisseurs_mailadressen(regieverband=verband) == ["a@example.org", "b@example.org"]


def test_a_regisseur_without_an_address_makes_the_contact_address_get_it():
    verband = RegieverbandFactory.create(contact_email="contact@verband.example")
    UserFactory.create(email="a@example.org", regisseur_van=[verband])
    UserFactory.create(
        email="", oidc_issuer="https://op.example", oidc_sub="s1", regisseur_van=[verband]
    )
    assert regisseurs_mailadressen(regieverband=verband) == [
        "a@example.org",
        "contact@verband.example",
    ]


def test_without_addresses_and_contact_nobody_is_mailed():
    verband = RegieverbandFactory.create(contact_email="")
    UserFactory.create(
        email="", oidc_issuer="https://op.example", oidc_sub="s2", regisseur_van=[verband]
    )
    assert regisseurs_mailadressen(regieverband=verband) == []


def test_the_submission_confirmation_goes_to_the_contact_address(oproep):
    verband = RegieverbandFactory.create(contact_email="contact@verband.example")
    rita = UserFactory.create(
        email="", oidc_issuer="https://op.example", oidc_sub="s3", regisseur_van=[verband]
    )
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, ingediend_door=rita)
    indiening = aanvraag_seal(aanvraag=aanvraag, by=rita)
    send_submission_confirmation(aanvraag_id=aanvraag.pk, indiening_id=indiening.pk)
    assert Bericht.objects.get().aan == ["contact@verband.example"]
