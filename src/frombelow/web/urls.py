"""The site: each area's pages (``views/<area>.py``), the API at /api/v1, the language switcher."""

from django.urls import include, path

from frombelow.web.api import api

AREAS = ("accounts", "federation", "councils", "factions", "delegates", "elections", "motions", "petitions", "ledger")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    *(path("", include(f"frombelow.web.views.{area}")) for area in AREAS),
]
