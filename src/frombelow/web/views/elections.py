"""Pages: elections."""


urlpatterns: list = []
