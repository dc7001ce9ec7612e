"""The smallest stock Wagtail form page: AbstractForm and its fields, as documented."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField


class StockFormField(AbstractFormField):
    page = ParentalKey(
        "StockFormPage", on_delete=models.CASCADE, related_name="form_fields"
    )


class StockFormPage(AbstractForm):
    pass
