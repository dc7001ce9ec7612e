"""Local development: `make run`. Debug on, everything embedded."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
WAGTAILAPI_DOCS_ENABLED = DEBUG

# Serve static files straight from the finders: no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
