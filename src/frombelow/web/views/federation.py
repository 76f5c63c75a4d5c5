"""Pages: federation."""


urlpatterns: list = []
