"""Pages: factions."""


urlpatterns: list = []
