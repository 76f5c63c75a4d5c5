"""Pages: councils."""


urlpatterns: list = []
