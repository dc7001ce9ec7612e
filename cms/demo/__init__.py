"""The demo city: a Quanzhou-like hall to show, test and train on.

Plain data modules (districts and departments, service guides, policies, news,
people) and `loader.py`, which writes them idempotently. Not an installed app:
`python manage.py load_demo` (cms/home/management/commands) is its only entry.
"""

# One documented password for every demo account. It passes the validators of
# docs/security.md B1 (12+ characters, three classes, no context words).
DEMO_PASSWORD = "Demo#City2026"  # noqa: S105 (public by design: demo data only)
