"""What the benchmark requests: the main pages of each role and the main API lists, with ids
picked from the generated data (the largest campaign, the largest synthesis, the four most chosen
products…). Needs Django set up on the benchmark's settings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Max
from django.urls import reverse


@dataclass(frozen=True)
class Page:
    key: str  # stable id in the results, e.g. "staff.home"
    role: str  # staff, dim, coordinator, member, vendor, operator
    label: str
    path: str
    account: str  # e-mail of the account that requests it
    api: bool = False
    #: "comparator" / "consensus" / "synthesis": the pages the issue names
    highlight: str = ""


@dataclass
class Plan:
    pages: list[Page] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: facts about the objects picked (sizes of the largest campaign, synthesis…)
    facts: dict = field(default_factory=dict)
    #: the largest synthesis version (for the PDF) and who may request it
    synthesis_version_id: int | None = None
    synthesis_actor: str = ""

    def accounts(self) -> list[str]:
        return sorted({p.account for p in self.pages})

    def as_dict(self) -> dict:
        return {
            "pages": [asdict(p) for p in self.pages],
            "notes": self.notes,
            "facts": self.facts,
        }


def _first(qs):  # noqa: ANN001, ANN202
    return qs.first()


def build_plan() -> Plan:  # noqa: C901 - one flat list of pages, easier to read than split
    from federations.models import Federation, HealthCentre, Membership
    from federations.roles import Role

    plan = Plan()
    add = plan.pages.append

    fed = Federation.objects.filter(slug="nat01").first() or _first(
        Federation.objects.filter(slug__startswith="nat").order_by("slug")
    )
    if fed is None:
        raise RuntimeError("no generated federation (nat…) in the benchmark database")
    slug = fed.slug

    def staff_of(federation_id: int) -> str:
        m = (
            Membership.objects.filter(federation_id=federation_id, role=Role.STAFF, is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        return m.user.email

    staff = staff_of(fed.pk)

    def t(name: str, federation_slug: str = slug, **kwargs) -> str:  # noqa: ANN003
        return reverse(name, kwargs={"federation_slug": federation_slug, **kwargs})

    # --- the MSP whose people sign in: the first MSP of the federation with a project --------
    from projects.models import Project, Task

    project = (
        Project.objects.filter(federation=fed).select_related("health_centre").order_by("pk")
    ).first()
    centre = (
        project.health_centre
        if project
        else HealthCentre.objects.filter(federation=fed).order_by("pk").first()
    )
    coordinator = (
        Membership.objects.filter(health_centre=centre, role=Role.COORDINATOR, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    member = (
        Membership.objects.filter(health_centre=centre, role=Role.MEMBER, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    dim = (
        Membership.objects.filter(federation=fed, role=Role.DIM, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    dim_project = (
        Project.objects.filter(health_centre__in=dim.assigned_centres.all()).order_by("pk").first()
        if dim
        else None
    )
    task = Task.objects.filter(project=project).order_by("pk").first() if project else None

    # --- staff of the federation -----------------------------------------------------------
    add(Page("staff.home", "staff", "Federation home", t("federations:home"), staff))
    add(
        Page(
            "staff.projects",
            "staff",
            "Projects follow-up (all MSPs)",
            t("projects:follow_federation"),
            staff,
        )
    )
    add(Page("staff.centres", "staff", "MSP list", t("federations:centres"), staff))
    add(Page("staff.people", "staff", "People", t("federations:people"), staff))
    add(Page("staff.audit", "staff", "Audit journal", t("federations:audit"), staff))
    add(Page("staff.campaigns", "staff", "Maturity campaigns", t("maturity:campaigns"), staff))
    add(Page("staff.groups", "staff", "User groups", t("usergroups:groups"), staff))
    add(Page("staff.syntheses", "staff", "Syntheses", t("usergroups:syntheses"), staff))
    add(Page("staff.catalogue", "staff", "Software catalogue", t("vendors:catalogue"), staff))
    add(Page("staff.moderation", "staff", "Ratings to moderate", t("vendors:moderation"), staff))
    if project:
        add(Page("staff.project", "staff", "A project", t("projects:detail", pk=project.pk), staff))

    from vendors.models import Software

    four = list(
        Software.objects.filter(is_active=True)
        .annotate(n=Count("projects"))
        .order_by("-n", "name")
        .values_list("slug", flat=True)[:4]
    )
    if len(four) >= 2:
        query = urlencode([("logiciels", s) for s in four])
        add(
            Page(
                "staff.compare",
                "staff",
                f"Comparator of {len(four)} products",
                f"{t('vendors:compare')}?{query}",
                staff,
                highlight="comparator",
            )
        )
        plan.facts["comparator"] = four
    else:
        plan.notes.append("Fewer than two products in the catalogue: no comparator page.")

    from maturity.models import Campaign, Rating

    largest = (
        Rating.objects.values("campaign_id")
        .annotate(n=Count("id"))
        .order_by("-n", "campaign_id")
        .first()
    )
    if largest:
        campaign = Campaign.objects.select_related("federation").get(pk=largest["campaign_id"])
        cslug = campaign.federation.slug
        cstaff = staff_of(campaign.federation_id)
        plan.facts["largest_campaign"] = {
            "id": campaign.pk,
            "federation": cslug,
            "ratings": largest["n"],
            "participants": campaign.invitations.count(),
            "phase": campaign.phase,
        }
        add(
            Page(
                "staff.consensus",
                "staff",
                "Consensus page of the largest campaign",
                t("maturity:consensus", cslug, pk=campaign.pk),
                cstaff,
                highlight="consensus",
            )
        )
        add(
            Page(
                "staff.results",
                "staff",
                "Results of the largest campaign",
                t("maturity:results", cslug, pk=campaign.pk),
                cstaff,
            )
        )
        add(
            Page(
                "api.ratings",
                "staff",
                "API: ratings of the largest campaign",
                t("api-maturity-ratings", cslug, pk=campaign.pk),
                cstaff,
                api=True,
            )
        )
    else:
        plan.notes.append("No maturity ratings in the dataset: no consensus page.")

    from usergroups.models import SynthesisVersion, UserGroup

    version = (
        SynthesisVersion.objects.annotate(n=Count("needs"))
        .select_related("synthesis__federation", "vendor")
        .order_by("-n", "-pk")
        .first()
    )
    vendor_user = None
    if version:
        vslug = version.synthesis.federation.slug
        vstaff = staff_of(version.synthesis.federation_id)
        plan.synthesis_version_id = version.pk
        plan.synthesis_actor = vstaff
        plan.facts["largest_synthesis"] = {
            "synthesis": version.synthesis_id,
            "version": version.pk,
            "number": version.number,
            "needs": version.n,
            "federation": vslug,
            "vendor": version.vendor.slug if version.vendor_id else None,
        }
        add(
            Page(
                "staff.synthesis",
                "staff",
                "The largest synthesis",
                t("usergroups:synthesis", vslug, pk=version.synthesis_id),
                vstaff,
                highlight="synthesis",
            )
        )
        add(
            Page(
                "staff.merge",
                "staff",
                "Feedback to merge into the largest synthesis's needs",
                t("usergroups:synthesis_merge", vslug, pk=version.synthesis_id),
                vstaff,
            )
        )
        from accounts.models import User

        vendor_user = (
            User.objects.filter(vendor_id=version.vendor_id, is_active=True).order_by("pk").first()
        )
    else:
        plan.notes.append("No published synthesis in the dataset: no synthesis pages, no PDF.")

    group = (
        UserGroup.objects.filter(federation=fed)
        .annotate(n=Count("sessions", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    if group:
        add(
            Page(
                "staff.group",
                "staff",
                "The busiest user group",
                t("usergroups:group", pk=group.pk),
                staff,
            )
        )

    # --- DIM -------------------------------------------------------------------------------
    if dim:
        d = dim.user.email
        add(Page("dim.home", "dim", "DIM home", t("federations:home"), d))
        add(Page("dim.follow", "dim", "Assigned projects", t("projects:follow_assigned"), d))
        if dim_project:
            add(
                Page(
                    "dim.project",
                    "dim",
                    "An assigned project",
                    t("projects:detail", pk=dim_project.pk),
                    d,
                )
            )
        add(Page("dim.campaigns", "dim", "Maturity campaigns", t("maturity:campaigns"), d))
    else:
        plan.notes.append("No DIM in the first federation.")

    # --- coordinator and member of one MSP -------------------------------------------------
    msp_campaign = (
        Campaign.objects.filter(health_centre=centre).order_by("-year", "-pk").first()
        if centre
        else None
    )
    for role, who in (("coordinator", coordinator), ("member", member)):
        if who is None:
            plan.notes.append(f"No {role} in the first MSP.")
            continue
        e = who.user.email
        add(Page(f"{role}.home", role, "Home", t("federations:home"), e))
        add(Page(f"{role}.project", role, "My project", t("projects:mine"), e))
        if task:
            add(Page(f"{role}.task", role, "A task", t("projects:task", pk=task.pk), e))
        if msp_campaign:
            add(
                Page(
                    f"{role}.campaign",
                    role,
                    "The MSP's campaign",
                    t("maturity:campaign", pk=msp_campaign.pk),
                    e,
                )
            )
    if coordinator and project:
        add(
            Page(
                "coordinator.needs",
                "coordinator",
                "Needs (cahier des charges)",
                t("projects:needs", project_pk=project.pk),
                coordinator.user.email,
            )
        )

    # --- vendor ----------------------------------------------------------------------------
    if vendor_user:
        v = vendor_user.email
        add(Page("vendor.home", "vendor", "Vendor portal", reverse("vendor_home"), v))
        add(
            Page("vendor.syntheses", "vendor", "Syntheses received", reverse("portal:syntheses"), v)
        )
        add(
            Page(
                "vendor.version",
                "vendor",
                "The largest synthesis received",
                reverse("portal:version", kwargs={"pk": version.pk}),
                v,
            )
        )
        add(Page("vendor.software", "vendor", "Own products", reverse("vendor_software"), v))
        add(
            Page(
                "api.vendor_syntheses",
                "vendor",
                "API: syntheses received",
                reverse("api-vendor-syntheses"),
                v,
                api=True,
            )
        )
    elif version:
        plan.notes.append("No user of the vendor of the largest synthesis: no vendor pages.")

    # --- platform operator -----------------------------------------------------------------
    from accounts.models import User

    operator = (
        User.objects.filter(is_staff=True, email__endswith=".test").order_by("pk").first()
        or User.objects.filter(is_staff=True).order_by("pk").first()
    )
    if operator:
        o = operator.email
        add(Page("operator.admin", "operator", "Administration home", reverse("admin:index"), o))
        add(Page("api.me", "operator", "API: me", reverse("api-me"), o, api=True))
        if not operator.is_superuser:
            plan.notes.append(
                f"The operator account ({o}) has no admin permission: the administration home "
                "is measured as the page that says so."
            )

    # --- API lists (staff's token) ---------------------------------------------------------
    add(Page("api.projects", "staff", "API: projects", t("api-projects"), staff, api=True))
    add(Page("api.centres", "staff", "API: MSPs", t("api-centres"), staff, api=True))
    add(
        Page(
            "api.campaigns", "staff", "API: campaigns", t("api-maturity-campaigns"), staff, api=True
        )
    )
    add(Page("api.groups", "staff", "API: user groups", t("api-usergroups"), staff, api=True))
    add(
        Page(
            "api.syntheses",
            "staff",
            "API: syntheses",
            t("api-usergroup-syntheses"),
            staff,
            api=True,
        )
    )
    add(
        Page(
            "api.catalogue",
            "staff",
            "API: catalogue",
            reverse("api-vendors-catalogue"),
            staff,
            api=True,
        )
    )
    if project:
        add(
            Page(
                "api.tasks",
                "staff",
                "API: tasks of a project",
                t("api-project-tasks", project_pk=project.pk),
                staff,
                api=True,
            )
        )

    plan.facts["federation"] = slug
    plan.facts["latest_campaign_year"] = Campaign.objects.aggregate(y=Max("year"))["y"]
    return plan


def dataset_counts() -> dict[str, int]:
    """Row counts of the main tables (exact)."""
    from django.apps import apps

    names = [
        ("federations", "Federation"),
        ("federations", "HealthCentre"),
        ("accounts", "User"),
        ("federations", "Membership"),
        ("projects", "Project"),
        ("projects", "Task"),
        ("projects", "Need"),
        ("maturity", "Campaign"),
        ("maturity", "Participant"),
        ("maturity", "Rating"),
        ("maturity", "Consensus"),
        ("maturity", "Action"),
        ("vendors", "Vendor"),
        ("vendors", "Software"),
        ("vendors", "Fact"),
        ("vendors", "PeerRating"),
        ("usergroups", "UserGroup"),
        ("usergroups", "GroupSession"),
        ("usergroups", "Registration"),
        ("usergroups", "FeedbackItem"),
        ("usergroups", "Need"),
        ("usergroups", "NeedSupport"),
        ("usergroups", "Synthesis"),
        ("usergroups", "SynthesisVersion"),
        ("usergroups", "VendorAnswer"),
        ("federations", "AuditEvent"),
    ]
    counts = {}
    for app, model in names:
        try:
            m = apps.get_model(app, model)
        except LookupError:
            continue
        counts[f"{app}.{model}"] = m.objects.count()
    return counts
