"""Settings of beheer's own pages."""

# The maintenance message on every page: a sentence or two (core.teksten).
MELDING_MAX = 500
