"""WSE's review: scores, questions, notes, changes asked, decisions and letters."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeoordelingConfig(AppConfig):
    name = "applications.beoordeling"
    verbose_name = _("Beoordeling")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from applications.aanvragen import services as aanvraag_services
        from applications.aanvragen import versietellers, verzoeken
        from applications.beoordeling import services
        from applications.beoordeling.selectors import open_vragen

        verzoeken.bron(open_vragen)
        # The open questions show on every page of the aanvraag, which is kept per version; the
        # rest of the review on WSE's pages, kept per version too. Not `Bekeken`: who looked
        # when is part of those pages' keys, per user.
        for tabel in (
            "beoordeling_vraag",
            "beoordeling_beoordeling",
            "beoordeling_beoordelingconcept",
            "beoordeling_notitie",
            "beoordeling_beslissingsvoorstel",
            "beoordeling_beslissing",
        ):
            versietellers.volg(tabel)
        versietellers.volg("beoordeling_score", via=("beoordeling_beoordeling", "beoordeling_id"))
        aanvraag_services.bij_intrekken(services.bij_intrekken)
