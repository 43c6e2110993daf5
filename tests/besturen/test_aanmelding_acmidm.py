"""Logging in through OpenID Connect (ACM/IDM), against a real provider on loopback
(`tests/oidc_provider.py`): the whole flow through the test client, what the portal sends, and
every refusal (a token for another audience, from another issuer, signed with a foreign key,
with another nonce, expired; a used or unknown state; no role; an unknown organisation)."""

from __future__ import annotations

import base64
import hashlib
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from joserfc.jwk import RSAKey

from applications.accounts.constants import Rol
from applications.accounts.forms import BeheerUserChangeForm
from applications.accounts.models import User
from applications.accounts.oidc import ID_TOKEN, OidcFout, _controleer_publiek
from applications.audit.models import Auditregel
from applications.besturen.aanmelding import Weigering, oidc_aanmelden
from applications.besturen.kbo import FICTIEF_KBO
from applications.besturen.models import LokaalBestuur, Regieverband

from ..conftest import WSE_ORGCODE
from ..factories import LidmaatschapFactory, LokaalBestuurFactory, RegieverbandFactory, UserFactory
from ..oidc_provider import KID, Provider

pytestmark = pytest.mark.django_db

# Made-up KBO numbers with valid check digits (97 - first eight mod 97), plainly not real.
KBO_OCMW = "0000000196"
KBO_VERBAND = "0000000295"
KBO_ONBEKEND = "0000000394"


@pytest.fixture
def trekker(db: None) -> LokaalBestuur:
    return met_kbo(LokaalBestuurFactory.create(nis_code="73107"), FICTIEF_KBO, KBO_OCMW)


def met_kbo(bestuur: LokaalBestuur, gemeente: str, ocmw: str = "") -> LokaalBestuur:
    """The imported bestuur (the migration loads all 285) with made-up KBO numbers."""
    bestuur.kbo_gemeente, bestuur.kbo_ocmw = gemeente, ocmw
    bestuur.save()
    return bestuur


@pytest.fixture
def getrokken(trekker: LokaalBestuur) -> Regieverband:
    verband = RegieverbandFactory.create(naam="Maasland (test)", trekker=trekker)
    LidmaatschapFactory.create(regieverband=verband, bestuur=trekker)
    return verband


def persoon(sub: str = "sub-rita", *rollen: str, **claims: Any) -> dict[str, Any]:
    """The claims ACM/IDM gives a person: a regisseur of the demo's trekker by default."""
    return {
        "sub": sub,
        "vo_id": f"vo-{sub}",
        "given_name": "Rita",
        "family_name": "Regisseur",
        "vo_orgcode": FICTIEF_KBO,
        "vo_orgnaam": "Gemeente Maasmechelen (test)",
        "regierol_rol_3d": list(rollen) or [f"RegierolRegisseur:{FICTIEF_KBO}"],
        **claims,
    }


def naar_provider(client: Client, provider: Provider, claims: dict[str, Any], **params: str):
    """Click "Aanmelden met ACM/IDM" and let the provider log in `claims`: the portal's
    redirect back, not yet followed."""
    provider.persoon = claims
    naar = client.get(reverse("acmidm_aanmelden"), params)
    assert naar.status_code == 302
    assert naar["Location"].startswith(f"{provider.issuer}/authorize?")
    terug = requests.get(naar["Location"], allow_redirects=False, timeout=10)
    assert terug.status_code == 302, terug.text
    return terug.headers["Location"]


def aanmelden(client: Client, provider: Provider, claims: dict[str, Any], **params: str):
    terug = urlsplit(naar_provider(client, provider, claims, **params))
    assert terug.path == reverse("acmidm_terug")
    return client.get(f"{terug.path}?{terug.query}")


def wachtwoord_login(client: Client, email: str):
    return client.post(reverse("login"), {"username": email, "password": "geheim-wachtwoord-123"})


def ingelogd(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


# --- The login page -----------------------------------------------------------------------------


def test_login_page_shows_acmidm_first_when_configured(acmidm):
    html = Client().get(reverse("login")).content.decode()
    assert "Aanmelden met ACM/IDM" in html
    assert html.index("Aanmelden met ACM/IDM") < html.index('name="password"')


def test_login_page_without_configuration_has_only_the_password(settings):
    settings.OIDC_ISSUER = ""
    html = Client().get(reverse("login")).content.decode()
    assert "ACM/IDM" not in html
    assert 'name="password"' in html
    assert Client().get(reverse("acmidm_aanmelden")).status_code == 404
    assert Client().get(reverse("acmidm_terug")).status_code == 404


# --- A regisseur --------------------------------------------------------------------------------


def test_regisseur_of_the_trekker_logs_in_and_gets_the_verband(acmidm, getrokken):
    andere = RegieverbandFactory.create(naam="Een ander verband (test)")
    client = Client()
    response = aanmelden(client, acmidm, persoon())
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    user = ingelogd(client)
    assert user is not None
    assert (user.oidc_issuer, user.oidc_sub, user.vo_id) == (
        acmidm.issuer,
        "sub-rita",
        "vo-sub-rita",
    )
    assert (user.first_name, user.last_name, user.email) == ("Rita", "Regisseur", "")
    assert user.is_regisseur
    assert set(user.regieverbanden.all()) == {getrokken}
    assert andere not in user.regieverbanden.all()
    assert not user.has_usable_password()
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Uw account is aangemaakt met de gegevens van ACM/IDM" in dashboard
    assert "Maasland (test)" in dashboard
    assert "Rita Regisseur" in dashboard  # the name where a password user's address stands
    assert client.get(reverse("regieverband_detail", args=[getrokken.pk])).status_code == 200
    assert client.get(reverse("regieverband_detail", args=[andere.pk])).status_code == 404


def test_the_ocmw_number_counts_as_the_bestuur(acmidm, getrokken):
    client = Client()
    aanmelden(client, acmidm, persoon("sub-ocmw", f"RegierolRegisseur:{KBO_OCMW}"))
    user = ingelogd(client)
    assert user is not None and set(user.regieverbanden.all()) == {getrokken}


def test_a_verband_with_its_own_kbo_number(acmidm):
    vereniging = RegieverbandFactory.create(naam="KINA (test)", trekker=None, kbo=KBO_VERBAND)
    client = Client()
    aanmelden(client, acmidm, persoon("sub-kina", f"RegierolRegisseur:{KBO_VERBAND}"))
    user = ingelogd(client)
    assert user is not None and set(user.regieverbanden.all()) == {vereniging}


def test_a_member_bestuur_gives_its_verbanden_only_when_the_setting_says_so(
    acmidm, getrokken, settings
):
    met_kbo(LokaalBestuur.objects.get(nis_code="73107"), FICTIEF_KBO)
    lid = met_kbo(LokaalBestuurFactory.create(nis_code="72018"), KBO_OCMW)
    LidmaatschapFactory.create(regieverband=getrokken, bestuur=lid)
    claims = persoon("sub-lid", f"RegierolRegisseur:{KBO_OCMW}")
    # Kinrooi is a member, not the trekker: without the setting it leads no verband.
    settings.OIDC_LEDEN_ZIJN_REGISSEUR = False
    assert aanmelden(Client(), acmidm, claims).status_code == 403
    settings.OIDC_LEDEN_ZIJN_REGISSEUR = True
    client = Client()
    aanmelden(client, acmidm, claims)
    user = ingelogd(client)
    assert user is not None and set(user.regieverbanden.all()) == {getrokken}


def test_the_portal_asks_for_pkce_s256_and_proves_the_verifier(acmidm, getrokken):
    aanmelden(Client(), acmidm, persoon())
    [autorisatie] = acmidm.verzoeken_naar("/authorize")
    [token] = acmidm.verzoeken_naar("/token")
    assert autorisatie["code_challenge_method"] == "S256"
    assert autorisatie["response_type"] == "code"
    assert set(autorisatie["scope"].split()) == {"openid", "profile", "vo", "regierol_rol_3d"}
    assert autorisatie["nonce"] and autorisatie["state"]
    verwacht = (
        base64.urlsafe_b64encode(hashlib.sha256(token["code_verifier"].encode()).digest())
        .rstrip(b"=")
        .decode()
    )
    assert autorisatie["code_challenge"] == verwacht
    # The secret went in the Authorization header (client_secret_basic), not in the form.
    assert "client_secret" not in token


def test_the_provider_refuses_a_request_without_pkce(acmidm):
    """The test provider enforces PKCE, so the flow above proves the portal's PKCE works."""
    acmidm.persoon = persoon()
    antwoord = requests.get(
        f"{acmidm.issuer}/authorize",
        params={
            "response_type": "code",
            "client_id": acmidm.klant.client_id,
            "redirect_uri": acmidm.klant.redirect_uris[0],
            "scope": "openid",
            "state": "s",
            "nonce": "n",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert antwoord.status_code == 400
    assert "code_challenge" in antwoord.text


def test_a_wrong_pkce_verifier_is_refused_by_the_provider(acmidm, getrokken, monkeypatch):
    from authlib.integrations.base_client import sync_app

    echte = sync_app.OAuth2Base._format_state_params

    def verkeerde_verifier(state_data, params):
        params = echte(state_data, params)
        params["code_verifier"] = "x" * 50
        return params

    monkeypatch.setattr(
        sync_app.OAuth2Base, "_format_state_params", staticmethod(verkeerde_verifier)
    )
    client = Client()
    response = aanmelden(client, acmidm, persoon())
    assert response.status_code == 400
    assert ingelogd(client) is None


def test_next_is_kept_through_the_provider(acmidm, getrokken):
    response = aanmelden(Client(), acmidm, persoon(), next=f"/regieverbanden/{getrokken.pk}/")
    assert response["Location"] == f"/regieverbanden/{getrokken.pk}/"


def test_next_to_another_site_is_ignored(acmidm, getrokken):
    response = aanmelden(Client(), acmidm, persoon(), next="https://evil.example/")
    assert response["Location"] == reverse("dashboard")


# --- WSE ----------------------------------------------------------------------------------------


def test_a_wse_reviewer_logs_in_and_still_gives_the_second_step(acmidm):
    client = Client()
    response = aanmelden(
        client,
        acmidm,
        persoon("sub-wse", f"RegierolBeoordelaar:{WSE_ORGCODE}", vo_orgcode=WSE_ORGCODE),
    )
    assert response.status_code == 302
    user = ingelogd(client)
    assert user is not None and user.is_beoordelaar and not user.is_regisseur
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("tweestaps_controleren"))


def test_a_beheerder_role(acmidm):
    client = Client()
    aanmelden(client, acmidm, persoon("sub-beheer", f"RegierolBeheerder:{WSE_ORGCODE.lower()}"))
    user = ingelogd(client)
    assert user is not None and user.is_beheerder


def test_a_reviewer_role_of_another_organisation_is_refused(acmidm, getrokken):
    client = Client()
    response = aanmelden(client, acmidm, persoon("sub-x", f"RegierolBeoordelaar:{FICTIEF_KBO}"))
    assert response.status_code == 403
    assert ingelogd(client) is None
    assert not User.objects.filter(oidc_sub="sub-x").exists()


# --- Refusals of the token ----------------------------------------------------------------------


def _geweigerd_zonder_account(client: Client, response, sub: str = "sub-rita") -> None:
    assert response.status_code == 400
    assert "Het antwoord van ACM/IDM kon niet worden nagekeken" in response.content.decode()
    assert ingelogd(client) is None
    assert not User.objects.filter(oidc_sub=sub).exists()


def test_a_token_for_another_audience_is_refused(acmidm, getrokken):
    client = Client()
    _geweigerd_zonder_account(client, aanmelden(client, acmidm, persoon(aud=["ander-portaal"])))


def test_a_token_for_several_audiences_without_azp_is_refused(acmidm, getrokken):
    client = Client()
    claims = persoon(aud=[acmidm.klant.client_id, "ander-portaal"])
    _geweigerd_zonder_account(client, aanmelden(client, acmidm, claims))


def test_a_token_from_another_issuer_is_refused(acmidm, getrokken):
    client = Client()
    claims = persoon(iss="https://authenticatie.example/op")
    _geweigerd_zonder_account(client, aanmelden(client, acmidm, claims))


def test_a_token_signed_with_a_foreign_key_is_refused(acmidm, getrokken):
    acmidm.vreemde_sleutel = RSAKey.generate_key(2048, {"kid": KID})
    client = Client()
    _geweigerd_zonder_account(client, aanmelden(client, acmidm, persoon()))


def test_a_token_with_another_nonce_is_refused(acmidm, getrokken):
    client = Client()
    _geweigerd_zonder_account(client, aanmelden(client, acmidm, persoon(nonce="een-andere")))


def test_an_expired_token_is_refused_beyond_the_clock_skew(acmidm, getrokken, settings):
    settings.OIDC_KLOKSPELING_SECONDEN = 60
    nu = int(time.time())
    client = Client()
    claims = persoon(exp=nu - 120, iat=nu - 600)
    _geweigerd_zonder_account(client, aanmelden(client, acmidm, claims))


def test_a_token_just_within_the_clock_skew_is_accepted(acmidm, getrokken, settings):
    settings.OIDC_KLOKSPELING_SECONDEN = 60
    nu = int(time.time())
    client = Client()
    aanmelden(client, acmidm, persoon(exp=nu - 20, iat=nu - 600))
    assert ingelogd(client) is not None


def test_a_replayed_answer_is_refused(acmidm, getrokken):
    """The state is used once: the same answer a second time (here in another session that
    went through the first step too) does not log in."""
    client = Client()
    terug = urlsplit(naar_provider(client, acmidm, persoon()))
    assert client.get(f"{terug.path}?{terug.query}").status_code == 302
    client.logout()
    tweede = Client()
    tweede.get(reverse("acmidm_aanmelden"))
    response = tweede.get(f"{terug.path}?{terug.query}")
    assert response.status_code == 400
    assert ingelogd(tweede) is None
    # And in the first browser, after logging out, the used state does not work again either.
    assert client.get(f"{terug.path}?{terug.query}").status_code == 400


def test_an_answer_with_another_state_is_refused(acmidm, getrokken):
    client = Client()
    terug = urlsplit(naar_provider(client, acmidm, persoon()))
    params = parse_qs(terug.query)
    response = client.get(terug.path, {"code": params["code"][0], "state": "verzonnen"})
    _geweigerd_zonder_account(client, response)


def test_an_answer_begun_in_another_browser_is_refused(acmidm, getrokken):
    """Login CSRF: an attacker's code and state, pushed into a victim's browser."""
    aanvaller = Client()
    terug = urlsplit(naar_provider(aanvaller, acmidm, persoon("sub-aanvaller")))
    slachtoffer = Client()
    response = slachtoffer.get(f"{terug.path}?{terug.query}")
    _geweigerd_zonder_account(slachtoffer, response, sub="sub-aanvaller")


def test_an_error_from_the_provider_is_refused(acmidm):
    client = Client()
    client.get(reverse("acmidm_aanmelden"))
    response = client.get(reverse("acmidm_terug"), {"error": "access_denied", "state": "x"})
    assert response.status_code == 400
    assert ingelogd(client) is None


def test_discovery_naming_another_issuer_is_refused(acmidm, settings):
    settings.OIDC_ISSUER = acmidm.issuer + "/"  # the document names it without the slash
    response = Client().get(reverse("acmidm_aanmelden"))
    assert response.status_code == 503
    assert "ACM/IDM is nu niet bereikbaar" in response.content.decode()


def test_discovery_and_keys_are_kept_in_the_cache(acmidm, getrokken):
    aanmelden(Client(), acmidm, persoon("sub-een"))
    aanmelden(Client(), acmidm, persoon("sub-twee"))
    assert len(acmidm.verzoeken_naar("/.well-known/openid-configuration")) == 1
    assert len(acmidm.verzoeken_naar("/jwks")) == 1
    cache.clear()
    aanmelden(Client(), acmidm, persoon("sub-drie"))
    assert len(acmidm.verzoeken_naar("/.well-known/openid-configuration")) == 2


# --- Roles and organisations --------------------------------------------------------------------


def test_without_a_role_the_login_is_refused_in_dutch(acmidm, getrokken):
    client = Client()
    response = aanmelden(client, acmidm, persoon("sub-zonder", "AndereApp:0000000097"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "u hebt geen rol voor het portaal" in html
    assert "lokale beheerder van ACM/IDM" in html
    assert ingelogd(client) is None
    assert not User.objects.filter(oidc_sub="sub-zonder").exists()


def test_no_role_claim_at_all_is_refused(acmidm, getrokken):
    claims = persoon("sub-leeg")
    del claims["regierol_rol_3d"]
    client = Client()
    assert aanmelden(client, acmidm, claims).status_code == 403
    assert not User.objects.filter(oidc_sub="sub-leeg").exists()


def test_a_role_for_an_unknown_organisation_is_refused_in_dutch(acmidm, getrokken):
    client = Client()
    claims = persoon("sub-vreemd", f"RegierolRegisseur:{KBO_ONBEKEND}", vo_orgnaam="Vreemdgem")
    response = aanmelden(client, acmidm, claims)
    assert response.status_code == 403
    html = response.content.decode()
    assert "kent het portaal niet" in html
    assert KBO_ONBEKEND in html and "Vreemdgem" in html
    assert ingelogd(client) is None
    assert not User.objects.filter(oidc_sub="sub-vreemd").exists()


def test_a_known_and_an_unknown_organisation_give_the_known_one(acmidm, getrokken):
    client = Client()
    claims = persoon(
        "sub-twee-rollen",
        f"RegierolRegisseur:{KBO_ONBEKEND}",
        f"RegierolRegisseur:{FICTIEF_KBO}",
    )
    aanmelden(client, acmidm, claims)
    user = ingelogd(client)
    assert user is not None and set(user.regieverbanden.all()) == {getrokken}


def test_the_role_names_are_settings(acmidm, getrokken, settings):
    settings.OIDC_ROL_REGISSEUR = "LokaleRegisseur"
    client = Client()
    assert aanmelden(client, acmidm, persoon()).status_code == 403
    aanmelden(client, acmidm, persoon("sub-rita", f"LokaleRegisseur:{FICTIEF_KBO}"))
    assert ingelogd(client) is not None


# --- Who the person is: the subject, never the e-mail address -----------------------------------


def test_the_same_email_with_another_subject_does_not_log_in_as_the_other(acmidm, getrokken):
    ander = UserFactory.create(email="rita@example.org", first_name="Andere", regisseur_van=[])
    client = Client()
    aanmelden(client, acmidm, persoon("sub-nieuw", email="Rita@Example.org"))
    user = ingelogd(client)
    assert user is not None and user.pk != ander.pk
    assert user.email == ""  # the address belongs to another account: not taken
    ander.refresh_from_db()
    assert ander.oidc_sub == "" and ander.first_name == "Andere"


def test_an_email_nobody_has_is_kept(acmidm, getrokken):
    client = Client()
    aanmelden(client, acmidm, persoon("sub-mail", email="Nieuw@Example.org"))
    user = ingelogd(client)
    assert user is not None and user.email == "nieuw@example.org"


def test_a_later_login_updates_the_name_and_finds_the_same_account(acmidm, getrokken):
    eerste = Client()
    aanmelden(eerste, acmidm, persoon())
    user = ingelogd(eerste)
    assert user is not None
    tweede = Client()
    aanmelden(tweede, acmidm, persoon(given_name="Rita-Maria", family_name="Regisseur-Peeters"))
    assert ingelogd(tweede) == user
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Rita-Maria", "Regisseur-Peeters")
    assert User.objects.filter(oidc_sub="sub-rita").count() == 1
    # The welcome is for the first login only.
    assert "aangemaakt" not in tweede.get(reverse("dashboard")).content.decode()


def test_a_later_login_takes_back_what_acmidm_no_longer_gives(acmidm, getrokken):
    """The bestuur's ACM/IDM administrator withdrew the role for Maasmechelen and gave one for
    the KINA vereniging: the next login takes Maasland away and gives KINA; what a beheerder
    gave besides (another verband) stays."""
    vereniging = RegieverbandFactory.create(naam="KINA (test)", trekker=None, kbo=KBO_VERBAND)
    door_beheerder = RegieverbandFactory.create(naam="Door de beheerder (test)")
    aanmelden(Client(), acmidm, persoon())
    user = User.objects.get(oidc_sub="sub-rita")
    door_beheerder.regisseurs.add(user)
    assert set(user.regieverbanden.all()) == {getrokken, door_beheerder}

    client = Client()
    aanmelden(client, acmidm, persoon("sub-rita", f"RegierolRegisseur:{KBO_VERBAND}"))
    assert ingelogd(client) == user
    assert set(user.regieverbanden.all()) == {vereniging, door_beheerder}
    regel = Auditregel.objects.filter(soort=Auditregel.Soort.AANMELDING).latest("pk")
    assert regel.gegevens["ingetrokken"] == f"regieverband {getrokken.pk}"

    # Now a reviewer of WSE only: the regisseur's role and KINA go, the beheerder's verband stays.
    aanmelden(Client(), acmidm, persoon("sub-rita", f"RegierolBeoordelaar:{WSE_ORGCODE}"))
    user.refresh_from_db()
    assert set(user.groups.values_list("name", flat=True)) == {Rol.BEOORDELAAR.value}
    assert set(user.regieverbanden.all()) == {door_beheerder}
    assert user.oidc_rechten == {"rollen": [Rol.BEOORDELAAR.value], "verbanden": []}


def test_a_deactivated_account_is_refused(acmidm, getrokken):
    UserFactory.create(email="", oidc_issuer=acmidm.issuer, oidc_sub="sub-rita", is_active=False)
    client = Client()
    response = aanmelden(client, acmidm, persoon())
    assert response.status_code == 403
    assert "gedeactiveerd" in response.content.decode()
    assert ingelogd(client) is None


# --- Linking an account that has a password -----------------------------------------------------


def test_password_then_acmidm_links_the_account(acmidm, getrokken):
    bestaand = UserFactory.create(email="rita@example.org", regisseur_van=[getrokken])
    client = Client()
    client.post(
        reverse("login"), {"username": "rita@example.org", "password": "geheim-wachtwoord-123"}
    )
    assert ingelogd(client) == bestaand
    aanmelden(client, acmidm, persoon("sub-rita"))
    assert ingelogd(client) == bestaand
    bestaand.refresh_from_db()
    assert (bestaand.oidc_issuer, bestaand.oidc_sub) == (acmidm.issuer, "sub-rita")
    assert "gekoppeld aan ACM/IDM" in client.get(reverse("dashboard")).content.decode()
    # From now on ACM/IDM alone finds this account.
    later = Client()
    aanmelden(later, acmidm, persoon("sub-rita"))
    assert ingelogd(later) == bestaand


def test_without_the_password_login_nothing_is_linked(acmidm, getrokken):
    bestaand = UserFactory.create(email="rita@example.org", regisseur_van=[getrokken])
    client = Client()
    aanmelden(client, acmidm, persoon("sub-rita", email="rita@example.org"))
    assert ingelogd(client) != bestaand
    bestaand.refresh_from_db()
    assert bestaand.oidc_sub == ""


def test_an_account_linked_to_another_subject_is_never_relinked(acmidm, getrokken):
    gekoppeld = UserFactory.create(
        email="rita@example.org", oidc_issuer=acmidm.issuer, oidc_sub="sub-eerste"
    )
    with pytest.raises(Weigering) as fout:
        oidc_aanmelden(claims=persoon("sub-tweede", iss=acmidm.issuer), ingelogd=gekoppeld)
    assert fout.value.reden == Weigering.ANDER_SUBJECT
    gekoppeld.refresh_from_db()
    assert gekoppeld.oidc_sub == "sub-eerste"
    # Through the browser: logged in with that password, the other subject gets its own account.
    client = Client()
    client.force_login(gekoppeld)
    aanmelden(client, acmidm, persoon("sub-tweede"))
    user = ingelogd(client)
    assert user is not None and user != gekoppeld and user.oidc_sub == "sub-tweede"


def test_a_beheerder_links_an_account_to_a_subject(acmidm, getrokken):
    bestaand = UserFactory.create(email="rita@example.org", regisseur_van=[getrokken])
    form = BeheerUserChangeForm(
        instance=bestaand,
        data={
            "email": bestaand.email,
            "first_name": bestaand.first_name,
            "last_name": bestaand.last_name,
            "oidc_issuer": "",
            "oidc_sub": "sub-rita",
            "vo_id": "",
            "groups": [Group.objects.get(name=Rol.REGISSEUR.value).pk],
            "date_joined": bestaand.date_joined.strftime("%Y-%m-%d %H:%M:%S"),
            "password": bestaand.password,
            "is_active": True,
        },
    )
    assert form.is_valid(), form.errors
    form.save()
    bestaand.refresh_from_db()
    assert (bestaand.oidc_issuer, bestaand.oidc_sub) == (acmidm.issuer, "sub-rita")
    client = Client()
    aanmelden(client, acmidm, persoon("sub-rita"))
    assert ingelogd(client) == bestaand


# --- The password login for regisseurs can be switched off --------------------------------------


def test_without_password_login_for_regisseurs_only_wse_uses_a_password(
    settings, regisseur, beoordelaar
):
    settings.REGIEROL_WACHTWOORD_VOOR_REGISSEURS = False
    client = Client()
    response = client.post(
        reverse("login"), {"username": regisseur.email, "password": "geheim-wachtwoord-123"}
    )
    assert response.status_code == 200
    assert "Regisseurs melden zich aan met ACM/IDM" in response.content.decode()
    assert ingelogd(client) is None
    wse = Client()
    wse.post(reverse("login"), {"username": beoordelaar.email, "password": "geheim-wachtwoord-123"})
    assert ingelogd(wse) == beoordelaar


def test_password_login_for_regisseurs_stays_by_default(regisseur):
    client = Client()
    client.post(
        reverse("login"), {"username": regisseur.email, "password": "geheim-wachtwoord-123"}
    )
    assert ingelogd(client) == regisseur


# --- Logging out, and the assurance level -------------------------------------------------------


def test_logging_out_ends_the_providers_session_too(acmidm, getrokken):
    client = Client()
    aanmelden(client, acmidm, persoon())
    id_token = client.session[ID_TOKEN]
    response = client.post(reverse("logout"))
    assert ingelogd(client) is None
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"storage"'
    naar = urlsplit(response["Location"])
    assert f"{naar.scheme}://{naar.netloc}{naar.path}" == f"{acmidm.issuer}/logout"
    params = parse_qs(naar.query)
    assert params["id_token_hint"] == [id_token]
    assert params["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]
    terug = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert urlsplit(terug.headers["Location"]).path == reverse("login")


def test_logging_out_after_a_password_login_stays_in_the_portal(acmidm, regisseur):
    client = Client()
    wachtwoord_login(client, regisseur.email)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")


def test_a_strong_acr_spares_wse_staff_the_portals_code(acmidm, settings):
    settings.OIDC_ACR_STERK = ["niveau-hoog"]
    client = Client()
    claims = persoon("sub-wse", f"RegierolBeoordelaar:{WSE_ORGCODE}", acr="niveau-hoog")
    aanmelden(client, acmidm, claims)
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_weaker_acr_still_asks_wse_staff_for_the_code(acmidm, settings):
    settings.OIDC_ACR_STERK = ["niveau-hoog"]
    client = Client()
    claims = persoon("sub-wse", f"RegierolBeoordelaar:{WSE_ORGCODE}", acr="niveau-laag")
    aanmelden(client, acmidm, claims)
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("tweestaps_controleren"))


def test_a_beheerder_links_an_account_on_its_page_in_beheer(acmidm, getrokken, als_beheerder):
    bestaand = UserFactory.create(email="rita@example.org", regisseur_van=[getrokken])
    pagina = als_beheerder.get(f"/beheer/accounts/user/{bestaand.pk}/change/")
    assert "ACM/IDM" in pagina.content.decode()
    response = als_beheerder.post(
        f"/beheer/accounts/user/{bestaand.pk}/change/",
        {
            "email": bestaand.email,
            "first_name": bestaand.first_name,
            "last_name": bestaand.last_name,
            "oidc_issuer": "",
            "oidc_sub": "sub-rita",
            "vo_id": "",
            "groups": [Group.objects.get(name=Rol.REGISSEUR.value).pk],
            "_save": "Bewaren",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    bestaand.refresh_from_db()
    assert (bestaand.oidc_issuer, bestaand.oidc_sub) == (acmidm.issuer, "sub-rita")
    client = Client()
    aanmelden(client, acmidm, persoon("sub-rita"))
    assert ingelogd(client) == bestaand


def test_a_subject_is_linked_to_one_account_only(acmidm, getrokken, als_beheerder):
    UserFactory.create(email="eerste@example.org", oidc_issuer=acmidm.issuer, oidc_sub="sub-rita")
    tweede = UserFactory.create(email="tweede@example.org")
    response = als_beheerder.post(
        f"/beheer/accounts/user/{tweede.pk}/change/",
        {
            "email": tweede.email,
            "first_name": "",
            "last_name": "",
            "oidc_issuer": acmidm.issuer,
            "oidc_sub": "sub-rita",
            "vo_id": "",
            "_save": "Bewaren",
        },
    )
    assert response.status_code == 200
    assert "Dit subject is al aan een ander account gekoppeld." in response.content.decode()
    tweede.refresh_from_db()
    assert tweede.oidc_sub == ""


def test_two_first_logins_at_once_end_in_one_account(acmidm, getrokken, monkeypatch):
    """The other browser's login makes the account between this one's look-up and its save."""
    echte = User.full_clean

    def ander_was_eerst(self, *args, **kwargs):
        echte(self, *args, **kwargs)
        if self.pk is None and not User.objects.filter(oidc_sub="sub-rita").exists():
            User.objects.create(oidc_issuer=acmidm.issuer, oidc_sub="sub-rita", first_name="X")

    monkeypatch.setattr(User, "full_clean", ander_was_eerst)
    client = Client()
    assert aanmelden(client, acmidm, persoon()).status_code == 302
    user = ingelogd(client)
    assert user is not None and user.first_name == "Rita"
    assert User.objects.filter(oidc_sub="sub-rita").count() == 1
    assert set(user.regieverbanden.all()) == {getrokken}


@pytest.mark.parametrize(
    "params",
    [
        {"state": "x" * 5000, "code": "y" * 5000},
        {"state": "\x00", "code": "%00"},
        {"state": "ünïcødé", "code": "<script>alert(1)</script>"},
        {"error": "<script>alert(1)</script>", "error_description": "<b>x</b>", "state": "s"},
        {},
    ],
)
def test_a_hostile_answer_is_refused_without_trace(acmidm, getrokken, params):
    client = Client()
    client.get(reverse("acmidm_aanmelden"))
    response = client.get(reverse("acmidm_terug"), params)
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert ingelogd(client) is None
    assert not User.objects.filter(oidc_sub__gt="").exists()
    # Nothing reached the token endpoint.
    assert acmidm.verzoeken_naar("/token") == []


def test_several_audiences_with_azp_naming_the_portal_are_accepted(acmidm, getrokken):
    client = Client()
    claims = persoon(aud=[acmidm.klant.client_id, "ander-portaal"], azp=acmidm.klant.client_id)
    aanmelden(client, acmidm, claims)
    assert ingelogd(client) is not None


@pytest.mark.parametrize(
    "claims",
    [
        {},
        {"aud": "ander-portaal"},
        {"aud": ["ander-portaal"]},
        {"aud": ["regierol-test", "ander-portaal"]},
        {"aud": ["regierol-test", "ander-portaal"], "azp": "ander-portaal"},
        {"aud": 42},
    ],
)
def test_the_portals_own_audience_check(claims, settings):
    """The portal's own check, behind Authlib's: it holds on its own too."""
    settings.OIDC_CLIENT_ID = "regierol-test"
    with pytest.raises(OidcFout):
        _controleer_publiek(claims)


def test_the_portals_own_audience_check_accepts_the_portal(settings):
    settings.OIDC_CLIENT_ID = "regierol-test"
    _controleer_publiek({"aud": "regierol-test"})
    _controleer_publiek({"aud": ["regierol-test"]})
    _controleer_publiek({"aud": ["regierol-test", "x"], "azp": "regierol-test"})


# --- The audit log --------------------------------------------------------------------------------


def _aanmeldregels() -> list[Auditregel]:
    return list(Auditregel.objects.filter(soort=Auditregel.Soort.AANMELDING).order_by("pk"))


def test_a_login_through_acmidm_is_one_line_of_the_audit_log(acmidm, getrokken):
    client = Client()
    assert aanmelden(client, acmidm, persoon()).status_code == 302
    [regel] = _aanmeldregels()
    user = ingelogd(client)
    assert regel.gebruiker == user and regel.actie == "aangemeld via ACM/IDM"
    assert regel.pad.startswith(reverse("acmidm_terug"))
    assert regel.gegevens["sub"] == "sub-rita" and regel.gegevens["vo_id"] == "vo-sub-rita"
    assert regel.gegevens["nieuw"] is True and "RegierolRegisseur" in regel.gegevens["rollen"]
    assert regel.ip_adres == "127.0.0.1"


def test_refused_logins_through_acmidm_are_in_the_audit_log(acmidm, getrokken):
    aanmelden(Client(), acmidm, persoon("sub-zonder", "AndereApp:0000000097"))
    acmidm.vreemde_sleutel = RSAKey.generate_key(2048, {"kid": KID})
    aanmelden(Client(), acmidm, persoon("sub-vreemd"))
    zonder_rol, vreemde_sleutel = _aanmeldregels()
    assert zonder_rol.gebruiker is None and zonder_rol.actie == "geweigerd via ACM/IDM"
    assert zonder_rol.gegevens["sub"] == "sub-zonder" and zonder_rol.omschrijving
    assert vreemde_sleutel.actie == "geweigerd via ACM/IDM" and vreemde_sleutel.omschrijving
    assert not any("token" in key for regel in _aanmeldregels() for key in regel.gegevens)


def test_password_logins_and_wrong_passwords_are_in_the_audit_log(db):
    gebruiker = UserFactory.create(email="piet@example.org")
    client = Client()
    client.post(reverse("login"), {"username": "piet@example.org", "password": "verkeerd-123"})
    assert wachtwoord_login(client, "piet@example.org").status_code == 302
    geweigerd, aangemeld = _aanmeldregels()
    assert geweigerd.actie == "geweigerd via wachtwoord" and geweigerd.gebruiker is None
    assert geweigerd.gegevens == {"e-mailadres": "piet@example.org"}
    assert "verkeerd-123" not in str(geweigerd.gegevens) + geweigerd.omschrijving
    assert aangemeld.actie == "aangemeld via wachtwoord" and aangemeld.gebruiker == gebruiker
    # A login made by code (the test client, a shell) is no person on a page: not logged.
    Client().force_login(gebruiker)
    assert len(_aanmeldregels()) == 2
