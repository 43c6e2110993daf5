"""The read-only API: tokens (hashed, expiring, revocable, scoped), the same object permissions
as the pages, filters, pages, conditional requests, the log and the rate limit."""

from __future__ import annotations

import datetime
import hashlib
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date

from applications.aanvragen.models import Aanvraag
from applications.api.models import ApiAanroep, ApiToken

from .conftest import Api, vraag

pytestmark = pytest.mark.django_db

ENDPOINTS = (
    "/api/v1/oproepen/",
    "/api/v1/prioriteiten/",
    "/api/v1/regieverbanden/",
    "/api/v1/aanvragen/",
    "/api/v1/beslissingen/",
)


def _data(response) -> dict:
    assert response.status_code == 200, response.content
    return json.loads(response.content)


@pytest.mark.parametrize("url", ENDPOINTS)
def test_without_a_valid_token_every_endpoint_answers_401(api: Api, url):
    for token in (None, "rr_bestaatniet_x", api.verlopen, api.ingetrokken, api.alice + "x"):
        response = vraag(token, url)
        assert response.status_code == 401, (token, response.status_code)
        assert response["WWW-Authenticate"] == "Bearer"


def test_a_token_of_a_deactivated_regisseur_stops_working(api: Api, regisseur):
    assert vraag(api.alice, "/api/v1/aanvragen/").status_code == 200
    regisseur.is_active = False
    regisseur.save()
    assert vraag(api.alice, "/api/v1/aanvragen/").status_code == 401


def test_a_token_reads_only_its_scopes(api: Api):
    assert vraag(api.alleen_oproepen, "/api/v1/oproepen/").status_code == 200
    assert vraag(api.alleen_oproepen, "/api/v1/prioriteiten/").status_code == 200
    for url in ENDPOINTS[2:]:
        assert vraag(api.alleen_oproepen, url).status_code == 403


def test_a_regisseurs_token_sees_only_its_verband(api: Api):
    ids = [a["id"] for a in _data(vraag(api.alice, "/api/v1/aanvragen/"))["results"]]
    assert ids == [api.eigen.pk]
    assert vraag(api.alice, f"/api/v1/aanvragen/{api.ander.pk}/").status_code == 404
    assert vraag(api.bob, f"/api/v1/aanvragen/{api.eigen.pk}/").status_code == 404
    verbanden = _data(vraag(api.alice, "/api/v1/regieverbanden/"))["results"]
    assert [v["id"] for v in verbanden] == [api.eigen.regieverband_id]
    assert (
        vraag(api.alice, f"/api/v1/regieverbanden/{api.ander.regieverband_id}/").status_code == 404
    )
    beslissingen = _data(vraag(api.bob, "/api/v1/beslissingen/"))["results"]
    assert beslissingen == []


def test_a_wse_system_token_sees_everything(api: Api):
    ids = {a["id"] for a in _data(vraag(api.systeem, "/api/v1/aanvragen/"))["results"]}
    assert ids == {api.eigen.pk, api.ander.pk}
    assert (
        vraag(api.systeem, f"/api/v1/regieverbanden/{api.ander.regieverband_id}/").status_code
        == 200
    )


def test_an_aanvraag_with_amounts_asked_and_granted_and_its_actions(api: Api):
    a = _data(vraag(api.alice, f"/api/v1/aanvragen/{api.eigen.pk}/"))
    assert a["status"] == "goedgekeurd"
    assert a["referentie"] == api.eigen.referentie
    assert a["gevraagd"] == {"2030": "3500.50", "2031": "4000.00"}
    assert a["toegekend"] == {"2030": "3000.00", "2031": "4000.00", "2032": "0.00"}
    assert [(x["jaar"], x["prioriteit"], x["budget"]) for x in a["acties"]] == [
        (2030, "WSE-LR1", "1000.00"),
        (2030, "WSE-LR2", "2500.50"),
        (2031, "WSE-LR1", "4000.00"),
    ]
    tekst = json.dumps(a)
    assert "Geheim Contact" not in tekst  # no contact persons
    assert "contact" not in tekst


def test_the_verband_with_its_members_and_the_decision(api: Api):
    verband = _data(vraag(api.alice, f"/api/v1/regieverbanden/{api.eigen.regieverband_id}/"))
    assert [lid["bestuur"]["nis_code"] for lid in verband["leden"]] == ["73107"]
    (beslissing,) = _data(vraag(api.alice, "/api/v1/beslissingen/"))["results"]
    assert beslissing["aanvraag"] == api.eigen.pk
    assert beslissing["uitkomst"] == "goedgekeurd"
    assert beslissing["toegekend"]["2030"] == "3000.00"


def test_filters_by_call_status_verband_and_time_of_change(api: Api):
    def ids(query: str) -> set[int]:
        return {
            a["id"] for a in _data(vraag(api.systeem, f"/api/v1/aanvragen/?{query}"))["results"]
        }

    assert ids("status=ingediend") == {api.ander.pk}
    assert ids(f"regieverband={api.eigen.regieverband_id}") == {api.eigen.pk}
    assert ids("oproep=open-test") == {api.eigen.pk, api.ander.pk}
    assert ids("oproep=bestaat-niet") == set()
    later = timezone.now() + datetime.timedelta(minutes=1)
    assert ids(f"gewijzigd_sinds={later.isoformat().replace('+', '%2B')}") == set()
    Aanvraag.objects.filter(pk=api.ander.pk).update(gewijzigd_op=later)
    assert ids(f"gewijzigd_sinds={later.isoformat().replace('+', '%2B')}") == {api.ander.pk}
    for fout in ("status=onzin", "regieverband=abc", "gewijzigd_sinds=gisteren"):
        assert vraag(api.systeem, f"/api/v1/aanvragen/?{fout}").status_code == 400


def test_pages(api: Api):
    eerste = _data(vraag(api.systeem, "/api/v1/aanvragen/?per_pagina=1"))
    assert eerste["count"] == 2
    assert len(eerste["results"]) == 1
    assert "pagina=2" in eerste["next"]
    tweede = _data(vraag(api.systeem, "/api/v1/aanvragen/?per_pagina=1&pagina=2"))
    assert {eerste["results"][0]["id"], tweede["results"][0]["id"]} == {api.eigen.pk, api.ander.pk}


def test_etag_and_last_modified_answer_304_until_something_changes(api: Api):
    url = "/api/v1/aanvragen/"
    eerste = vraag(api.systeem, url)
    etag, gewijzigd = eerste["ETag"], eerste["Last-Modified"]
    assert vraag(api.systeem, url, if_none_match=etag).status_code == 304
    assert vraag(api.systeem, url, if_modified_since=gewijzigd).status_code == 304
    Aanvraag.objects.filter(pk=api.ander.pk).update(
        gewijzigd_op=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert vraag(api.systeem, url, if_none_match=etag).status_code == 200
    assert vraag(api.systeem, url, if_modified_since=gewijzigd).status_code == 200
    # The ETag depends on what the token may see: alice's list is another version.
    assert vraag(api.alice, url)["ETag"] != vraag(api.systeem, url)["ETag"]
    assert vraag(api.alice, url, if_modified_since=http_date(0)).status_code == 200


def test_every_call_is_logged_with_its_token_and_answer(api: Api):
    ApiAanroep.objects.all().delete()
    vraag(api.alice, "/api/v1/aanvragen/?status=goedgekeurd")
    vraag(api.alice, f"/api/v1/aanvragen/{api.ander.pk}/")
    vraag("rr_bestaatniet_x", "/api/v1/oproepen/")
    log = list(ApiAanroep.objects.order_by("pk").values_list("token__prefix", "pad", "status"))
    prefix = api.alice.split("_")[1]
    assert log == [
        (prefix, "/api/v1/aanvragen/?status=goedgekeurd", 200),
        (prefix, f"/api/v1/aanvragen/{api.ander.pk}/", 404),
        (None, "/api/v1/oproepen/", 401),
    ]
    assert ApiToken.objects.get(prefix=prefix).laatst_gebruikt_op is not None


def test_the_rate_limit_is_per_token(api: Api):
    prefix = api.alice.split("_")[1]
    ApiToken.objects.filter(prefix=prefix).update(per_uur=2)
    assert vraag(api.alice, "/api/v1/oproepen/").status_code == 200
    assert vraag(api.alice, "/api/v1/oproepen/").status_code == 200
    derde = vraag(api.alice, "/api/v1/oproepen/")
    assert derde.status_code == 429
    assert 0 < int(derde["Retry-After"]) <= 3600
    # Another token of the same regisseur has its own count.
    assert vraag(api.alleen_oproepen, "/api/v1/oproepen/").status_code == 200
    # An hour later the oldest calls have left the window.
    ApiAanroep.objects.filter(token__prefix=prefix).update(
        op=timezone.now() - datetime.timedelta(hours=1, seconds=1)
    )
    assert vraag(api.alice, "/api/v1/oproepen/").status_code == 200


def test_tokens_are_kept_as_hashes_only(api: Api):
    for tekst in (api.alice, api.systeem):
        prefix, geheim = tekst.removeprefix("rr_").split("_", 1)
        token = ApiToken.objects.get(prefix=prefix)
        assert token.sleutel_hash == hashlib.sha256(geheim.encode()).hexdigest()
        rij = json.dumps(list(ApiToken.objects.filter(pk=token.pk).values()), default=str)
        assert geheim not in rij


def test_the_openapi_schema_validates_without_warnings():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_the_schema_and_its_documentation_are_public_and_served_from_this_site():
    client = Client()
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/aanvragen/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html
