"""Pages: delegates."""


urlpatterns: list = []
