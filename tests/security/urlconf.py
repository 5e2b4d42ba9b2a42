"""Every URL pattern the project answers, found by walking the URLconf.

The admin site's patterns come in through ``admin.site.urls`` (its own
``get_urls`` and every registered ModelAdmin's, the added desk views
included), the XLIFF views through their include, the public pages through
``i18n_patterns``. A pattern is named by its namespaced URL name, or, when it
has none, by its full route.
"""

from dataclasses import dataclass

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

# The kinds of URL every ModelAdmin adds, by the suffix of their names.
MODEL_URL_KINDS = ("changelist", "add", "history", "delete", "change")


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or the route for an unnamed pattern
    route: str


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if entry.name:
                key = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                key = route
            yield Pattern(key, route)


def project_patterns():
    """Every pattern, with language prefixes written as ``en/``."""
    with translation.override("en"):
        return list(_walk(get_resolver()))


def model_admin_keys(model):
    """The keys of the stock patterns one registered ModelAdmin adds."""
    opts = model._meta
    info = f"{opts.app_label}_{opts.model_name}"
    keys = {kind: f"admin:{info}_{kind}" for kind in MODEL_URL_KINDS}
    # Django's redirect from the bare object URL to its change page has no name.
    keys["object"] = f"admin/{opts.app_label}/{opts.model_name}/<path:object_id>/"
    return keys


def registered_models():
    return {model._meta.label_lower: model for model in admin.site._registry}
