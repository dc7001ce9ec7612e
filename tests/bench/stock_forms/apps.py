from django.apps import AppConfig


class StockFormsConfig(AppConfig):
    """Wagtail's stock form page, installed by tests/bench/bench_settings.py only."""

    name = "tests.bench.stock_forms"
    label = "stock_forms"
    default_auto_field = "django.db.models.BigAutoField"
