from wagtail import hooks

from .figures import people_figures

hooks.register("register_hall_figures", people_figures)
