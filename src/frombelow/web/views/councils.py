"""Pages: a council (members or delegates, agenda, elections, petitions, decisions with dissent), its invitations
and the election of its secretary."""

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
from frombelow.web.actions import call_by_election as by_elections
from frombelow.web.actions import issue_invitation as invitations
from frombelow.web.actions import propose_secretary
from frombelow.web.actions import resign as resignation
from frombelow.web.identifiers import new_id
from frombelow.web.queries import councils, people
from frombelow.web.refusals import status_of
from frombelow.web.views.acting import acting
from frombelow.web.views.motions import field_errors, motion_url


class SecretaryForm(forms.Form):
    nominee = forms.ChoiceField(label=gettext_lazy("Nominee"))
    text = forms.CharField(label=gettext_lazy("Why"), widget=forms.Textarea, max_length=20000)

    def __init__(self, roll: list[tuple[str, str]], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["nominee"].choices = roll  # type: ignore[attr-defined]


def council_page(
    request: HttpRequest, council_id: str, status: int = 200, secretary_form: SecretaryForm | None = None
) -> HttpResponse:
    try:
        shown = councils.council(council_id)
    except NotFound as missing:
        raise Http404(str(missing)) from None
    me = people.me(request.user)
    member_here = me is not None and me.council == shown.row.id
    context = {
        "council": shown,
        "may_invite": me is not None and shown.may_invite(me.id, me.council),
        # Only its members elect a base council's secretary, so only they see the form.
        "secretary_form": (secretary_form or SecretaryForm(councils.roll(shown.row.id))) if member_here else None,
    }
    return render(request, "platform/councils/council.html", context, status=status)


def council(request: HttpRequest, council_id: str) -> HttpResponse:
    return council_page(request, council_id)


@login_required
@require_POST
def issue_invitation(request: HttpRequest, council_id: str) -> HttpResponse:
    try:
        code = invitations.run(people.acting(request.user).id, council_id)
    except RuleBroken as refusal:
        messages.error(request, str(refusal))
        return council_page(request, council_id, status_of(refusal))
    link = request.build_absolute_uri(reverse("join", args=[code]))
    # The code is shown once, here: it is not carried through a redirect's cookie.
    shown = {"id": council_id, "name": people.council_names([council_id])[council_id]}
    return render(request, "platform/accounts/invitation.html", {"link": link, "council": shown}, status=201)


def _acting(request: HttpRequest, council_id: str, act: Callable[[str], object], done: str) -> HttpResponse:
    back = reverse("council", args=[council_id])
    return acting(request, act, done, back, lambda status: council_page(request, council_id, status))


@login_required
@require_POST
def resign(request: HttpRequest, council_id: str) -> HttpResponse:
    """A delegate gives up their seat in this council; their constituent fills it by a by-election."""
    return _acting(request, council_id, lambda me: resignation.run(me, council_id), _("You have given up your seat."))


@login_required
@require_POST
def call_by_election(request: HttpRequest, council_id: str) -> HttpResponse:
    """A member of a constituent calls the by-election for its vacant seats in this council."""
    constituent = request.POST.get("constituent", "")
    return _acting(
        request,
        council_id,
        lambda me: by_elections.run(me, council_id, constituent),
        _("The by-election is called: nominations are open."),
    )


@login_required
@require_POST
def elect_secretary(request: HttpRequest, council_id: str) -> HttpResponse:
    """A member proposes a secretary for their council: a motion on its agenda, for its members to vote on."""
    form = SecretaryForm(councils.roll(council_id), request.POST)
    if not form.is_valid():
        messages.error(request, field_errors(form))
        return council_page(request, council_id, 400, secretary_form=form)
    motion = new_id("secretary", council_id)
    nominee, text = form.cleaned_data["nominee"], form.cleaned_data["text"]
    try:
        propose_secretary.run(people.acting(request.user).id, motion, council_id, nominee, text)
    except RuleBroken as refusal:
        messages.error(request, str(refusal))
        return council_page(request, council_id, status_of(refusal), secretary_form=form)
    messages.success(
        request, _("The election of a secretary is on the agenda: call the vote when the council is ready.")
    )
    return redirect(motion_url(motion))


urlpatterns = [
    path("councils/<id:council_id>", council, name="council"),
    path("councils/<id:council_id>/resignation", resign, name="resign"),
    path("councils/<id:council_id>/by-election", call_by_election, name="call_by_election"),
    path("councils/<id:council_id>/invitations", issue_invitation, name="issue_invitation"),
    path("councils/<id:council_id>/secretary", elect_secretary, name="elect_secretary"),
]
