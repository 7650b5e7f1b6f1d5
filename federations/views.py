from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from config.display import LongDates
from config.pagination import paginate

from . import selectors, services
from .forms import (
    AcceptInvitationForm,
    CentreForm,
    FederationSecurityForm,
    InvitationForm,
    MembershipForm,
)
from .home import collect_panels
from .models import Invitation, Membership
from .roles import Role
from .tenancy import CURRENT_FEDERATION_SESSION_KEY, get_for_tenant, tenant_view


def _apply_validation_error(form, exc: ValidationError) -> None:  # noqa: ANN001
    if hasattr(exc, "error_dict"):
        for field_name, errors in exc.error_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


#: Rows the home-page lists show before their link to the full, paginated list.
RECENT_EVENTS = 5
FOLLOWED_CENTRES = 10


@login_required
def root(request: HttpRequest) -> HttpResponse:
    """Send each person to their home: a vendor user to the vendor portal, a member to their
    federation (the last one used when they have several), an operator to the admin."""
    user = request.user
    if user.is_vendor_user:
        return redirect("vendor_home")
    memberships = list(selectors.memberships_of(user))
    if not memberships:
        if user.is_staff:
            return redirect("admin:index")
        return render(request, "federations/no_membership.html")
    current = request.session.get(CURRENT_FEDERATION_SESSION_KEY)
    chosen = next((m for m in memberships if m.federation.slug == current), memberships[0])
    return redirect("federations:home", federation_slug=chosen.federation.slug)


@login_required
def switch(request: HttpRequest) -> HttpResponse:
    memberships = selectors.memberships_of(request.user)
    return render(request, "federations/switch.html", {"memberships": memberships})


@tenant_view("federations.view_home")
def home(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    role = membership.role
    context = {
        "panels": collect_panels(request),
        "role_template": f"federations/home_{role}.html",
        "is_staff_home": role == Role.STAFF,
    }
    if role == Role.STAFF:
        context["overview"] = selectors.staff_overview(federation=request.federation)
        events = selectors.audit_events(federation=request.federation)
        context["recent_events"] = events[:RECENT_EVENTS]
    elif role == Role.DIM:
        followed = list(selectors.dim_centres(membership=membership)[: FOLLOWED_CENTRES + 1])
        context["followed_centres"] = followed[:FOLLOWED_CENTRES]
        context["more_followed"] = len(followed) > FOLLOWED_CENTRES
    return render(request, "federations/home.html", context)


@tenant_view("federations.view_centres")
def centres(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.centres_list(membership=request.membership))
    return render(request, "federations/centres.html", {"page": page})


@tenant_view("federations.manage_centres")
@require_http_methods(["GET", "POST"])
def centre_create(request: HttpRequest) -> HttpResponse:
    form = CentreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.centre_create(
                actor=request.user, federation=request.federation, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("La MSP a été ajoutée."))
            return redirect("federations:centres", federation_slug=request.federation.slug)
    return render(request, "federations/centre_form.html", {"form": form})


@tenant_view("federations.manage_people")
@require_safe
def people(request: HttpRequest) -> HttpResponse:
    """The members of the federation and the pending invitations. The invitation form has its
    own page (``invite``): its list of every MSP of the federation cost more than the rest of
    this page."""
    page = paginate(request, selectors.people_list(federation=request.federation))
    rows = selectors.people_rows(page.object_list)
    # One reverse() for the page, not one per row: ".../personnes/0/" → ".../personnes/<pk>/".
    before, _zero, after = reverse(
        "federations:member_edit", args=[request.federation.slug, 0]
    ).rpartition("/0/")
    for row in rows:
        row["edit_url"] = f"{before}/{row['pk']}/{after}"
    page.object_list = rows
    invitations = paginate(
        request,
        selectors.pending_invitations(federation=request.federation),
        param="invitations",
    )
    return render(
        request,
        "federations/people.html",
        {"page": page, "invitations": invitations},
    )


@tenant_view("federations.manage_people")
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None, federation=request.federation)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                actor=request.user,
                federation=request.federation,
                **form.cleaned_data,
                accept_url_builder=lambda inv: request.build_absolute_uri(
                    reverse("invitation_accept", args=[inv.token])
                ),
            )
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("L'invitation a été envoyée à %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("federations:people", federation_slug=request.federation.slug)
    return render(
        request,
        "federations/invite.html",
        {"form": form, "validity_days": settings.INVITATION_VALIDITY_DAYS},
    )


@tenant_view("federations.manage_people")
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff change someone's role, MSP and profession, and the MSPs a DIM follows."""
    person = get_for_tenant(
        request, Membership.objects.select_related("user", "health_centre"), pk=pk
    )
    initial = {
        "role": person.role,
        "health_centre": person.health_centre,
        "profession": person.profession,
        "assigned_centres": list(person.assigned_centres.all()),
    }
    form = MembershipForm(request.POST or None, initial=initial, federation=request.federation)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(actor=request.user, membership=person, **form.cleaned_data)
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("Les droits de %(person)s ont été mis à jour.") % {"person": person.user}
            )
            return redirect("federations:people", federation_slug=request.federation.slug)
    return render(request, "federations/member_edit.html", {"form": form, "person": person})


@tenant_view("federations.manage_settings")
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """The federation's own settings: for now, mandatory two-factor authentication for staff."""
    federation = request.federation
    # An unchecked box posts nothing: bind on POST even when the body is empty.
    form = FederationSecurityForm(
        request.POST if request.method == "POST" else None,
        initial={"staff_mfa_required": federation.staff_mfa_required},
    )
    if request.method == "POST" and form.is_valid():
        services.federation_set_staff_mfa(
            actor=request.user,
            federation=federation,
            required=form.cleaned_data["staff_mfa_required"],
        )
        messages.success(request, _("Les paramètres ont été enregistrés."))
        return redirect("federations:settings", federation_slug=federation.slug)
    return render(request, "federations/settings.html", {"form": form})


@tenant_view("federations.view_audit")
def audit(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.audit_events(federation=request.federation))
    # What {{ created_at|date:"j F Y H:i" }} writes, at a tenth of its cost (50 rows a page):
    # the month names are translated once per page.
    long_date = LongDates()
    for event in page:
        event.when = long_date.moment(event.created_at)
    return render(request, "federations/audit.html", {"page": page})


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        Invitation.objects.select_related("federation", "health_centre").filter(token=token).first()
    )
    problem = services.invitation_check(invitation)
    if problem:
        return render(
            request,
            "federations/invitation_invalid.html",
            {"problem": problem},
            status=410 if invitation else 404,
        )
    assert invitation is not None
    user = request.user if request.user.is_authenticated else None
    existing = user
    if user is None:
        from django.contrib.auth import get_user_model

        existing = get_user_model().objects.filter(email__iexact=invitation.email).first()
    form = None
    if existing is None:
        form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST":
        if existing is not None and user is None:
            messages.info(
                request,
                _("Connectez-vous avec %(email)s pour accepter l'invitation.")
                % {"email": invitation.email},
            )
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if form is None or form.is_valid():
            data = form.cleaned_data if form else {}
            try:
                membership = services.invitation_accept(
                    token=token,
                    user=user,
                    first_name=data.get("first_name", ""),
                    last_name=data.get("last_name", ""),
                    password=data.get("password1"),
                )
            except ValidationError as exc:
                return render(
                    request,
                    "federations/invitation_invalid.html",
                    {"problem": " ".join(exc.messages)},
                    status=400,
                )
            if user is None:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Bienvenue dans %(federation)s.") % {"federation": membership.federation.name},
            )
            return redirect("federations:home", federation_slug=membership.federation.slug)
    return render(
        request,
        "federations/invitation_accept.html",
        {"invitation": invitation, "form": form, "existing": existing},
    )
