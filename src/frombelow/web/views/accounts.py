"""Pages: logging in and out, one's account (API tokens, invitations, leaving), joining by invitation."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from frombelow.federation.errors import RuleBroken
from frombelow.web.actions import issue_api_token, join, leave, revoke_api_token
from frombelow.web.queries import people
from frombelow.web.refusals import status_of


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("What the token is for"), max_length=100, required=False)


class LeaveForm(forms.Form):
    confirm = forms.BooleanField(label=gettext_lazy("Yes, I leave the federation, its factions and every seat I hold"))


class JoinForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    name = forms.CharField(label=gettext_lazy("Your name, as other members will see it"), max_length=200)
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput, min_length=10)


def account_page(request: HttpRequest, status: int = 200, **shown: object) -> HttpResponse:
    me = people.me(request.user)
    context = {
        "tokens": people.tokens(request.user),
        "token_form": shown.pop("token_form", None) or TokenForm(),
        "leave_form": shown.pop("leave_form", None) or LeaveForm(),
        "council": people.council_names([me.council])[me.council] if me and me.council else None,
        "factions": people.factions_of(me.id) if me else [],
        "seats": people.seats(me.id) if me else [],
        **shown,
    }
    return render(request, "platform/accounts/account.html", context, status=status)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return account_page(request)


@login_required
@require_POST
def make_token(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return account_page(request, 400, token_form=form)
    token = issue_api_token.run(request.user, form.cleaned_data["name"])
    # A secret shown once is rendered here, not carried through a redirect's cookie.
    return account_page(request, 201, new_token=token)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        revoke_api_token.run(request.user, token_id)
    except RuleBroken as refusal:
        messages.error(request, str(refusal))
        return account_page(request, status_of(refusal))
    messages.success(request, _("The token is revoked: it no longer works."))
    return redirect("account")


@login_required
@require_POST
def leave_federation(request: HttpRequest) -> HttpResponse:
    form = LeaveForm(request.POST)
    if not form.is_valid():
        return account_page(request, 400, leave_form=form)
    try:
        leave.run(people.acting(request.user).id)
    except RuleBroken as refusal:
        messages.error(request, str(refusal))
        return account_page(request, status_of(refusal))
    messages.success(request, _("You have left the federation. Your record stays in the ledger."))
    return redirect("account")


def join_page(request: HttpRequest, code: str) -> HttpResponse:
    """A newcomer accepts an invitation: a login and membership of the inviting base council, then to it."""
    try:
        invitation = people.invitation(code)
    except RuleBroken as refusal:
        return render(request, "platform/accounts/join.html", {"refusal": str(refusal)}, status=status_of(refusal))
    form = JoinForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                join.run(code, data["username"], data["name"], data["password"])
            except RuleBroken as refusal:
                form.add_error(None, str(refusal))
                status = status_of(refusal)
            else:
                login(request, authenticate(request, username=data["username"], password=data["password"]))
                messages.success(request, _("Welcome to %(council)s.") % {"council": invitation.council_name})
                return redirect("council", council_id=invitation.council)
    return render(request, "platform/accounts/join.html", {"invitation": invitation, "form": form}, status=status)


urlpatterns = [
    path("login", auth_views.LoginView.as_view(template_name="platform/accounts/login.html"), name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("account", account, name="account"),
    path("account/tokens", make_token, name="make_token"),
    path("account/tokens/<int:token_id>/revoke", revoke_token, name="revoke_token"),
    path("account/leave", leave_federation, name="leave"),
    path("join/<str:code>", join_page, name="join"),
]
