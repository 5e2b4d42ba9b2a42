"""``/api/v1/`` (django-ninja) and its docs page at ``/api/docs``.

The docs page is Swagger UI from django-ninja's own static files (``ninja``
is an installed app), so it loads nothing from another site.
"""

from django.urls import path
from django.views.decorators.http import require_safe
from ninja import NinjaAPI

from .errors import handlers_install
from .ingest import router as ingest_router
from .public import router as public_router

api = NinjaAPI(
    title="Tilmash API",
    version="1",
    description=(
        "Public reads of live editions (no key), and ingest for the newsroom's systems "
        "with an API key: `Authorization: Bearer tlm_…`."
    ),
    urls_namespace="api-v1",
    docs_url=None,
)
handlers_install(api)
api.add_router("/", public_router)
api.add_router("/", ingest_router)


@require_safe
def docs(request):
    """The API's docs page (Swagger UI over ``/api/v1/openapi.json``)."""
    return api.docs.render_page(request, api)


urlpatterns = [
    path("v1/", api.urls),
    path("docs", docs, name="api-docs"),
]
