"""Pages: accounts."""


urlpatterns: list = []
