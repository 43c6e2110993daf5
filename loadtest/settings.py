"""The portal's settings for the load test: its own URLconf (the production URLconf has no test
route) and cookies that plain HTTP on loopback can carry."""

from regierol.settings import *  # noqa: F403

ROOT_URLCONF = "loadtest.urls"
# There is no TLS on loopback: a client rightly never returns a Secure cookie over plain HTTP, so
# the session and CSRF cookies lose that flag here. It only changes a cookie attribute, not the
# work a request costs; in production they stay Secure.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
