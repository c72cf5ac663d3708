"""The API's documentation page at /api/v1/docs, rendered from its own OpenAPI schema.

Swagger UI would need scripts from a CDN and an inline script, which the Content Security
Policy forbids; this page is plain server-rendered HTML in the site's GOV.UK style, readable
without JavaScript. Client generators use /api/v1/openapi.json.
"""

from django.shortcuts import render
from ninja.openapi.docs import DocsBase

METHODS = ["get", "post", "put", "patch", "delete"]


def _schema_name(ref_holder) -> str:
    ref = (ref_holder or {}).get("$ref", "")
    return ref.rsplit("/", 1)[-1]


def _fields(schema: dict, components: dict) -> list[dict]:
    """The properties of a request body schema, for a table."""
    target = components.get(_schema_name(schema), schema)
    required = set(target.get("required", []))
    rows = []
    for name, spec in target.get("properties", {}).items():
        options = spec.get("anyOf", [spec])
        kinds = [o.get("type") or _schema_name(o) or "object" for o in options]
        enum = next((o["enum"] for o in options if "enum" in o), None)
        rows.append(
            {
                "name": name,
                "type": " or ".join(k for k in kinds if k),
                "required": name in required,
                "description": spec.get("description", ""),
                "choices": ", ".join(map(str, enum)) if enum else "",
            }
        )
    return rows


def operations(schema: dict) -> list[dict]:
    components = schema.get("components", {}).get("schemas", {})
    groups: dict[str, list[dict]] = {}
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = (
                operation.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema")
            )
            groups.setdefault((operation.get("tags") or ["other"])[0], []).append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _fields(body, components) if body else [],
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return [{"tag": tag, "operations": ops} for tag, ops in groups.items()]


class ReadableDocs(DocsBase):
    def render_page(self, request, api, **kwargs):
        schema = api.get_openapi_schema(path_params=kwargs)
        return render(
            request,
            "api/docs.html",
            {
                "api": api,
                "groups": operations(schema),
                "openapi_url": self.get_openapi_url(api, kwargs),
            },
        )
