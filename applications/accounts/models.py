"""The people using the portal: `User`, who logs in with an e-mail address and a password, or
through OpenID Connect (ACM/IDM), known by the provider's subject; the role is a group."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from applications.accounts.constants import Rol
from applications.accounts.emails import normaliseer_email


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normaliseer_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        adres = normaliseer_email(username or "")
        if not adres:  # accounts without an address (ACM/IDM) are never found by one
            raise self.model.DoesNotExist
        return self.get(email=adres)


class User(AbstractBaseUser, PermissionsMixin):
    """A person using the portal. The role is a group (`Rol`).

    A person logs in with an e-mail address and a password, or through OpenID Connect (ACM/IDM),
    where the account is found by the provider's subject (`oidc_issuer` and `oidc_sub`), never by
    e-mail address or name. ACM/IDM may send no e-mail address, so the address may be empty; when
    present it is unique (`user_email_uniek`).
    """

    email = models.EmailField(_("e-mailadres"), blank=True)
    oidc_issuer = models.CharField(
        _("OpenID Connect-uitgever"),
        max_length=255,
        blank=True,
        help_text=_("Bv. https://authenticatie.vlaanderen.be/op; leeg zonder koppeling."),
    )
    oidc_sub = models.CharField(
        _("OpenID Connect-subject"),
        max_length=255,
        blank=True,
        help_text=_(
            "De vaste code waarmee ACM/IDM deze persoon aanmeldt (claim sub). Een beheerder "
            "koppelt zo een bestaand account; nooit op e-mailadres."
        ),
    )
    vo_id = models.CharField(
        _("VO-id"),
        max_length=64,
        blank=True,
        help_text=_("De vaste persoonscode van ACM/IDM (claim vo_id), ter informatie."),
    )
    # What the last login through ACM/IDM gave ({"rollen": [...], "verbanden": [ids]}): the next
    # one takes back what the role claim no longer gives, and only that.
    oidc_rechten = models.JSONField(
        _("rechten van ACM/IDM"), default=dict, blank=True, editable=False
    )
    first_name = models.CharField(_("voornaam"), max_length=150, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("toegang tot beheer"),
        default=False,
        help_text=_("Beheerders krijgen dit automatisch; anderen hebben het niet nodig."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    # Set when the retention command replaced this person's name and address (the account of
    # someone who left, once every dossier they worked on is past its retention period); the
    # id stays, so every row that names them still points at one account.
    geanonimiseerd_op = models.DateTimeField(
        _("geanonimiseerd op"), null=True, blank=True, editable=False
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ("email",)
        constraints = [
            models.UniqueConstraint(
                fields=("email",),
                condition=~models.Q(email=""),
                name="user_email_uniek",
                violation_error_message=_("Een ander account heeft dit e-mailadres al."),
            ),
            models.UniqueConstraint(
                fields=("oidc_issuer", "oidc_sub"),
                condition=~models.Q(oidc_sub=""),
                name="user_een_account_per_subject",
                violation_error_message=_("Dit subject is al aan een ander account gekoppeld."),
            ),
            models.CheckConstraint(
                condition=models.Q(oidc_sub="") | ~models.Q(oidc_issuer=""),
                name="user_subject_met_uitgever",
                violation_error_message=_("Een subject hoort bij een uitgever."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email or _("gebruiker %(nr)s") % {"nr": self.pk}

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email or ""

    def clean(self) -> None:
        super().clean()
        self.email = normaliseer_email(self.email)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Stored in its one spelling, whichever way it came in (`emails.normaliseer_email`)."""
        self.email = normaliseer_email(self.email)
        super().save(*args, **kwargs)

    @property
    def role_names(self) -> frozenset[str]:
        """The names of this user's role groups, read once per request object."""
        cached: frozenset[str] | None = getattr(self, "_role_names", None)
        if cached is None:
            cached = (
                frozenset(self.groups.values_list("name", flat=True)) if self.pk else frozenset()
            )
            self._role_names = cached
        return cached

    @cached_property
    def regieverband_ids(self) -> frozenset[int]:
        """The regieverbanden this person is a regisseur of, read once per user object (the
        relation is declared by `besturen.Regieverband.regisseurs`)."""
        return (
            frozenset(self.regieverbanden.values_list("pk", flat=True)) if self.pk else frozenset()
        )

    def has_role(self, rol: Rol) -> bool:
        return self.is_active and rol.value in self.role_names

    @property
    def is_regisseur(self) -> bool:
        return self.has_role(Rol.REGISSEUR)

    @property
    def is_beoordelaar(self) -> bool:
        return self.has_role(Rol.BEOORDELAAR)

    @property
    def is_beheerder(self) -> bool:
        return self.has_role(Rol.BEHEERDER) or (self.is_active and self.is_superuser)
