"""Inviting people and deactivating accounts, as beheerders and invited people reach them: the
invitation link works once and expires, a newer one replaces it, refusals keep the input, and a
deactivated account cannot log in while its verband's aanvragen stay."""

from __future__ import annotations

import datetime
import re
import threading
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.aanvragen.models import Aanvraag
from applications.accounts.constants import Rol
from applications.accounts.models import User
from applications.accounts.services import gebruiker_deactiveren, gebruiker_heractiveren
from applications.beheer.models import Uitnodiging
from applications.beheer.selectors import gebruikers_overzicht
from applications.beheer.services import (
    Uitgenodigd,
    UitnodigingOngeldig,
    UitnodigingStatus,
    gebruiker_uitnodigen,
    hash_token,
    uitnodiging_aanvaarden,
)
from applications.besturen.models import Regieverband

from ..conftest import client_for
from ..factories import RegieverbandFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["regisseur", "collega", "beoordelaar", "beheerder", None]
PASSWORD = "Zonnige-Kade-4821"
LINK = re.compile(r"http://[^\s\"<]+/accounts/uitnodiging/([A-Za-z0-9_-]+)/")


def _user(request: pytest.FixtureRequest, who: str | None) -> User | None:
    return request.getfixturevalue(who) if who else None


def _invite(
    beheerder: User,
    capture: Any,
    *,
    email: str = "nieuw@gemeente.be",
    rol: str = Rol.REGISSEUR,
    verbanden: list[Regieverband] | None = None,
    now: datetime.datetime | None = None,
) -> tuple[Uitgenodigd, str]:
    """Invite through the service, run its after-commit e-mail and return the token from it."""
    with capture(execute=True):
        resultaat = gebruiker_uitnodigen(
            email=email,
            first_name="Nina",
            last_name="Nieuw",
            rol=rol,
            regieverbanden=verbanden or [],
            by=beheerder,
            now=now,
        )
    return resultaat, _token_from_last_mail()


def _token_from_last_mail() -> str:
    from django.core import mail

    match = LINK.search(str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


def _accept(client: Client, token: str, password: str = PASSWORD) -> Any:
    return client.post(
        f"/accounts/uitnodiging/{token}/",
        {"new_password1": password, "new_password2": password},
    )


def _form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "email": "Nieuw.Persoon@Gemeente.be",
        "first_name": "Nina",
        "last_name": "Nieuw",
        "rol": Rol.REGISSEUR.value,
    }
    data.update(overrides)
    return data


# --- Inviting -------------------------------------------------------------------------------------


def test_invitation_form_creates_the_account_and_mails_a_working_link(
    beheerder, verband, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(beheerder).post(
            "/beheer/gebruikers/uitnodigen/", _form_data(regieverbanden=[verband.pk])
        )
    assert response.status_code == 302
    assert response["Location"] == "/beheer/gebruikers/"

    user = User.objects.get(email="nieuw.persoon@gemeente.be")  # stored in lower case
    assert user.is_active and not user.is_staff
    assert not user.has_usable_password()
    assert set(user.groups.values_list("name", flat=True)) == {Rol.REGISSEUR.value}
    assert list(user.regieverbanden.all()) == [verband]

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["nieuw.persoon@gemeente.be"]
    assert "Uitnodiging" in mail.subject
    assert verband.naam in mail.body
    token = LINK.search(mail.body).group(1)  # type: ignore[union-attr]
    assert f"/accounts/uitnodiging/{token}/" in mail.alternatives[0][0]
    # Only the hash is stored, never the token itself.
    uitnodiging = Uitnodiging.objects.get(gebruiker=user)
    assert uitnodiging.token_sha256 == hash_token(token) != token
    assert uitnodiging.verstuurd_door == beheerder

    anonymous = Client()
    page = anonymous.get(f"/accounts/uitnodiging/{token}/")
    assert page.status_code == 200
    assert "nieuw.persoon@gemeente.be" in page.content.decode()
    assert "Nina Nieuw" in page.content.decode()
    accepted = _accept(anonymous, token)
    assert accepted.status_code == 302 and accepted["Location"] == "/"
    assert anonymous.get("/").status_code == 200  # logged in

    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert _logs_in("nieuw.persoon@gemeente.be", PASSWORD)


def test_invitation_is_valid_for_the_configured_days(beheerder, django_capture_on_commit_callbacks):
    now = timezone.now()
    resultaat, _token = _invite(
        beheerder, django_capture_on_commit_callbacks, rol=Rol.BEOORDELAAR, now=now
    )
    assert resultaat.uitnodiging.geldig_tot == now + datetime.timedelta(days=7)


def test_invitation_days_come_from_the_setting(
    beheerder, settings, django_capture_on_commit_callbacks
):
    settings.REGIEROL_UITNODIGING_DAGEN = 2
    now = timezone.now()
    resultaat, _token = _invite(
        beheerder, django_capture_on_commit_callbacks, rol=Rol.BEOORDELAAR, now=now
    )
    assert resultaat.uitnodiging.geldig_tot == now + datetime.timedelta(days=2)


def test_a_beheerder_gets_beheer_access_and_no_verband(
    beheerder, django_capture_on_commit_callbacks
):
    resultaat, _token = _invite(beheerder, django_capture_on_commit_callbacks, rol=Rol.BEHEERDER)
    user = resultaat.uitnodiging.gebruiker
    assert user.is_staff
    assert user.is_beheerder
    assert not user.regieverbanden.exists()


def test_regisseur_without_verband_is_refused_with_input_kept(beheerder, verband, mailoutbox):
    response = client_for(beheerder).post("/beheer/gebruikers/uitnodigen/", _form_data())
    body = response.content.decode()
    assert response.status_code == 200
    assert "Een regisseur werkt voor minstens één regieverband" in body
    assert 'value="Regisseur"  id="id_rol_0" required checked' in body
    assert 'value="Nieuw.Persoon@Gemeente.be"' in body
    assert 'value="Nina"' in body
    assert not User.objects.filter(email__iexact="nieuw.persoon@gemeente.be").exists()
    assert mailoutbox == []


@pytest.mark.parametrize("rol", [Rol.BEOORDELAAR, Rol.BEHEERDER])
def test_a_verband_for_another_role_is_refused(rol, beheerder, verband):
    response = client_for(beheerder).post(
        "/beheer/gebruikers/uitnodigen/",
        _form_data(rol=rol.value, regieverbanden=[verband.pk]),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Alleen een regisseur hoort bij een regieverband" in body
    assert re.search(rf'value="{verband.pk}"[^>]*checked', body)
    assert not User.objects.filter(email__iexact="nieuw.persoon@gemeente.be").exists()


def test_existing_active_account_is_refused_case_insensitively(
    beheerder, regisseur, verband, mailoutbox, django_capture_on_commit_callbacks
):
    before = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(beheerder).post(
            "/beheer/gebruikers/uitnodigen/",
            _form_data(email="ALICE@Example.org", first_name="Alice", regieverbanden=[verband.pk]),
        )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Er bestaat al een account met dit e-mailadres en het heeft een wachtwoord" in body
    assert 'value="ALICE@Example.org"' in body
    assert 'value="Alice"' in body
    assert User.objects.count() == before
    assert not Uitnodiging.objects.exists()
    assert mailoutbox == []
    regisseur.refresh_from_db()
    assert regisseur.has_usable_password()


def test_deactivated_pending_account_is_refused_until_reactivated(
    beheerder, django_capture_on_commit_callbacks
):
    resultaat, _token = _invite(beheerder, django_capture_on_commit_callbacks, rol=Rol.BEOORDELAAR)
    gebruiker_deactiveren(gebruiker=resultaat.uitnodiging.gebruiker, by=beheerder)
    with pytest.raises(ValidationError) as exc:
        gebruiker_uitnodigen(
            email="nieuw@gemeente.be",
            first_name="Nina",
            last_name="Nieuw",
            rol=Rol.BEOORDELAAR,
            regieverbanden=[],
            by=beheerder,
        )
    assert "gedeactiveerd" in exc.value.message_dict["email"][0]


def test_only_a_beheerder_may_invite_through_the_service(regisseur, beoordelaar):
    for by in (regisseur, beoordelaar):
        with pytest.raises(PermissionDenied):
            gebruiker_uitnodigen(
                email="x@gemeente.be",
                first_name="X",
                last_name="Y",
                rol=Rol.BEHEERDER,
                regieverbanden=[],
                by=by,
            )
    assert not User.objects.filter(email="x@gemeente.be").exists()


# --- The link: once, until it expires, only the newest --------------------------------------------


def test_link_works_once_and_a_second_use_is_refused(
    beheerder, verband, django_capture_on_commit_callbacks
):
    resultaat, token = _invite(beheerder, django_capture_on_commit_callbacks, verbanden=[verband])
    assert _accept(Client(), token).status_code == 302

    second = _accept(Client(), token, password="Andere-Kade-7713")
    assert second.status_code == 410
    assert "al gebruikt" in second.content.decode()
    assert "Vraag de beheerder van het portaal om een nieuwe uitnodiging" in second.content.decode()
    assert Client().get(f"/accounts/uitnodiging/{token}/").status_code == 410
    user = User.objects.get(pk=resultaat.uitnodiging.gebruiker.pk)
    assert user.check_password(PASSWORD)  # the first password stays


def test_expired_link_is_refused_and_nothing_saved(beheerder, django_capture_on_commit_callbacks):
    eight_days_ago = timezone.now() - datetime.timedelta(days=8)
    resultaat, token = _invite(
        beheerder, django_capture_on_commit_callbacks, rol=Rol.BEOORDELAAR, now=eight_days_ago
    )
    page = Client().get(f"/accounts/uitnodiging/{token}/")
    assert page.status_code == 410
    assert "verlopen" in page.content.decode()
    assert _accept(Client(), token).status_code == 410

    user = User.objects.get(pk=resultaat.uitnodiging.gebruiker.pk)
    assert not user.has_usable_password()
    assert Uitnodiging.objects.get(pk=resultaat.uitnodiging.pk).gebruikt_op is None


def test_link_works_until_just_before_geldig_tot(beheerder, django_capture_on_commit_callbacks):
    resultaat, token = _invite(beheerder, django_capture_on_commit_callbacks, rol=Rol.BEOORDELAAR)
    tot = resultaat.uitnodiging.geldig_tot
    with pytest.raises(UitnodigingOngeldig) as exc:
        uitnodiging_aanvaarden(token=token, password=PASSWORD, now=tot)
    assert exc.value.code == UitnodigingStatus.VERLOPEN
    user = uitnodiging_aanvaarden(
        token=token, password=PASSWORD, now=tot - datetime.timedelta(seconds=1)
    )
    assert user.check_password(PASSWORD)


def test_a_new_invitation_replaces_the_earlier_link(
    beheerder, verband, ander_verband, mailoutbox, django_capture_on_commit_callbacks
):
    eerste, oud = _invite(beheerder, django_capture_on_commit_callbacks, verbanden=[verband])
    # The same address again (other case, other verband): the pending account is updated.
    tweede, nieuw = _invite(
        beheerder,
        django_capture_on_commit_callbacks,
        email="NIEUW@gemeente.be",
        verbanden=[ander_verband],
    )
    assert not tweede.nieuw_account
    assert eerste.uitnodiging.gebruiker.pk == tweede.uitnodiging.gebruiker.pk
    assert oud != nieuw
    assert len(mailoutbox) == 2

    superseded = Client().get(f"/accounts/uitnodiging/{oud}/")
    assert superseded.status_code == 410
    assert "nieuwere uitnodiging" in superseded.content.decode()
    assert _accept(Client(), oud).status_code == 410
    assert _accept(Client(), nieuw).status_code == 302
    user = User.objects.get(email="nieuw@gemeente.be")
    assert list(user.regieverbanden.all()) == [ander_verband]


def test_resend_button_sends_a_new_link_and_the_old_one_stops(
    beheerder, mailoutbox, django_capture_on_commit_callbacks
):
    resultaat, oud = _invite(beheerder, django_capture_on_commit_callbacks, rol=Rol.BEOORDELAAR)
    user = resultaat.uitnodiging.gebruiker
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(beheerder).post(f"/beheer/gebruikers/{user.pk}/uitnodiging/")
    assert response.status_code == 302
    assert len(mailoutbox) == 2
    nieuw = _token_from_last_mail()
    assert Client().get(f"/accounts/uitnodiging/{oud}/").status_code == 410
    assert Client().get(f"/accounts/uitnodiging/{nieuw}/").status_code == 200


def test_resend_is_refused_for_an_account_with_a_password(beheerder, regisseur, mailoutbox):
    client = client_for(beheerder)
    response = client.post(f"/beheer/gebruikers/{regisseur.pk}/uitnodiging/", follow=True)
    assert "heeft al een wachtwoord" in response.content.decode()
    assert not Uitnodiging.objects.exists()
    assert mailoutbox == []


def test_regisseur_refusal_shows_when_there_is_no_verband_at_all(beheerder):
    body = client_for(beheerder).post("/beheer/gebruikers/uitnodigen/", _form_data()).content
    assert "Een regisseur werkt voor minstens één regieverband" in body.decode()
    assert "Er is nog geen regieverband" in body.decode()


def test_unknown_token_is_404_with_a_clear_page(db):
    response = Client().get("/accounts/uitnodiging/bestaat-niet-123/")
    assert response.status_code == 404
    assert "niet geldig" in response.content.decode()
    assert _accept(Client(), "bestaat-niet-123").status_code == 404


def test_a_deactivated_users_invitation_does_not_work(
    beheerder, django_capture_on_commit_callbacks
):
    resultaat, token = _invite(beheerder, django_capture_on_commit_callbacks, rol=Rol.BEOORDELAAR)
    user = resultaat.uitnodiging.gebruiker
    gebruiker_deactiveren(gebruiker=user, by=beheerder)
    assert Client().get(f"/accounts/uitnodiging/{token}/").status_code == 410
    assert _accept(Client(), token).status_code == 410
    # Reactivating does not revive the old link: a new invitation is needed.
    gebruiker_heractiveren(gebruiker=user, by=beheerder)
    assert Client().get(f"/accounts/uitnodiging/{token}/").status_code == 410
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_weak_password_is_refused_and_the_link_keeps_working(
    beheerder, django_capture_on_commit_callbacks
):
    resultaat, token = _invite(beheerder, django_capture_on_commit_callbacks, rol=Rol.BEOORDELAAR)
    response = _accept(Client(), token, password="12345678")
    assert response.status_code == 200
    assert 'class="invalid-feedback"' in response.content.decode()
    assert Uitnodiging.objects.get(pk=resultaat.uitnodiging.pk).gebruikt_op is None
    assert _accept(Client(), token).status_code == 302


class BrokenMailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise OSError("SMTP-server onbereikbaar")


def test_a_mail_error_does_not_undo_the_invitation(
    beheerder, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "tests.beheer.test_uitnodigingen.BrokenMailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(beheerder).post(
            "/beheer/gebruikers/uitnodigen/", _form_data(rol=Rol.BEOORDELAAR.value)
        )
    assert response.status_code == 302
    assert Uitnodiging.objects.filter(gebruiker__email="nieuw.persoon@gemeente.be").exists()
    assert "SMTP-server onbereikbaar" in caplog.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_tabs_at_once_only_one_sets_the_password(beheerder):
    """Two database sessions accept one link at the same moment: the row lock lets one through."""
    assert connection.vendor == "postgresql"
    Group.objects.get_or_create(name=Rol.BEOORDELAAR.value)
    resultaat = gebruiker_uitnodigen(
        email="tabs@gemeente.be",
        first_name="Tab",
        last_name="Twee",
        rol=Rol.BEOORDELAAR,
        regieverbanden=[],
        by=beheerder,
    )
    # The token of the mail is not at hand here: give this invitation a known one.
    Uitnodiging.objects.filter(pk=resultaat.uitnodiging.pk).update(
        token_sha256=hash_token("bekend-token")
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(password: str) -> None:
        try:
            barrier.wait()
            uitnodiging_aanvaarden(token="bekend-token", password=password)
            outcomes.append(password)
        except UitnodigingOngeldig as exc:
            outcomes.append(str(exc.code))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(p,)) for p in (PASSWORD, "Andere-Kade-7713")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 2
    assert outcomes.count("gebruikt") == 1
    winner = next(o for o in outcomes if o != "gebruikt")
    assert User.objects.get(email="tabs@gemeente.be").check_password(winner)


# --- Deactivating ---------------------------------------------------------------------------------


def test_deactivation_blocks_login_and_keeps_verband_and_aanvragen(
    beheerder, regisseur, verband, aanvraag
):
    session = client_for(regisseur)
    assert session.get("/").status_code == 200
    response = client_for(beheerder).post(f"/beheer/gebruikers/{regisseur.pk}/deactiveren/")
    assert response.status_code == 302

    regisseur.refresh_from_db()
    assert not regisseur.is_active
    # An open session stops working and a new login is refused.
    assert session.get("/")["Location"].startswith("/accounts/login/")
    assert not _logs_in(regisseur.email, "geheim-wachtwoord-123")
    login = Client().post(
        "/accounts/login/", {"username": regisseur.email, "password": "geheim-wachtwoord-123"}
    )
    assert login.status_code == 200
    # The verband keeps the person as a (now inactive) regisseur and keeps its aanvraag.
    assert verband.regisseurs.filter(pk=regisseur.pk).exists()
    assert Aanvraag.objects.filter(pk=aanvraag.pk, regieverband=verband).exists()

    client_for(beheerder).post(f"/beheer/gebruikers/{regisseur.pk}/heractiveren/")
    assert _logs_in(regisseur.email, "geheim-wachtwoord-123")


def test_a_beheerder_cannot_deactivate_themselves(beheerder):
    response = client_for(beheerder).post(
        f"/beheer/gebruikers/{beheerder.pk}/deactiveren/", follow=True
    )
    assert "U kunt uw eigen account niet deactiveren" in response.content.decode()
    beheerder.refresh_from_db()
    assert beheerder.is_active


def test_admin_action_deactivates_through_the_same_service(beheerder, regisseur, collega):
    response = client_for(beheerder).post(
        "/beheer/accounts/user/",
        {
            "action": "deactiveren",
            "_selected_action": [regisseur.pk, collega.pk, beheerder.pk],
        },
        follow=True,
    )
    body = response.content.decode()
    assert "2 gebruiker(s) gedeactiveerd" in body
    assert "U kunt uw eigen account niet deactiveren" in body
    assert set(User.objects.filter(is_active=False).values_list("email", flat=True)) == {
        regisseur.email,
        collega.email,
    }


def test_admin_user_list_links_to_the_invitation_page(beheerder):
    body = client_for(beheerder).get("/beheer/accounts/user/").content.decode()
    assert 'href="/beheer/gebruikers/uitnodigen/"' in body
    assert 'href="/beheer/gebruikers/"' in body


# --- The user list --------------------------------------------------------------------------------


def test_user_list_shows_roles_verbanden_and_invitation_states(
    beheerder, regisseur, verband, django_capture_on_commit_callbacks
):
    pending, _t1 = _invite(beheerder, django_capture_on_commit_callbacks, rol=Rol.BEOORDELAAR)
    old = timezone.now() - datetime.timedelta(days=30)
    _expired, _t2 = _invite(
        beheerder,
        django_capture_on_commit_callbacks,
        email="laat@gemeente.be",
        rol=Rol.BEOORDELAAR,
        now=old,
    )
    _accepted, token = _invite(
        beheerder, django_capture_on_commit_callbacks, email="klaar@gemeente.be", rol=Rol.BEHEERDER
    )
    _accept(Client(), token)

    rijen = {r.gebruiker.email: r for r in gebruikers_overzicht()}
    assert rijen["nieuw@gemeente.be"].status == UitnodigingStatus.OPEN
    assert rijen["laat@gemeente.be"].status == UitnodigingStatus.VERLOPEN
    assert rijen["klaar@gemeente.be"].status == UitnodigingStatus.GEBRUIKT
    assert rijen[regisseur.email].status is None
    assert rijen[regisseur.email].verbanden == [verband]
    assert rijen[regisseur.email].rollen == [Rol.REGISSEUR.value]

    body = client_for(beheerder).get("/beheer/gebruikers/").content.decode()
    assert "loopt tot" in body
    assert "verlopen op" in body
    assert "aanvaard op" in body
    assert "geen uitnodiging" in body
    assert verband.naam in body
    # Re-send only where it makes sense; no deactivate button for oneself.
    assert f"/beheer/gebruikers/{pending.uitnodiging.gebruiker.pk}/uitnodiging/" in body
    assert f"/beheer/gebruikers/{regisseur.pk}/uitnodiging/" not in body
    assert f"/beheer/gebruikers/{regisseur.pk}/deactiveren/" in body
    assert f"/beheer/gebruikers/{beheerder.pk}/deactiveren/" not in body


def test_user_list_query_count_does_not_grow_with_users(beheerder, verband):
    client = client_for(beheerder)
    client.get("/beheer/gebruikers/")
    with CaptureQueriesContext(connection) as few:
        client.get("/beheer/gebruikers/")
    for i in range(6):
        user = UserFactory.create(
            regisseur_van=[verband, RegieverbandFactory.create()], email=f"extra{i}@example.org"
        )
        Uitnodiging.objects.create(
            gebruiker=user,
            token_sha256=hash_token(f"t{i}"),
            geldig_tot=timezone.now() + datetime.timedelta(days=1),
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/beheer/gebruikers/")
    assert len(many) == len(few)


# --- Who reaches which page -----------------------------------------------------------------------

BEHEER_PAGE = {"regisseur": 404, "collega": 404, "beoordelaar": 404, "beheerder": 200, None: 302}


@pytest.mark.parametrize("path", ["/beheer/gebruikers/", "/beheer/gebruikers/uitnodigen/"])
@pytest.mark.parametrize("who", ROLES)
def test_beheer_pages_permission_matrix(path, who, request):
    response = client_for(_user(request, who)).get(path)
    assert response.status_code == BEHEER_PAGE[who]
    if who is None:
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["regisseur", "collega", "beoordelaar", None])
def test_only_a_beheerder_can_post_an_invitation(who, request, verband, mailoutbox):
    response = client_for(_user(request, who)).post(
        "/beheer/gebruikers/uitnodigen/", _form_data(regieverbanden=[verband.pk])
    )
    assert response.status_code == BEHEER_PAGE[who]
    assert not User.objects.filter(email="nieuw.persoon@gemeente.be").exists()
    assert mailoutbox == []


@pytest.mark.parametrize("action", ["uitnodiging", "deactiveren", "heractiveren"])
@pytest.mark.parametrize("who", ROLES)
def test_account_actions_permission_matrix(action, who, request, beheerder, mailoutbox):
    target = UserFactory.create(beoordelaar=True, email="doel@example.org")
    target.set_unusable_password()  # invited, no password yet: every action applies
    target.is_active = action != "heractiveren"
    target.save()
    response = client_for(_user(request, who)).post(f"/beheer/gebruikers/{target.pk}/{action}/")
    if who == "beheerder":
        assert response.status_code == 302
        assert response["Location"] == "/beheer/gebruikers/"
    else:
        assert response.status_code == BEHEER_PAGE[who]
    target.refresh_from_db()
    changed = {
        "uitnodiging": Uitnodiging.objects.filter(gebruiker=target).exists(),
        "deactiveren": not target.is_active,
        "heractiveren": target.is_active,
    }[action]
    assert changed == (who == "beheerder")


@pytest.mark.parametrize("action", ["uitnodiging", "deactiveren", "heractiveren"])
def test_account_actions_refuse_get(action, beheerder):
    target = UserFactory.create(email="doel@example.org")
    response = client_for(beheerder).get(f"/beheer/gebruikers/{target.pk}/{action}/")
    assert response.status_code == 405


@pytest.mark.parametrize("who", ROLES)
def test_the_link_itself_is_the_permission(
    who, request, beheerder, django_capture_on_commit_callbacks
):
    """Anyone holding a valid link reaches it, logged in or not; it logs in its own account."""
    resultaat, token = _invite(beheerder, django_capture_on_commit_callbacks, rol=Rol.BEOORDELAAR)
    client = client_for(_user(request, who))
    assert client.get(f"/accounts/uitnodiging/{token}/").status_code == 200
    assert _accept(client, token).status_code == 302
    assert client.session["_auth_user_id"] == str(resultaat.uitnodiging.gebruiker.pk)
    # A new reviewer goes straight on to set up the two-step login.
    assert client.get("/")["Location"].startswith("/accounts/tweestaps/")


def _logs_in(email: str, password: str) -> bool:
    """Whether the login form accepts these credentials (through django-axes, as users log in)."""
    response = Client().post("/accounts/login/", {"username": email, "password": password})
    return response.status_code == 302
