"""Pages: elections (nominate, accept, open the vote, the ballot, the count) and voting in any poll.

Every poll's ballot goes to one form handler (``cast``), whichever page shows it; a
secret ballot's receipt is shown in the response to the ballot, once, and stored nowhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from frombelow.federation.errors import RuleBroken
from frombelow.web.actions import accept_nomination, cast_ballot, nominate, open_election, withdraw_nomination
from frombelow.web.ids import names_nothing  # importing it registers <slashed_id:…>, which these paths use
from frombelow.web.queries import elections, people, polls
from frombelow.web.refusals import status_of
from frombelow.web.views.acting import acting

if TYPE_CHECKING:
    from frombelow.web.models import PollRow  # the rows queries hand over

# --- the ballot ----------------------------------------------------------------------------------


class BallotForm(forms.Form):
    """One ballot, as the poll's method marks it: a select per rank, or radios / checkboxes."""

    poll = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, view: polls.PollView, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.view = view
        choices = view.choices
        if view.kind == "ranked":
            for rank in range(1, len(choices) + 1):
                self.fields[f"rank-{rank}"] = forms.ChoiceField(
                    label=_("Choice %(rank)d") % {"rank": rank}, required=False, choices=[("", "—"), *choices]
                )
        elif view.kind == "approval":
            self.fields["marks"] = forms.MultipleChoiceField(
                label=_("Your choices"), choices=choices, widget=forms.CheckboxSelectMultiple
            )
        else:
            self.fields["marks"] = forms.ChoiceField(label=_("Your choice"), choices=choices, widget=forms.RadioSelect)
        self.fields["poll"].initial = view.row.id

    @property
    def ranks(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("rank-")]

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.view.kind != "ranked":
            return cleaned
        ranked = [cleaned.get(f"rank-{n}") or "" for n in range(1, len(self.view.choices) + 1)]
        marks = [m for m in ranked if m]
        if not marks:
            raise forms.ValidationError(_("rank at least one candidate: put your first choice as choice 1"))
        if "" in ranked[: len(marks)]:
            gap = ranked.index("") + 1
            raise forms.ValidationError(
                _(
                    "choice %(gap)d is blank but a later choice is not: fill your choices in order, blanks only at the end"
                )
                % {"gap": gap}
            )
        shown = dict(self.view.choices)
        for mark in marks:
            if marks.count(mark) > 1:
                at = [str(n + 1) for n, m in enumerate(ranked) if m == mark]
                raise forms.ValidationError(
                    _("%(name)s is ranked more than once (choices %(ranks)s): rank each candidate once")
                    % {"name": shown[mark], "ranks": ", ".join(at)}
                )
        cleaned["marks"] = marks
        return cleaned

    def marks(self) -> list[str]:
        marks = self.cleaned_data["marks"]
        return [marks] if isinstance(marks, str) else list(marks)


def ballot_errors(form: BallotForm) -> str:
    """Every problem with a ballot in one line, each naming where it is."""
    parts = []
    for name, errors in form.errors.items():
        where = "" if name == "__all__" else f"{form.fields[name].label if name in form.fields else name}: "
        parts.extend(where + str(e) for e in errors)
    return "; ".join(parts)


@require_POST
@login_required
def cast(request: HttpRequest) -> HttpResponse:
    me = people.me(request.user)
    row = _poll(request.POST.get("poll", ""))
    if row is None:
        raise Http404(_("there is no such vote"))
    page = page_of(row)
    if me is None:
        return page.refused(request, _("only members vote"), 403)
    view = polls.view(row, me.id)
    form = BallotForm(view, request.POST)
    if not form.is_valid():
        return page.refused(request, ballot_errors(form), 400)
    try:
        receipt = cast_ballot.run(me.id, row.id, form.marks())
    except RuleBroken as refusal:
        return page.refused(request, str(refusal), status_of(refusal))
    if receipt is None:
        messages.success(request, _("Your vote is recorded, by name, in the roll call."))
        return redirect(page.url)
    messages.success(request, _("Your ballot is in the box."))
    # The receipt goes out in this response and is kept nowhere: not even in the session,
    # whose row names the member (a stored receipt would link them to their ballot).
    request.receipt = {"poll": row.id, "text": receipt.text}
    return page.show(request, 200)


def take_receipt(request: HttpRequest, poll_id: str) -> str | None:
    """The receipt of the ballot this very request cast in this poll, if it did."""
    kept = getattr(request, "receipt", None)
    return kept["text"] if kept and kept["poll"] == poll_id else None


# --- which page shows a poll ---------------------------------------------------------------------


class Page:
    """The page a poll belongs to: where a ballot returns, and how a refusal re-renders it."""

    def __init__(self, url: str, show: Callable[[HttpRequest, int], HttpResponse]) -> None:
        self.url = url
        self.show = show

    def refused(self, request: HttpRequest, message: str, status: int) -> HttpResponse:
        messages.error(request, message)
        return self.show(request, status)


def page_of(row: PollRow) -> Page:
    if row.purpose == "election":
        return Page(election_url(row.subject), lambda request, status: _election_page(request, row.subject, status))
    if row.purpose == "motion":
        from frombelow.web.views import motions  # the motion's page shows its vote

        return Page(motions.motion_url(row.subject), lambda request, status: motions.page(request, row.subject, status))
    return Page(poll_url(row.id), lambda request, status: _poll_page(request, row.id, status))


def election_url(election_id: str) -> str:
    return reverse("election", args=[election_id])


def _poll(poll_id: str) -> PollRow | None:
    """The poll of that id; none for an id no poll could have (PostgreSQL could not even look it up)."""
    return None if names_nothing(poll_id) else polls.find(poll_id)


def poll_url(poll_id: str) -> str:
    return reverse("poll") + "?poll=" + quote(poll_id, safe="")


# --- pages ---------------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    council = request.GET.get("council") or None
    if council and names_nothing(council):  # as for any council that does not exist, without asking the database
        undecided, decided, named = [], [], {council: council}
    else:
        undecided, decided = elections.listing(council)
        named = elections.council_names({council}) if council else {}
    return render(
        request,
        "platform/elections/index.html",
        {"undecided": undecided, "decided": decided, "council": named.get(council or "", "")},
    )


@require_GET
def election(request: HttpRequest, election_id: str) -> HttpResponse:
    return _election_page(request, election_id, 200)


def _election_page(request: HttpRequest, election_id: str, status: int) -> HttpResponse:
    row = elections.find(election_id)
    if row is None:
        raise Http404(_("there is no such election"))
    me = people.me(request.user)
    view = elections.view(row, me.id if me else None)
    context = {
        "election": view,
        "poll": view.poll,
        "receipt": take_receipt(request, row.poll) if row.poll else None,
        "ballot": _ballot(request, view.poll, status),
        "turnout_url": poll_url(row.poll) if row.poll else "",
    }
    return render(request, "platform/elections/election.html", context, status=status)


@require_GET
def poll(request: HttpRequest) -> HttpResponse:
    """Any poll by its id (a recall vote, a referendum): the ballot and the count."""
    return _poll_page(request, request.GET.get("poll", ""), 200)


def _poll_page(request: HttpRequest, poll_id: str, status: int) -> HttpResponse:
    row = _poll(poll_id)
    if row is None:
        raise Http404(_("there is no such vote"))
    if status == 200 and row.purpose in ("election", "motion"):
        return redirect(page_of(row).url)
    me = people.me(request.user)
    view = polls.view(row, me.id if me else None)
    context = {"poll": view, "receipt": take_receipt(request, row.id), "ballot": _ballot(request, view, status)}
    return render(request, "platform/elections/poll.html", context, status=status)


def _ballot(request: HttpRequest, view: polls.PollView | None, status: int) -> BallotForm | None:
    """The ballot form, bound to what was sent when it is shown again after a refusal."""
    if view is None or not view.may_vote:
        return None
    sent = request.method == "POST" and request.POST.get("poll") == view.row.id and status != 200
    return BallotForm(view, request.POST) if sent else BallotForm(view)


@require_GET
def turnout(request: HttpRequest) -> HttpResponse:
    """The live count: "N of M voted" (htmx polls it)."""
    row = _poll(request.GET.get("poll", ""))
    if row is None:
        raise Http404(_("there is no such vote"))
    return render(request, "platform/elections/_turnout.html", {"poll": row})


# --- nominations ---------------------------------------------------------------------------------


class NominateForm(forms.Form):
    nominee = forms.CharField(label=gettext_lazy("Nominee"), max_length=200)


def _acting(request: HttpRequest, election_id: str, act: Callable[[str], object], done: str) -> HttpResponse:
    if elections.find(election_id) is None:
        raise Http404(_("there is no such election"))
    shown_again = lambda status: _election_page(request, election_id, status)
    return acting(request, act, done, election_url(election_id), shown_again)


@require_POST
@login_required
def nominate_view(request: HttpRequest, election_id: str) -> HttpResponse:
    form = NominateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nominee: choose someone to nominate"))
        return _election_page(request, election_id, 400)
    nominee = form.cleaned_data["nominee"]
    return _acting(
        request, election_id, lambda me: nominate.run(me, election_id, nominee), _("The nomination is recorded.")
    )


@require_POST
@login_required
def accept(request: HttpRequest, election_id: str) -> HttpResponse:
    return _acting(
        request, election_id, lambda me: accept_nomination.run(me, election_id), _("You stand in this election.")
    )


@require_POST
@login_required
def withdraw(request: HttpRequest, election_id: str) -> HttpResponse:
    return _acting(
        request, election_id, lambda me: withdraw_nomination.run(me, election_id), _("Your nomination is withdrawn.")
    )


@require_POST
@login_required
def open_vote(request: HttpRequest, election_id: str) -> HttpResponse:
    return _acting(request, election_id, lambda me: open_election.run(me, election_id), _("The vote is open."))


urlpatterns = [
    path("elections/", index, name="elections"),
    path("polls/", poll, name="poll"),
    path("polls/ballot", cast, name="ballot"),
    path("polls/turnout", turnout, name="turnout"),
    path("elections/<slashed_id:election_id>/nominations", nominate_view, name="nominate"),
    path("elections/<slashed_id:election_id>/accept", accept, name="accept-nomination"),
    path("elections/<slashed_id:election_id>/withdraw", withdraw, name="withdraw-nomination"),
    path("elections/<slashed_id:election_id>/open", open_vote, name="open-election"),
    path("elections/<slashed_id:election_id>", election, name="election"),
]
