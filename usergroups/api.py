"""API of the user groups: groups, sessions, feedback, syntheses (tenant endpoints) and vendor
answers (vendor users, scoped to their vendor). Same services as the pages."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, permissions, serializers

from config.api import FirstPagePagination, TenantAPIMixin
from federations.models import HealthCentre
from federations.permissions import has_perm

from . import selectors, services
from .models import (
    AnswerStatus,
    FeedbackItem,
    FeedbackKind,
    GroupSession,
    Level,
    Need,
    Synthesis,
    SynthesisVersion,
    Theme,
    UserGroup,
    VendorAnswer,
)


class GroupSerializer(serializers.ModelSerializer):
    software = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    level = serializers.ChoiceField(choices=Level.choices)
    centres = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    sessions_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = UserGroup
        fields = ["id", "name", "software", "level", "facilitator", "centres", "sessions_count"]
        read_only_fields = ["facilitator"]


class GroupCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    software = serializers.SlugField()
    level = serializers.ChoiceField(choices=Level.choices)
    centres = serializers.ListField(child=serializers.IntegerField(), required=False)


class GroupList(TenantAPIMixin, generics.ListCreateAPIView):
    """User groups visible to the person; staff create them."""

    serializer_class = GroupSerializer
    tenant_perm = "usergroups.view"

    pagination_class = FirstPagePagination

    def get_queryset(self):  # noqa: ANN201
        return (
            UserGroup.objects.visible_to(self.membership)
            .select_related("software")
            .only("name", "level", "facilitator_id", "software__slug")
            .prefetch_related(Prefetch("centres", queryset=HealthCentre.objects.only("pk")))
            .annotate(sessions_count=selectors.count_of(GroupSession, "group"))
            .order_by("name", "pk")
        )

    @extend_schema(request=GroupCreateSerializer, responses=GroupSerializer)
    def post(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        return super().post(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        from rest_framework.response import Response

        from vendors.models import Software

        if not has_perm(self.membership, "usergroups.manage_groups"):
            raise exceptions.PermissionDenied()
        data = GroupCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        software = Software.objects.filter(slug=data.validated_data["software"]).first()
        if software is None:
            raise exceptions.ValidationError({"software": "Logiciel inconnu."})
        ids = data.validated_data.get("centres", [])
        centres = list(HealthCentre.objects.for_federation(self.federation).filter(pk__in=ids))
        if len(centres) != len(set(ids)):
            raise exceptions.ValidationError({"centres": "MSP inconnue dans cette fédération."})
        group = services.group_create(
            actor=request.user,
            federation=self.federation,
            software=software,
            name=data.validated_data["name"],
            level=data.validated_data["level"],
            centres=centres,
        )
        group.sessions_count = 0
        return Response(GroupSerializer(group).data, status=201)


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = GroupSession
        fields = [
            "id",
            "group",
            "starts_at",
            "duration_minutes",
            "video_url",
            "title",
            "minutes_status",
        ]
        read_only_fields = ["group", "minutes_status"]


class SessionList(TenantAPIMixin, generics.ListCreateAPIView):
    """Sessions of one group; facilitators plan them."""

    serializer_class = SessionSerializer
    tenant_perm = "usergroups.view"

    def get_group(self) -> UserGroup:
        group = UserGroup.objects.visible_to(self.membership).filter(pk=self.kwargs["pk"]).first()
        if group is None:
            raise Http404
        return group

    def get_queryset(self):  # noqa: ANN201
        return GroupSession.objects.filter(group=self.get_group()).order_by("-starts_at", "-pk")

    def perform_create(self, serializer) -> None:  # noqa: ANN001
        group = self.get_group()
        if not has_perm(self.membership, "usergroups.facilitate") or not services.can_facilitate(
            self.membership, group
        ):
            raise exceptions.PermissionDenied()
        serializer.instance = services.session_create(
            actor=self.request.user, group=group, **serializer.validated_data
        )


class FeedbackSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=FeedbackKind.choices)
    theme = serializers.ChoiceField(choices=Theme.choices)
    centres = serializers.PrimaryKeyRelatedField(
        many=True, queryset=HealthCentre.objects.none(), required=False
    )

    class Meta:
        model = FeedbackItem
        fields = [
            "id",
            "session",
            "kind",
            "theme",
            "profession",
            "text",
            "centres",
            "reported_on",
            "need",
        ]
        read_only_fields = ["session", "reported_on", "need"]

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        view = self.context.get("view")
        if view is not None and getattr(view, "membership", None) is not None:
            self.fields["centres"].child_relation.queryset = HealthCentre.objects.for_federation(
                view.federation
            )


class FeedbackList(TenantAPIMixin, generics.ListCreateAPIView):
    """Feedback items of one session (a session of another tenant answers 404)."""

    serializer_class = FeedbackSerializer
    tenant_perm = "usergroups.view"

    def get_session(self) -> GroupSession:
        session = (
            GroupSession.objects.visible_to(self.membership)
            .select_related("group")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if session is None:
            raise Http404
        return session

    def get_queryset(self):  # noqa: ANN201
        return FeedbackItem.objects.filter(session=self.get_session()).prefetch_related("centres")

    def perform_create(self, serializer) -> None:  # noqa: ANN001
        session = self.get_session()
        if not has_perm(self.membership, "usergroups.participate"):
            raise exceptions.PermissionDenied()
        serializer.instance = services.feedback_add(
            actor=self.request.user,
            membership=self.membership,
            group=session.group,
            session=session,
            **serializer.validated_data,
        )


class NeedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Need
        fields = ["id", "title", "description", "theme", "priority", "first_published_on"]


class SynthesisSerializer(serializers.ModelSerializer):
    software = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Synthesis
        fields = ["id", "software", "period_start", "period_end", "versions"]

    def get_versions(self, obj) -> list[dict]:  # noqa: ANN001
        return [
            {"id": v.pk, "number": v.number, "published_at": v.published_at}
            for v in obj.versions.all()
        ]


class SynthesisList(TenantAPIMixin, generics.ListAPIView):
    serializer_class = SynthesisSerializer
    tenant_perm = "usergroups.view_syntheses"
    pagination_class = FirstPagePagination

    def get_queryset(self):  # noqa: ANN201
        # The versions without their content (up to 150 kB of JSON each): only what is listed.
        versions = SynthesisVersion.objects.only("synthesis_id", "number", "published_at").order_by(
            "-published_at", "-number"
        )
        return (
            Synthesis.objects.visible_to(self.membership)
            .select_related("software")
            .only("period_start", "period_end", "software__slug")
            .prefetch_related(Prefetch("versions", queryset=versions))
        )


class AnswerSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=AnswerStatus.choices)

    class Meta:
        model = VendorAnswer
        fields = ["id", "need", "status", "planned_version", "planned_for", "comment", "created_at"]
        read_only_fields = ["need", "created_at"]


class VersionSummarySerializer(serializers.ModelSerializer):
    """A version published to the vendor, without its content: ``url`` gives it."""

    url = serializers.HyperlinkedIdentityField(
        view_name="api-vendor-synthesis",
        help_text="La version avec son contenu (besoins, difficultés, astuces).",
    )
    federation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    software = serializers.CharField(source="synthesis.software.slug", read_only=True)
    period_start = serializers.DateField(source="synthesis.period_start", read_only=True)
    period_end = serializers.DateField(source="synthesis.period_end", read_only=True)
    needs_count = serializers.IntegerField(
        read_only=True, help_text="Nombre de besoins de la version."
    )

    class Meta:
        model = SynthesisVersion
        fields = [
            "id",
            "url",
            "federation",
            "software",
            "number",
            "published_at",
            "period_start",
            "period_end",
            "needs_count",
        ]


class VersionSerializer(VersionSummarySerializer):
    """A version published to the vendor, with its content: the needs by priority (each with
    the ``id`` to answer through ``/api/v1/editeur/besoins/{id}/reponses/``), the difficulties
    and the tips of the period, frozen at publication."""

    class Meta(VersionSummarySerializer.Meta):
        fields = [*VersionSummarySerializer.Meta.fields, "content"]


class IsVendorUser(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:  # noqa: ANN001
        return bool(request.user.is_authenticated and request.user.vendor_id)


class VendorVersionList(generics.ListAPIView):
    """Vendor users: the syntheses published to their vendor, by any federation, newest first.
    Each version comes without its content (up to 150 kB of JSON for a large synthesis, 50
    versions a page): fetch ``url`` for the versions not read yet. A version never changes once
    published."""

    serializer_class = VersionSummarySerializer
    permission_classes = [permissions.IsAuthenticated, IsVendorUser]
    pagination_class = FirstPagePagination

    @extend_schema(
        description=(
            "Les synthèses publiées à votre société par les fédérations, la plus récente "
            "d'abord. Chaque version est donnée sans son contenu : lisez-le à son adresse "
            "(`url`), une fois par version, car une version publiée ne change plus."
        )
    )
    def get(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        return super().get(request, *args, **kwargs)

    def get_queryset(self):  # noqa: ANN201
        return (
            selectors.versions_for_vendor(self.request.user.vendor_id)
            .defer("content")
            .select_related(None)
            .select_related("federation", "synthesis__software")
            .only(
                "id",
                "number",
                "published_at",
                "federation__slug",
                "synthesis__period_start",
                "synthesis__period_end",
                "synthesis__software__slug",
            )
        )


class VendorVersionDetail(generics.RetrieveAPIView):
    """Vendor users: one version published to their vendor, with its content; another vendor's
    version answers 404."""

    serializer_class = VersionSerializer
    permission_classes = [permissions.IsAuthenticated, IsVendorUser]

    @extend_schema(
        description=(
            "Une synthèse publiée à votre société, avec son contenu figé à la publication : "
            "les besoins par ordre de priorité (répondez à chacun par son `id` avec "
            "`/api/v1/editeur/besoins/{id}/reponses/`), les difficultés et les astuces."
        )
    )
    def get(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        return super().get(request, *args, **kwargs)

    def get_queryset(self):  # noqa: ANN201
        return selectors.versions_for_vendor(self.request.user.vendor_id)


class VendorAnswerList(generics.ListCreateAPIView):
    """Vendor users: the answers to one need published to their vendor, and a new answer.
    A need of another vendor answers 404."""

    serializer_class = AnswerSerializer
    permission_classes = [permissions.IsAuthenticated, IsVendorUser]

    def get_need(self) -> Need:
        need = (
            Need.objects.filter(
                pk=self.kwargs["pk"], versions__vendor_id=self.request.user.vendor_id
            )
            .select_related("federation")
            .first()
        )
        if need is None:
            raise Http404
        return need

    def get_queryset(self):  # noqa: ANN201
        return VendorAnswer.objects.filter(need=self.get_need())

    def perform_create(self, serializer) -> None:  # noqa: ANN001
        serializer.instance = services.answer_create(
            actor=self.request.user, need=self.get_need(), **serializer.validated_data
        )
