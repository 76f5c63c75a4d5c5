"""Pages: motions (propose, amend, mandate, call the vote, withdraw), their vote and decision, objections."""

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
    call_vote,
    object_to_decision,
    propose_amendment,
    propose_mandate,
    propose_motion,
    withdraw_motion,
)
from frombelow.web.identifiers import new_id
from frombelow.web.ids import names_nothing  # importing it registers <id:…>, which these paths use
from frombelow.web.queries import motions, people
from frombelow.web.refusals import status_of
from frombelow.web.views.acting import acting
from frombelow.web.views.elections import BallotForm, take_receipt


class MotionForm(forms.Form):
    council = forms.CharField(label=gettext_lazy("Council"), max_length=200)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    text = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea, max_length=20000)


class AmendmentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("The motion's text as your amendment would have it"), widget=forms.Textarea, max_length=20000
    )


class MandateForm(forms.Form):
    council = forms.CharField(label=gettext_lazy("Your council"), max_length=200)
    position = forms.ChoiceField(
        label=gettext_lazy("Mandate its delegates to vote"),
        choices=[("yes", gettext_lazy("yes")), ("no", gettext_lazy("no")), ("abstain", gettext_lazy("abstain"))],
    )
    text = forms.CharField(label=gettext_lazy("Why"), widget=forms.Textarea, max_length=20000)


def motion_url(motion_id: str) -> str:
    return reverse("motion", args=[motion_id])


def field_errors(form: forms.Form) -> str:
    """Each field's problem, naming the field."""
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else _('form')}: {' '.join(errors)}"
        for name, errors in form.errors.items()
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    council = request.GET.get("council") or None
    # An id no council could have lists nothing, as one no council has does (the database is not asked).
    shown = [] if council and names_nothing(council) else motions.listing(council)
    return render(request, "platform/motions/index.html", {"motions": shown})


@require_GET
def motion(request: HttpRequest, motion_id: str) -> HttpResponse:
    return page(request, motion_id, 200)


def page(request: HttpRequest, motion_id: str, status: int, **forms_shown: forms.Form) -> HttpResponse:
    """The motion's page; after a refusal, shown again with ``status`` and the forms as sent."""
    row = motions.find(motion_id)
    if row is None:
        raise Http404(_("there is no such motion"))
    me = people.me(request.user)
    view = motions.view(row, me.id if me else None)
    ballot = None
    if view.poll is not None and view.poll.may_vote:
        sent = request.method == "POST" and request.POST.get("poll") == view.poll.row.id
        ballot = BallotForm(view.poll, request.POST) if sent else BallotForm(view.poll)
    context = {
        "motion": view,
        "poll": view.poll,
        "ballot": ballot,
        "receipt": take_receipt(request, view.poll.row.id) if view.poll else None,
        "amendment_form": forms_shown.get("amendment_form") or AmendmentForm(initial={"text": row.data["text"]}),
        "mandate_form": forms_shown.get("mandate_form") or MandateForm(),
    }
    return render(request, "platform/motions/motion.html", context, status=status)


def _acting(
    request: HttpRequest, motion_id: str, act: Callable[[str], object], done: str, **forms_shown: forms.Form
) -> HttpResponse:
    if motions.find(motion_id) is None:
        raise Http404(_("there is no such motion"))
    shown_again = lambda status: page(request, motion_id, status, **forms_shown)
    return acting(request, act, done, motion_url(motion_id), shown_again)


def _malformed(request: HttpRequest, motion_id: str, form: forms.Form, name: str) -> HttpResponse:
    messages.error(request, field_errors(form))
    return page(request, motion_id, 400, **{name: form})


@require_POST
@login_required
def vote_call(request: HttpRequest, motion_id: str) -> HttpResponse:
    return _acting(request, motion_id, lambda me: call_vote.run(me, motion_id), _("The vote is open."))


@require_POST
@login_required
def withdraw(request: HttpRequest, motion_id: str) -> HttpResponse:
    return _acting(request, motion_id, lambda me: withdraw_motion.run(me, motion_id), _("The motion is withdrawn."))


@require_POST
@login_required
def amend(request: HttpRequest, motion_id: str) -> HttpResponse:
    form = AmendmentForm(request.POST)
    if not form.is_valid():
        return _malformed(request, motion_id, form, "amendment_form")
    amendment = new_id("amendment", motion_id)
    text = form.cleaned_data["text"]
    return _acting(
        request,
        motion_id,
        lambda me: propose_amendment.run(me, amendment, motion_id, text),
        _("The amendment is on the agenda."),
        amendment_form=form,
    )


@require_POST
@login_required
def mandate(request: HttpRequest, motion_id: str) -> HttpResponse:
    form = MandateForm(request.POST)
    if not form.is_valid():
        return _malformed(request, motion_id, form, "mandate_form")
    motion_id_ = new_id("mandate", motion_id)
    sent = form.cleaned_data
    return _acting(
        request,
        motion_id,
        lambda me: propose_mandate.run(me, motion_id_, sent["council"], motion_id, sent["position"], sent["text"]),
        _("The mandate is on your council's agenda: it binds once your council carries it."),
        mandate_form=form,
    )


@require_POST
@login_required
def object_to(request: HttpRequest, decision_id: str) -> HttpResponse:
    return _acting(
        request,
        decision_id,
        lambda me: object_to_decision.run(me, decision_id),
        _("Your objection is recorded."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def new(request: HttpRequest) -> HttpResponse:
    """Propose a motion in a council the member sits in."""
    me = people.me(request.user)
    sat_in = motions.councils_sat_in(me.id) if me else []
    if request.method == "GET":
        form = MotionForm(initial={"council": request.GET.get("council", "")})
        return render(request, "platform/motions/new.html", {"form": form, "councils": sat_in})
    form = MotionForm(request.POST)
    status = 400
    if form.is_valid():
        sent = form.cleaned_data
        motion_id = new_id("motion", sent["title"])
        try:
            if me is None:
                raise NotAllowed(_("only members propose motions"))
            propose_motion.run(me.id, motion_id, sent["council"], sent["title"], sent["text"])
        except RuleBroken as refusal:
            messages.error(request, str(refusal))
            status = status_of(refusal)
        else:
            messages.success(request, _("The motion is on the agenda."))
            return redirect(motion_url(motion_id))
    else:
        messages.error(request, field_errors(form))
    return render(request, "platform/motions/new.html", {"form": form, "councils": sat_in}, status=status)


urlpatterns = [
    path("motions/", index, name="motions"),
    path("motions/new", new, name="new-motion"),
    path("motions/<id:motion_id>", motion, name="motion"),
    path("motions/<id:motion_id>/vote-call", vote_call, name="call-vote"),
    path("motions/<id:motion_id>/withdraw", withdraw, name="withdraw-motion"),
    path("motions/<id:motion_id>/amendments", amend, name="amend-motion"),
    path("motions/<id:motion_id>/mandates", mandate, name="mandate-motion"),
    path("decisions/<id:decision_id>/objections", object_to, name="object-to-decision"),
]
