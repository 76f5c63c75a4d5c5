"""Pages: petitions."""


urlpatterns: list = []
