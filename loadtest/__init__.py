"""`make loadtest`: the portal under 50 concurrent users on gunicorn and PostgreSQL.

See `loadtest.__main__` for what is measured and how; not part of the installed application.
"""
