"""DRF API of the maturity self-assessment, under /api/v1/federations/<slug>/maturite/….

The same services as the pages. Every view resolves the membership with ``TenantAPIMixin``,
fetches the campaign through ``visible_to`` (404 for another tenant's or MSP's campaign) and only
then checks the specific permission (403), so that a foreign id never reveals anything.
A stale consensus or positioning answers 409 with the current value."""

from __future__ import annotations

from datetime import datetime

from django.core.paginator import Page, Paginator
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import PagedListMixin, TenantAPIMixin
from federations.models import HealthCentre, Membership
from federations.permissions import has_perm

from . import selectors, services
from .models import (
    Action,
    ActionStatus,
    Axis,
    Campaign,
    Characteristic,
    Consensus,
    DimensionPositioning,
    Framework,
    Rating,
)

# --- serializers ----------------------------------------------------------------------------


class CharacteristicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Characteristic
        fields = ["id", "code", "text"]


class DimensionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="dimension.pk")
    code = serializers.CharField(source="dimension.code")
    name = serializers.CharField(source="dimension.name")
    federation_addition = serializers.SerializerMethodField()
    characteristics = CharacteristicSerializer(many=True)

    def get_federation_addition(self, obj: dict) -> bool:
        return obj["dimension"].federation_id is not None


class AxisSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="axis.pk")
    code = serializers.CharField(source="axis.code")
    name = serializers.CharField(source="axis.name")
    dimensions = DimensionSerializer(many=True)


class FrameworkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Framework
        fields = [
            "id",
            "code",
            "version",
            "name",
            "description",
            "rating_scale",
            "positioning_scale",
        ]


class FrameworkDetailSerializer(FrameworkSerializer):
    axes = serializers.SerializerMethodField()

    class Meta(FrameworkSerializer.Meta):
        fields = [*FrameworkSerializer.Meta.fields, "axes"]

    @extend_schema(responses=AxisSerializer(many=True))
    def get_axes(self, obj: Framework) -> list:
        return AxisSerializer(self.context["tree"], many=True).data


def _iso_datetime(value: datetime | None) -> str | None:
    """What DRF's ``DateTimeField`` writes (ISO 8601 in the current time zone, "Z" for UTC),
    without its per-call machinery: a page of campaigns holds 150 dates."""
    if not value:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class CampaignListSerializer(serializers.ListSerializer):
    """A page of campaigns given as rows of ``selectors.campaigns_list`` (plain values): the
    dimensions of the whole page in one query, each row written by ``CampaignSerializer.row``
    (the same output as the field-by-field serializer, which the tests check, at a fraction of
    its cost)."""

    def to_representation(self, data) -> list[dict]:  # noqa: ANN001
        rows = list(data)
        dimensions = selectors.campaigns_dimension_ids(r["pk"] for r in rows)
        return [self.child.row(r, dimensions.get(r["pk"], [])) for r in rows]


class CampaignSerializer(serializers.ModelSerializer):
    health_centre = serializers.PrimaryKeyRelatedField(read_only=True)
    health_centre_name = serializers.CharField(source="health_centre.name", read_only=True)
    framework = serializers.PrimaryKeyRelatedField(read_only=True)
    dimensions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "health_centre",
            "health_centre_name",
            "framework",
            "year",
            "phase",
            "dimensions",
            "created_at",
            "individual_closed_at",
            "closed_at",
        ]
        list_serializer_class = CampaignListSerializer

    def row(self, row: dict, dimension_ids: list[int]) -> dict:
        """The representation of a campaign from its row in ``selectors.campaigns_list``."""
        when = _iso_datetime
        return {
            "id": row["pk"],
            "health_centre": row["health_centre_id"],
            "health_centre_name": row["health_centre__name"],
            "framework": row["framework_id"],
            "year": row["year"],
            "phase": row["phase"],
            "dimensions": dimension_ids,
            "created_at": when(row["created_at"]),
            "individual_closed_at": when(row["individual_closed_at"]),
            "closed_at": when(row["closed_at"]),
        }


class CampaignOpenSerializer(serializers.Serializer):
    health_centre = serializers.IntegerField()
    framework = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    axes = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    invitees = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Identifiants des adhésions (membres de la MSP) invitées.",
    )


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["characteristic", "value", "comment", "updated_at"]
        read_only_fields = ["updated_at"]
        extra_kwargs = {"characteristic": {"queryset": Characteristic.objects.all()}}


class RatingWriteSerializer(serializers.Serializer):
    characteristic = serializers.IntegerField()
    value = serializers.CharField(max_length=20)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ConsensusSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consensus
        fields = ["characteristic", "value", "comment", "version", "updated_at"]


class ConsensusWriteSerializer(serializers.Serializer):
    characteristic = serializers.IntegerField()
    value = serializers.CharField(max_length=20)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        min_value=0, help_text="Version lue (0 si aucun consensus n'était enregistré)."
    )


class PositioningSerializer(serializers.ModelSerializer):
    level = serializers.IntegerField(help_text="0 aucune … 3 toutes les caractéristiques")
    target_level = serializers.IntegerField(allow_null=True)

    class Meta:
        model = DimensionPositioning
        fields = ["dimension", "level", "target_level", "comment", "version", "updated_at"]


class PositioningWriteSerializer(serializers.Serializer):
    dimension = serializers.IntegerField()
    level = serializers.IntegerField()
    target_level = serializers.IntegerField(required=False, allow_null=True, default=None)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=0)


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = [
            "id",
            "objective",
            "dimension",
            "responsible",
            "deadline",
            "indicator",
            "means",
            "status",
            "task",
            "updated_at",
        ]
        read_only_fields = ["id", "updated_at"]

    def __init__(self, *args, campaign: Campaign | None = None, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        from projects.models import Task

        # Choices scoped to the campaign's MSP: never another tenant's or MSP's rows.
        if campaign is None:
            for name in ("dimension", "responsible", "task"):
                self.fields[name].queryset = self.fields[name].queryset.none()
            return
        self.fields["dimension"].queryset = campaign.dimensions.all()
        self.fields["responsible"].queryset = Membership.objects.filter(
            federation_id=campaign.federation_id, health_centre_id=campaign.health_centre_id
        )
        self.fields["task"].queryset = Task.objects.filter(
            federation_id=campaign.federation_id,
            project__health_centre_id=campaign.health_centre_id,
        )
        self.fields["status"].choices = ActionStatus.choices


# --- views ----------------------------------------------------------------------------------


class _MaturityAPI(TenantAPIMixin, APIView):
    tenant_perm = "maturity.view"

    def require(self, perm: str) -> None:
        if not has_perm(self.membership, perm):
            raise PermissionDenied()

    def campaign(self, pk: int) -> Campaign:
        campaign = (
            Campaign.objects.visible_to(self.membership)
            .select_related("framework", "health_centre", "federation")
            .filter(pk=pk)
            .first()
        )
        if campaign is None:
            raise NotFound("Campagne inconnue.")
        return campaign

    def characteristic(self, campaign: Campaign, pk: int) -> Characteristic:
        c = Characteristic.objects.filter(pk=pk, dimension__in=campaign.dimensions.all()).first()
        if c is None:
            raise serializers.ValidationError(
                {"characteristic": "Cette caractéristique ne fait pas partie de la campagne."}
            )
        return c


class FrameworkList(PagedListMixin, _MaturityAPI):
    """Maturity frameworks (national reference data), every version; paginated."""

    tenant_perm = "maturity.view_framework"

    @extend_schema(responses=FrameworkSerializer(many=True))
    def get(self, request, federation_slug: str):  # noqa: ANN001, ANN201
        return self.paged_response(
            selectors.frameworks_list(federation=self.federation), FrameworkSerializer
        )


class FrameworkDetail(_MaturityAPI):
    """One framework: axes → dimensions (national and the federation's own) → characteristics."""

    tenant_perm = "maturity.view_framework"

    @extend_schema(responses=FrameworkDetailSerializer)
    def get(self, request, federation_slug: str, pk: int):  # noqa: ANN001, ANN201
        framework = Framework.objects.filter(pk=pk).first()
        if framework is None:
            raise NotFound()
        tree = selectors.framework_tree(framework=framework, federation=self.federation)
        return Response(FrameworkDetailSerializer(framework, context={"tree": tree}).data)


class _CampaignRowsPaginator(Paginator):
    """Counts the campaigns as they are (no join), reads the page's rows as plain values."""

    def page(self, number) -> Page:  # noqa: ANN001
        page = super().page(number)
        page.object_list = selectors.campaign_rows(page.object_list)
        return page


class _CampaignRowsPagination(PageNumberPagination):
    django_paginator_class = _CampaignRowsPaginator


class CampaignList(PagedListMixin, _MaturityAPI):
    """Campaigns visible to the user, paginated; POST opens one (coordinator of the MSP or its
    DIM)."""

    pagination_class = _CampaignRowsPagination

    @extend_schema(responses=CampaignSerializer(many=True))
    def get(self, request, federation_slug: str):  # noqa: ANN001, ANN201
        qs = selectors.campaigns_list(membership=self.membership, participants=False)
        return self.paged_response(qs, CampaignSerializer)

    @extend_schema(request=CampaignOpenSerializer, responses={201: CampaignSerializer})
    def post(self, request, federation_slug: str):  # noqa: ANN001, ANN201
        self.require("maturity.manage")
        data = CampaignOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        centre = (
            HealthCentre.objects.visible_to(self.membership).filter(pk=d["health_centre"]).first()
        )
        framework = Framework.objects.filter(pk=d["framework"]).first()
        if centre is None or framework is None:
            raise serializers.ValidationError({"health_centre": "MSP ou référentiel inconnu."})
        axes = list(Axis.objects.filter(framework=framework, pk__in=d["axes"]))
        if len(axes) != len(set(d["axes"])):
            raise serializers.ValidationError({"axes": "Axe inconnu pour ce référentiel."})
        invitees = list(
            Membership.objects.filter(
                federation=self.federation, health_centre=centre, pk__in=d["invitees"]
            )
        )
        if len(invitees) != len(set(d["invitees"])):
            raise serializers.ValidationError(
                {"invitees": "Seuls les membres de la MSP peuvent être invités."}
            )
        campaign = services.campaign_open(
            actor=request.user,
            federation=self.federation,
            health_centre=centre,
            framework=framework,
            year=d["year"],
            axes=axes,
            invitees=invitees,
            url_builder=lambda c: request.build_absolute_uri(
                f"/{self.federation.slug}/maturite/{c.pk}/repondre/"
            ),
        )
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)


class CampaignDetail(_MaturityAPI):
    @extend_schema(responses=CampaignSerializer)
    def get(self, request, federation_slug: str, pk: int):  # noqa: ANN001, ANN201
        return Response(CampaignSerializer(self.campaign(pk)).data)


class RatingList(PagedListMixin, _MaturityAPI):
    """GET: your own answers (everyone's once the individual phase is closed, with ``?all=1``),
    paginated.
    POST: save one answer (last answer wins; refused outside the scale or after the phase)."""

    @extend_schema(responses=RatingSerializer(many=True))
    def get(self, request, federation_slug: str, pk: int):  # noqa: ANN001, ANN201
        campaign = self.campaign(pk)
        qs = Rating.objects.filter(campaign=campaign)
        if request.query_params.get("all") and selectors.answers_visible(
            campaign=campaign, membership=self.membership
        ):
            return self.paged_response(qs.order_by("characteristic_id", "pk"), RatingSerializer)
        qs = qs.filter(membership=self.membership).order_by("characteristic_id", "pk")
        return self.paged_response(qs, RatingSerializer)

    @extend_schema(request=RatingWriteSerializer, responses=RatingSerializer)
    def post(self, request, federation_slug: str, pk: int):  # noqa: ANN001, ANN201
        campaign = self.campaign(pk)
        self.require("maturity.rate")
        if not selectors.is_participant(campaign=campaign, membership=self.membership):
            raise PermissionDenied("Vous n'êtes pas invité(e) à cette campagne.")
        data = RatingWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.rating_save(
            actor=request.user,
            membership=self.membership,
            campaign=campaign,
            characteristic=self.characteristic(campaign, data.validated_data["characteristic"]),
            value=data.validated_data["value"],
            comment=data.validated_data["comment"],
        )
        return Response(RatingSerializer(rating).data)


class ConsensusList(_MaturityAPI):
    """The team's consensus per characteristic (one row per characteristic of the campaign:
    bounded by the framework, not paginated). POST with the version you read: 409 with the
    current value when someone else changed it in between (nothing is overwritten)."""

    @extend_schema(responses=ConsensusSerializer(many=True))
    def get(self, request, federation_slug: str, pk: int):  # noqa: ANN001, ANN201
        campaign = self.campaign(pk)
        if not selectors.answers_visible(campaign=campaign, membership=self.membership):
            return Response([])
        qs = Consensus.objects.filter(campaign=campaign).order_by("characteristic_id")
        return Response(ConsensusSerializer(qs, many=True).data)

    @extend_schema(
        request=ConsensusWriteSerializer,
        responses={200: ConsensusSerializer, 409: ConsensusSerializer},
    )
    def post(self, request, federation_slug: str, pk: int):  # noqa: ANN001, ANN201
        campaign = self.campaign(pk)
        self.require("maturity.manage")
        data = ConsensusWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        try:
            row = services.consensus_record(
                actor=request.user,
                campaign=campaign,
                characteristic=self.characteristic(campaign, d["characteristic"]),
                value=d["value"],
                comment=d["comment"],
                expected_version=d["version"],
            )
        except services.StaleWrite as exc:
            return Response(
                {
                    "detail": "Le consensus a été modifié par quelqu'un d'autre : relisez-le.",
                    "current": ConsensusSerializer(exc.current).data if exc.current else None,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(ConsensusSerializer(row).data)


class PositioningList(_MaturityAPI):
    """The team's positioning per dimension (0–3; one row per dimension of the campaign:
    bounded by the framework, not paginated), same compare-and-set as the consensus."""

    @extend_schema(responses=PositioningSerializer(many=True))
    def get(self, request, federation_slug: str, pk: int):  # noqa: ANN001, ANN201
        campaign = self.campaign(pk)
        qs = DimensionPositioning.objects.filter(campaign=campaign).order_by("dimension_id")
        return Response(PositioningSerializer(qs, many=True).data)

    @extend_schema(
        request=PositioningWriteSerializer,
        responses={200: PositioningSerializer, 409: PositioningSerializer},
    )
    def post(self, request, federation_slug: str, pk: int):  # noqa: ANN001, ANN201
        campaign = self.campaign(pk)
        self.require("maturity.manage")
        data = PositioningWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        dimension = campaign.dimensions.filter(pk=d["dimension"]).first()
        if dimension is None:
            raise serializers.ValidationError(
                {"dimension": "Cette dimension ne fait pas partie de la campagne."}
            )
        try:
            row = services.positioning_record(
                actor=request.user,
                campaign=campaign,
                dimension=dimension,
                level=d["level"],
                target_level=d["target_level"],
                comment=d["comment"],
                expected_version=d["version"],
            )
        except services.StaleWrite as exc:
            return Response(
                {
                    "detail": "Le positionnement a été modifié par quelqu'un d'autre : relisez-le.",
                    "current": PositioningSerializer(exc.current).data if exc.current else None,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(PositioningSerializer(row).data)


class ActionList(PagedListMixin, _MaturityAPI):
    """The campaign's action plan, paginated; POST adds an action (coordinator or DIM)."""

    @extend_schema(responses=ActionSerializer(many=True))
    def get(self, request, federation_slug: str, pk: int):  # noqa: ANN001, ANN201
        campaign = self.campaign(pk)
        return self.paged_response(selectors.campaign_actions(campaign=campaign), ActionSerializer)

    @extend_schema(request=ActionSerializer, responses={201: ActionSerializer})
    def post(self, request, federation_slug: str, pk: int):  # noqa: ANN001, ANN201
        campaign = self.campaign(pk)
        self.require("maturity.manage")
        data = ActionSerializer(data=request.data, campaign=campaign)
        data.is_valid(raise_exception=True)
        action = services.action_create(
            actor=request.user, campaign=campaign, **data.validated_data
        )
        return Response(ActionSerializer(action).data, status=status.HTTP_201_CREATED)


class ActionDetail(_MaturityAPI):
    def fetch(self, pk: int, action_id: int) -> tuple[Campaign, Action]:
        campaign = self.campaign(pk)
        action = Action.objects.filter(campaign=campaign, pk=action_id).first()
        if action is None:
            raise NotFound()
        return campaign, action

    @extend_schema(responses=ActionSerializer)
    def get(self, request, federation_slug: str, pk: int, action_id: int):  # noqa: ANN001, ANN201
        return Response(ActionSerializer(self.fetch(pk, action_id)[1]).data)

    @extend_schema(request=ActionSerializer, responses=ActionSerializer)
    def patch(self, request, federation_slug: str, pk: int, action_id: int):  # noqa: ANN001, ANN201
        campaign, action = self.fetch(pk, action_id)
        self.require("maturity.manage")
        data = ActionSerializer(action, data=request.data, partial=True, campaign=campaign)
        data.is_valid(raise_exception=True)
        action = services.action_update(actor=request.user, action=action, **data.validated_data)
        return Response(ActionSerializer(action).data)
