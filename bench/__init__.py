"""PDF benchmark: `make bench` runs `python -m bench` against a throwaway PostgreSQL.

It renders the large test aanvraag (`tests.aanvraag_helpers.fill_large`) and a one-page baseline
through the same WeasyPrint path as the portal, and prints the timings. See `bench.__main__`.
"""
