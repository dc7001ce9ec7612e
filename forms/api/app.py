"""The API object: routers, problem details, OpenAPI and docs (/api/v1/).

To add a router (the eligibility calculator, ...), build a ninja Router in its
own module and add it in ROUTERS below, with its prefix; it inherits the
authentication of AUTH unless it says otherwise, and the problem+json errors.
"""

import functools

from django.http import HttpResponseNotAllowed
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from forms.api import auth, problems, tracking
from forms.eligibility import api as calculator


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 as it is: Chinese text readable in the raw answer."""

    json_dumps_params = {"ensure_ascii": False}


PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string", "enum": sorted(problems.PROBLEMS)},
        "detail": {"type": "string"},
        "errors": {},
        "files": {"type": "array"},
    },
}


class ApplicationAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Ninja's document, with the problem details every operation may
        answer (4XX, and 5XX in trouble) declared once."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = (
            PROBLEM_SCHEMA
        )
        reference = {
            "content": {
                problems.CONTENT_TYPE: {
                    "schema": {"$ref": "#/components/schemas/Problem"}
                }
            }
        }
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                responses["4XX"] = {"description": "Problem details", **reference}
                responses["5XX"] = {"description": "Problem details", **reference}
        add_links(schema)
        return schema


def add_links(schema: dict) -> None:
    """OpenAPI links from a new draft to its steps, files, check and submit:
    what a client (and the stateful fuzzer) does next with its uuid."""
    base = "/api/v1/applications/{application_uuid}"
    paths = schema["paths"]

    def operation_id(path: str, method: str) -> str | None:
        return paths.get(path, {}).get(method, {}).get("operationId")

    follow = {
        "SaveStepOne": (f"{base}/steps/{{number}}", "put", {"number": 1}),
        "Upload": (f"{base}/files/{{field_key}}", "post", {}),
        "Check": (f"{base}/check", "get", {}),
        "Submit": (f"{base}/submit", "post", {}),
        "Detail": (base, "get", {}),
    }
    created = paths.get("/api/v1/applications", {}).get("post", {})
    listed = paths.get("/api/v1/forms", {}).get("get", {})
    if created.get("operationId"):
        listed.get("responses", {}).get("200", {}).setdefault("links", {})[
            "StartDraft"
        ] = {
            "operationId": created["operationId"],
            "requestBody": {"form_id": "$response.body#/0/id"},
        }
    saved = paths.get(f"{base}/steps/{{number}}", {}).get("put", {})
    for name, (path, method, extra) in follow.items():
        target = operation_id(path, method)
        if target is None:
            continue
        created.get("responses", {}).get("201", {}).setdefault("links", {})[name] = {
            "operationId": target,
            "parameters": {"application_uuid": "$response.body#/uuid", **extra},
        }
        if name in ("Check", "Submit"):
            saved.get("responses", {}).get("200", {}).setdefault("links", {})[name] = {
                "operationId": target,
                "parameters": {"application_uuid": "$request.path.application_uuid"},
            }


api = ApplicationAPI(
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
    ("/calculator/", calculator.router),
]
for prefix, router in ROUTERS:
    api.add_router(prefix, router)


def _wrong_method_as_problem(view):
    """Ninja answers a known path with a wrong method in plain text; the API
    answers every error as problem+json."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            problem = problems.problem_response("method_not_allowed")
            problem["Allow"] = response["Allow"]
            return problem
        return response

    return wrapped


@csrf_exempt
def _no_such_endpoint(request, *args, **kwargs):
    return problems.problem_response("not_found")


def urls():
    """The API's URL patterns for cms/urls.py: unknown paths under /api/v1/ are
    a problem+json 404, not the site's HTML page."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _wrong_method_as_problem(pattern.callback)
    patterns.append(re_path(r"", _no_such_endpoint))
    return patterns, app_name, namespace
