"""Pages: petitions from below (recall a delegate, put an initiative on a council's agenda): start, sign, withdraw."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frombelow.federation.errors import NotAllowed, RuleBroken
from frombelow.web.actions import (
    open_recall_petition,
    sign_initiative,
    sign_recall,
    start_initiative,
    withdraw_signature,
)
from frombelow.web.identifiers import new_id
from frombelow.web.ids import names_nothing  # importing it registers <id:…>, which these paths use
from frombelow.web.queries import people, petitions
from frombelow.web.refusals import status_of
from frombelow.web.views.acting import acting
from frombelow.web.views.motions import field_errors


class RecallForm(forms.Form):
    council = forms.CharField(label=gettext_lazy("Council the delegate sits in"), max_length=200)
    delegate = forms.CharField(label=gettext_lazy("Delegate"), max_length=200)
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea, max_length=5000)


class InitiativeForm(forms.Form):
    council = forms.CharField(label=gettext_lazy("Council whose agenda it would reach"), max_length=200)
    title = forms.CharField(label=gettext_lazy("Title of the motion"), max_length=300)
    text = forms.CharField(label=gettext_lazy("Text of the motion"), widget=forms.Textarea, max_length=20000)


def petition_url(petition_id: str) -> str:
    return reverse("petition", args=[petition_id])


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    council = request.GET.get("council") or None
    # An id no council could have lists nothing, as one no council has does (the database is not asked).
    shown = [] if council and names_nothing(council) else petitions.listing(council)
    return render(request, "platform/petitions/index.html", {"petitions": shown})


@require_GET
def petition(request: HttpRequest, petition_id: str) -> HttpResponse:
    return _page(request, petition_id, 200)


def _page(request: HttpRequest, petition_id: str, status: int) -> HttpResponse:
    row = petitions.find(petition_id)
    if row is None:
        raise Http404(_("there is no such petition"))
    me = people.me(request.user)
    context = {"petition": petitions.view(row, me.id if me else None)}
    return render(request, "platform/petitions/petition.html", context, status=status)


@require_http_methods(["GET", "POST"])
def signatures(request: HttpRequest, petition_id: str) -> HttpResponse:
    """GET: the live count ("N of M signatures", htmx polls it); POST: sign."""
    row = petitions.find(petition_id)
    if row is None:
        raise Http404(_("there is no such petition"))
    if request.method == "GET":
        return render(request, "platform/petitions/_count.html", {"petition": petitions.view(row, None)})
    if not request.user.is_authenticated:
        return redirect(reverse("login") + "?next=" + petition_url(petition_id))
    sign = sign_recall if petitions.kind_of(row) == "recall" else sign_initiative
    return _acting(request, petition_id, lambda me: sign.run(me, petition_id), _("You have signed."))


@require_POST
@login_required
def withdraw(request: HttpRequest, petition_id: str) -> HttpResponse:
    if petitions.find(petition_id) is None:
        raise Http404(_("there is no such petition"))
    return _acting(
        request, petition_id, lambda me: withdraw_signature.run(me, petition_id), _("Your signature is withdrawn.")
    )


def _acting(request: HttpRequest, petition_id: str, act: Callable[[str], object], done: str) -> HttpResponse:
    return acting(request, act, done, petition_url(petition_id), lambda status: _page(request, petition_id, status))


@require_http_methods(["GET", "POST"])
@login_required
def new(request: HttpRequest) -> HttpResponse:
    """Start a recall petition (``?council=&delegate=``) or an initiative (``?kind=initiative&council=``)."""
    source = request.POST if request.method == "POST" else request.GET
    kind = "initiative" if source.get("kind") == "initiative" else "recall"
    form_class = InitiativeForm if kind == "initiative" else RecallForm
    if request.method == "GET":
        return _new_page(request, kind, form_class(initial=request.GET.dict()), 200)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, field_errors(form))
        return _new_page(request, kind, form, 400)
    me = people.me(request.user)
    sent = form.cleaned_data
    petition_id = new_id("initiative" if kind == "initiative" else "recall", sent.get("title", ""))
    try:
        if me is None:
            raise NotAllowed(_("only members start petitions"))
        if kind == "initiative":
            start_initiative.run(me.id, petition_id, sent["council"], sent["title"], sent["text"])
        else:
            open_recall_petition.run(me.id, petition_id, sent["council"], sent["delegate"], reason=sent["reason"])
    except RuleBroken as refusal:
        messages.error(request, str(refusal))
        return _new_page(request, kind, form, status_of(refusal))
    messages.success(request, _("The petition is open for signatures."))
    return redirect(petition_url(petition_id))


def _new_page(request: HttpRequest, kind: str, form: forms.Form, status: int) -> HttpResponse:
    councils, delegates = petitions.recall_choices()
    context = {"kind": kind, "form": form, "councils": councils, "delegates": delegates}
    return render(request, "platform/petitions/new.html", context, status=status)


urlpatterns = [
    path("petitions/", index, name="petitions"),
    path("petitions/new", new, name="new-petition"),
    path("petitions/<id:petition_id>", petition, name="petition"),
    path("petitions/<id:petition_id>/signatures", signatures, name="petition-signatures"),
    path("petitions/<id:petition_id>/withdraw", withdraw, name="withdraw-signature"),
]
