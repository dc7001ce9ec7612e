"""The application API for apps and WeChat mini-programs (/api/v1/, docs/api.md).

Thin endpoints over the services the HTML flow uses (forms/applying/): no
second copy of validation, submission or rights lives here.
"""
