from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from retorno.accounts import access, actions
from retorno.accounts.forms import (
    AddMembershipForm,
    InviteForm,
    OrganisationForm,
    ReasonForm,
    TokenForm,
    UserFilterForm,
)
from retorno.accounts.middleware import SESSION_LANGUAGE_CHOSEN_KEY, SESSION_MEMBERSHIP_KEY
from retorno.accounts.models import Organisation
from retorno.accounts.roles import Capability
from retorno.audit.queries import changes_since
from retorno.lib.errors import ActionError
from retorno.lib.views import capability_required, form_error


def set_language(request):
    """Django's set_language, and for a signed-in person the choice is remembered. A choice
    made before signing in (on the sign-in page) is kept in the session, and the sign-in then
    saves it to the profile (AccountAdapter.login), so it is not overridden by the old one."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and request.user.is_authenticated:
        actions.set_preferred_language(request.user, actor=request.user, language=language)
    elif request.method == "POST" and language in dict(settings.LANGUAGES):
        request.session[SESSION_LANGUAGE_CHOSEN_KEY] = language
    return response


@login_required
def profile(request):
    user = request.user
    tokens = access.tokens_visible_to(user)
    token_form = TokenForm(user=user)
    new_key = request.session.pop("new_token_key", None)
    # Import here: start-up (allauth's MFA models, only for the profile page).
    from allauth.mfa.models import Authenticator

    has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": tokens,
            "token_form": token_form,
            "new_key": new_key,
            "has_totp": has_totp,
            "can_use_api": user.can(Capability.USE_API),
        },
    )


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            _token, key = actions.create_token(
                request.user,
                actor=request.user,
                name=form.cleaned_data["name"],
                membership=form.cleaned_data["membership"],
            )
        except ActionError as error:
            form_error(form, error)
        else:
            # Shown once on the next page, then gone from the session.
            request.session["new_token_key"] = key
            return redirect(reverse("accounts:profile") + "#tokens")
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": access.tokens_visible_to(request.user),
            "token_form": form,
            "has_errors": True,
            "can_use_api": request.user.can(Capability.USE_API),
        },
        status=422,
    )


@login_required
@require_POST
def token_revoke(request, token_id):
    token = access.get_token_for_user(request.user, token_id, write=True)
    actions.revoke_token(token, actor=request.user)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect(reverse("accounts:profile") + "#tokens")


@login_required
def switch_desk(request):
    memberships = getattr(request.user, "all_memberships", [])
    if request.method == "POST":
        chosen = next(
            (m for m in memberships if str(m.public_id) == request.POST.get("membership")), None
        )
        if chosen is not None:
            request.session[SESSION_MEMBERSHIP_KEY] = str(chosen.public_id)
            messages.success(
                request,
                _("You are now working as %(role)s at %(desk)s.")
                % {"role": chosen.get_role_display(), "desk": chosen.organisation.local_name},
            )
            return redirect("home")
    return render(request, "accounts/switch_desk.html", {"memberships": memberships})


# Users


@capability_required(Capability.MANAGE_OWN_USERS)
def users(request):
    form = UserFilterForm(request.GET or None)
    qs = access.users_visible_to(request.user).prefetch_related(
        Prefetch(
            "memberships",
            queryset=access.memberships_visible_to(request.user).order_by("created_at"),
        )
    )
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            qs = qs.filter(
                Q(username__icontains=q)
                | Q(first_name__icontains=q)
                | Q(last_name__icontains=q)
                | Q(email__icontains=q)
            )
        if form.cleaned_data["role"]:
            qs = qs.filter(memberships__role=form.cleaned_data["role"]).distinct()
        if form.cleaned_data["status"] == "active":
            qs = qs.filter(is_active=True)
        elif form.cleaned_data["status"] == "inactive":
            qs = qs.filter(is_active=False)
    qs = qs.order_by("last_name", "first_name", "username")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/users.html", {"page": page, "filter_form": form})


@capability_required(Capability.MANAGE_OWN_USERS)
def user_detail(request, user_id):
    target = access.get_user_for_user(request.user, user_id)
    memberships = access.memberships_visible_to(request.user).filter(user=target)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "memberships": memberships,
            "can_manage": access.can_manage_user(request.user, target),
            "is_admin": request.user.can(Capability.MANAGE_ALL_USERS),
        },
    )


@capability_required(Capability.MANAGE_OWN_USERS)
def user_invite(request):
    form = InviteForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.invite_user(
                data.get("organisation") or request.user.organisation,
                actor=request.user,
                username=data["username"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                language=data["language"],
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is invited. We emailed them a link to choose a password.")
                % {"name": user.get_full_name()},
            )
            return redirect("accounts:user", user_id=user.public_id)
    status = 422 if form.errors else 200
    return render(request, "accounts/user_invite.html", {"form": form}, status=status)


@capability_required(Capability.MANAGE_OWN_USERS)
def membership_deactivate(request, membership_id):
    membership = access.get_membership_for_user(request.user, membership_id, write=True)
    if not request.user.can(Capability.MANAGE_ALL_USERS) and (
        membership.organisation_id != request.user.organisation.pk
    ):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.deactivate_membership(
                membership, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(name)s no longer works as %(role)s at %(desk)s. Their API tokens for this "
                    "role stopped working."
                )
                % {
                    "name": membership.user.get_full_name() or membership.user.username,
                    "role": membership.get_role_display(),
                    "desk": membership.organisation.local_name,
                },
            )
            return redirect("accounts:user", user_id=membership.user.public_id)
    status = 422 if form.errors else 200
    return render(
        request,
        "accounts/membership_deactivate.html",
        {"membership": membership, "form": form},
        status=status,
    )


@capability_required(Capability.MANAGE_OWN_USERS)
@require_POST
def membership_reactivate(request, membership_id):
    membership = access.get_membership_for_user(request.user, membership_id, write=True)
    try:
        actions.reactivate_membership(membership, actor=request.user)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The role is active again."))
    return redirect("accounts:user", user_id=membership.user.public_id)


@capability_required(Capability.MANAGE_ALL_USERS)
def membership_add(request, user_id):
    target = access.get_user_for_user(request.user, user_id, write=True)
    form = AddMembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_membership(
                target,
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The role is added."))
            return redirect("accounts:user", user_id=target.public_id)
    status = 422 if form.errors else 200
    return render(
        request, "accounts/membership_add.html", {"target": target, "form": form}, status=status
    )


@capability_required(Capability.MANAGE_ALL_USERS)
def user_deactivate(request, user_id):
    target = access.get_user_for_user(request.user, user_id, write=True)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.deactivate_user(target, actor=request.user, reason=form.cleaned_data["reason"])
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s can no longer sign in, and their API tokens stopped working.")
                % {"name": target.get_full_name() or target.username},
            )
            return redirect("accounts:user", user_id=target.public_id)
    status = 422 if form.errors else 200
    return render(
        request, "accounts/user_deactivate.html", {"target": target, "form": form}, status=status
    )


# Organisations


@capability_required(Capability.MANAGE_ORGANISATIONS)
def organisations(request):
    qs = access.organisations_visible_to(request.user).order_by("kind", "country", "name")
    kind = request.GET.get("kind", "")
    if kind:
        qs = qs.filter(kind=kind)

    return render(
        request,
        "accounts/organisations.html",
        {"organisations": qs, "kinds": Organisation.Kind.choices, "kind": kind},
    )


@capability_required(Capability.MANAGE_ORGANISATIONS)
def organisation_create(request):
    form = OrganisationForm(
        request.POST or None, initial={"time_zone": "UTC", "referral_reply_days": 10}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "updated_at"}
        try:
            organisation = actions.create_organisation(actor=request.user, **data)
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("%(name)s is created.") % {"name": organisation.local_name})
            return redirect("accounts:organisation", organisation_id=organisation.public_id)
    status = 422 if form.errors else 200
    return render(
        request, "accounts/organisation_form.html", {"form": form, "creating": True}, status=status
    )


@capability_required(Capability.MANAGE_ORGANISATIONS)
def organisation_detail(request, organisation_id):
    organisation = access.get_organisation_for_user(request.user, organisation_id)
    memberships = (
        access.memberships_visible_to(request.user)
        .filter(organisation=organisation)
        .order_by("user__last_name", "user__first_name")
    )
    return render(
        request,
        "accounts/organisation_detail.html",
        {"organisation": organisation, "memberships": memberships},
    )


@capability_required(Capability.MANAGE_ORGANISATIONS)
def organisation_edit(request, organisation_id):
    organisation = access.get_organisation_for_user(request.user, organisation_id, write=True)
    initial = {f: getattr(organisation, f) for f in actions.ORGANISATION_FIELDS}
    initial["country"] = organisation.country.code
    initial["updated_at"] = organisation.updated_at.isoformat()
    form = OrganisationForm(request.POST or None, initial=initial, editing=True)
    conflicts = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("updated_at")
        try:
            actions.update_organisation(
                organisation, actor=request.user, expected_updated_at=expected, **data
            )
        except ActionError as error:
            form_error(form, error)
            organisation.refresh_from_db()
            # Resubmitting on purpose now overwrites the current values, which are shown.
            form.data = form.data.copy()
            form.data["updated_at"] = organisation.updated_at.isoformat()
            conflicts = changes_since(organisation, expected)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("accounts:organisation", organisation_id=organisation.public_id)
    status = 422 if form.errors else 200
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "organisation": organisation, "creating": False, "conflicts": conflicts},
        status=status,
    )
