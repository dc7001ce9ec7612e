"""The API object: routers, problem details, OpenAPI and docs (/api/v1/).

To add a router (the eligibility calculator, ...), build a ninja Router in its
own module and add it in ROUTERS below, with its prefix; it inherits the
authentication of AUTH unless it says otherwise, and the problem+json errors.
"""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from forms.api import auth, problems, tracking


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 as it is: Chinese text readable in the raw answer."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Talent Harbor application API",
    version="1",
    description=(
        "Apply, upload, submit and follow applications from apps and "
        "mini-programs. See docs/api.md."
    ),
    urls_namespace="api_v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
    renderer=ChineseJSONRenderer(),
)
problems.install(api)

# (prefix, router): the one place where the API grows.
ROUTERS = [
    ("/auth/", auth.router),
    # Applying and tracking share one router (their paths overlap).
    ("/", tracking.router),
]
for prefix, router in ROUTERS:
    api.add_router(prefix, router)
