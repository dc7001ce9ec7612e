"""Local development: `make run`. Debug on, everything embedded."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
WAGTAILAPI_DOCS_ENABLED = DEBUG
