"""Pages: ledger."""


urlpatterns: list = []
