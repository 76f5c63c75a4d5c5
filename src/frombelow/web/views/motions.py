"""Pages: motions."""


urlpatterns: list = []
