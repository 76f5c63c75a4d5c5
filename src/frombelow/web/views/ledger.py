"""Pages: the ledger explorer (entries, checkpoints, inclusion proofs, the public key) and the receipt checker.

All public: the record is for anyone to read and check, logged in or not.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from frombelow.federation.errors import RuleBroken
from frombelow.web.queries import ledger
from frombelow.web.refusals import status_of

if TYPE_CHECKING:
    from frombelow.web.models import PollRow  # the rows queries hand over


class EntriesForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    page = forms.IntegerField(label=gettext_lazy("Page"), min_value=1, required=False)
    before = forms.IntegerField(label=gettext_lazy("Before entry"), min_value=0, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("every kind")), *((k, k) for k in ledger.kinds())]


class PageForm(forms.Form):
    page = forms.IntegerField(label=gettext_lazy("Page"), min_value=1, required=False)


class ReceiptForm(forms.Form):
    poll = forms.ChoiceField(label=gettext_lazy("The vote"))
    receipt = forms.CharField(
        label=gettext_lazy("Your receipt"),
        help_text=gettext_lazy("As you were given it: commitment:nonce (or the commitment alone)."),
        widget=forms.TextInput(attrs={"size": 80, "autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["poll"].choices = [("", _("choose a vote"))] + [
            (p.id, _poll_label(p)) for p in ledger.secret_polls()
        ]

    def clean_receipt(self) -> str:
        text = self.cleaned_data["receipt"]
        try:
            ledger.read_receipt(text)
        except RuleBroken as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return text.strip()


def _poll_label(poll: PollRow) -> str:
    state = _("counted") if poll.counted else _("open until %(at)s") % {"at": f"{poll.closes_at:%Y-%m-%d %H:%M}"}
    return f"{poll.question} ({state})"


@require_GET
def explorer(request: HttpRequest) -> HttpResponse:
    form = EntriesForm(request.GET)
    context = {"form": form, "size": ledger.size(), "checkpoint": ledger.latest_checkpoint()}
    if not form.is_valid():
        return render(request, "platform/ledger/explorer.html", context, status=400)
    shown = ledger.entries(form.cleaned_data["kind"], form.cleaned_data["page"], form.cleaned_data["before"])
    return render(request, "platform/ledger/explorer.html", {**context, "shown": shown})


@require_GET
def entry(request: HttpRequest, index: int) -> HttpResponse:
    try:
        detail = ledger.entry(index)
    except RuleBroken as refusal:
        return render(request, "platform/ledger/entry.html", {"refusal": str(refusal)}, status=status_of(refusal))
    except ledger.LedgerDamaged as damage:
        return render(request, "platform/ledger/entry.html", {"refusal": str(damage)}, status=500)
    return render(request, "platform/ledger/entry.html", {"entry": detail, "index": index})


@require_GET
def proof(request: HttpRequest, index: int) -> HttpResponse:
    """The inclusion proof as a file for ``frombelow proof --check FILE``."""
    try:
        made = ledger.inclusion_proof(index)
    except RuleBroken as refusal:
        return HttpResponse(str(refusal), status=status_of(refusal), content_type="text/plain; charset=utf-8")
    except ledger.LedgerDamaged as damage:
        return HttpResponse(str(damage), status=500, content_type="text/plain; charset=utf-8")
    response = HttpResponse(json.dumps(made, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="entry-{index}-proof.json"'
    return response


@require_GET
def checkpoints(request: HttpRequest) -> HttpResponse:
    form = PageForm(request.GET)
    if not form.is_valid():
        return render(request, "platform/ledger/checkpoints.html", {"form": form}, status=400)
    signed, page = ledger.checkpoint_page(form.cleaned_data["page"])
    return render(
        request,
        "platform/ledger/checkpoints.html",
        {"form": form, "checkpoints": signed, "page": page, "key_id": ledger.key_id()},
    )


@require_GET
def public_key(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(ledger.public_key_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'inline; filename="public_key.pem"'
    return response


@require_http_methods(["GET", "POST"])
def receipt(request: HttpRequest) -> HttpResponse:
    """The form by GET (``?poll=`` chooses the vote); the answer by POST (a receipt is kept out of URLs and logs)."""
    if request.method == "GET":
        form = ReceiptForm(initial={"poll": request.GET.get("poll", "")})
        return render(request, "platform/ledger/receipt.html", {"form": form})
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        return render(request, "platform/ledger/receipt.html", {"form": form}, status=400)
    try:
        answer = ledger.check_receipt(form.cleaned_data["poll"], form.cleaned_data["receipt"])
    except RuleBroken as refusal:
        return render(
            request, "platform/ledger/receipt.html", {"form": form, "refusal": str(refusal)}, status=status_of(refusal)
        )
    return render(request, "platform/ledger/receipt.html", {"form": form, "answer": answer})


urlpatterns = [
    path("ledger/", explorer, name="ledger"),
    path("ledger/checkpoints", checkpoints, name="ledger-checkpoints"),
    path("ledger/public-key.pem", public_key, name="ledger-public-key"),
    path("ledger/<int:index>", entry, name="ledger-entry"),
    path("ledger/<int:index>/proof.json", proof, name="ledger-proof"),
    path("receipt", receipt, name="receipt"),
]
