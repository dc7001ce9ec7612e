"""Local development: `make run`. Debug on, everything embedded."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
WAGTAILAPI_DOCS_ENABLED = DEBUG
# The demo shows the second factor: demo staff accounts share the TOTP secret
# printed in the README. STAFF_OTP_REQUIRED=0 switches it off.
STAFF_OTP_REQUIRED = env_bool("STAFF_OTP_REQUIRED", True)

# Serve static files straight from the finders: no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
