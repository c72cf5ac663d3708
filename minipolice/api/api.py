from ninja import NinjaAPI

api = NinjaAPI(
    title="Mini Police Hub API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
