"""Pages: factions (platform, members, slates, dissent) and what their members do: found, join, leave, amend, dissolve."""

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
from django.views.decorators.http import require_POST

from frombelow.federation.errors import NotFound, RuleBroken
from frombelow.web import ids  # noqa: F401 registers <id:…>, which these paths use
from frombelow.web.actions import amend_platform, found_faction, join_faction, leave_faction, support_dissolution
from frombelow.web.identifiers import new_id
from frombelow.web.queries import factions, people
from frombelow.web.refusals import status_of
from frombelow.web.views.acting import acting


class FoundingForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    platform = forms.CharField(label=gettext_lazy("Platform: what it stands for"), widget=forms.Textarea)


class PlatformForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("The platform, amended"), widget=forms.Textarea)


def list_page(request: HttpRequest, status: int = 200, form: FoundingForm | None = None) -> HttpResponse:
    context = {"factions": factions.factions(), "form": form or FoundingForm()}
    return render(request, "platform/factions/list.html", context, status=status)


def faction_page(
    request: HttpRequest, faction_id: str, status: int = 200, form: PlatformForm | None = None
) -> HttpResponse:
    try:
        shown = factions.faction(faction_id)
    except NotFound as missing:
        raise Http404(str(missing)) from None
    me = people.me(request.user)
    context = {
        "faction": shown,
        "belongs": me is not None and factions.belongs(me.id, faction_id),
        "form": form or PlatformForm(initial={"text": shown.row.data["platform"]}),
    }
    return render(request, "platform/factions/faction.html", context, status=status)


def index(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return found(request)
    return list_page(request)


@login_required
@require_POST
def found(request: HttpRequest) -> HttpResponse:
    form = FoundingForm(request.POST)
    if not form.is_valid():
        return list_page(request, 400, form)
    faction_id = new_id("faction", form.cleaned_data["name"])
    try:
        found_faction.run(
            people.acting(request.user).id, faction_id, form.cleaned_data["name"], form.cleaned_data["platform"]
        )
    except RuleBroken as refusal:
        form.add_error(None, str(refusal))
        return list_page(request, status_of(refusal), form)
    messages.success(request, _("The faction is founded, and you are its first member."))
    return redirect("faction", faction_id=faction_id)


def faction(request: HttpRequest, faction_id: str) -> HttpResponse:
    return faction_page(request, faction_id)


def _act(request: HttpRequest, faction_id: str, act: Callable[[str], object], done: str) -> HttpResponse:
    """Run one faction action as the member logged in: back to the faction's page, or its refusal shown there."""
    back = reverse("faction", kwargs={"faction_id": faction_id})
    return acting(request, act, done, back, lambda status: faction_page(request, faction_id, status))


@login_required
@require_POST
def join(request: HttpRequest, faction_id: str) -> HttpResponse:
    return _act(request, faction_id, lambda member: join_faction.run(member, faction_id), _("You have joined."))


@login_required
@require_POST
def leave(request: HttpRequest, faction_id: str) -> HttpResponse:
    return _act(request, faction_id, lambda member: leave_faction.run(member, faction_id), _("You have left."))


@login_required
@require_POST
def amend(request: HttpRequest, faction_id: str) -> HttpResponse:
    form = PlatformForm(request.POST)
    if not form.is_valid():
        return faction_page(request, faction_id, 400, form)
    text = form.cleaned_data["text"]
    return _act(
        request, faction_id, lambda member: amend_platform.run(member, faction_id, text), _("The platform is amended.")
    )


@login_required
@require_POST
def dissolve(request: HttpRequest, faction_id: str) -> HttpResponse:
    return _act(
        request,
        faction_id,
        lambda member: support_dissolution.run(member, faction_id),
        _("Your support for dissolving it is recorded: it dissolves when more than half its members support it."),
    )


urlpatterns = [
    path("factions", index, name="factions"),
    path("factions/<id:faction_id>", faction, name="faction"),
    path("factions/<id:faction_id>/join", join, name="join_faction"),
    path("factions/<id:faction_id>/leave", leave, name="leave_faction"),
    path("factions/<id:faction_id>/platform", amend, name="amend_platform"),
    path("factions/<id:faction_id>/dissolution", dissolve, name="support_dissolution"),
]
