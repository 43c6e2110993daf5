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
        # The open questions show on every page of the aanvraag, which is kept per version.
        versietellers.volg("beoordeling_vraag")
        aanvraag_services.bij_intrekken(services.bij_intrekken)
