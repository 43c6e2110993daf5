"""The pages of the beoordeling app: `review` (WSE's queue and review of one aanvraag) and
`follow_up` (the regisseur's follow-up of a submitted aanvraag)."""
