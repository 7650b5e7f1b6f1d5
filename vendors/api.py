"""DRF API of the national catalogue (readable by every signed-in user, vendor users included):
catalogue, characteristics of one product, comparison of 2 to 4 products."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from federations.professions import Profession

from . import selectors, services
from .models import CharacteristicKey, LabelRecord, Software


class LabelSerializer(serializers.ModelSerializer):
    class Meta:
        model = LabelRecord
        fields = [
            "referential",
            "software_version",
            "perimeter",
            "professions",
            "level",
            "labelled_on",
            "status",
            "status_note",
        ]


class SoftwareSerializer(serializers.ModelSerializer):
    vendor = serializers.CharField(source="vendor.name")
    vendor_slug = serializers.CharField(source="vendor.slug")
    labels = LabelSerializer(many=True)

    class Meta:
        model = Software
        fields = ["slug", "name", "version", "vendor", "vendor_slug", "label_level", "labels"]


class FactSerializer(serializers.Serializer):
    subject = serializers.CharField()
    label = serializers.CharField()
    value = serializers.CharField(allow_null=True)
    display = serializers.CharField()
    source = serializers.CharField(allow_null=True)
    as_of = serializers.DateField(allow_null=True)


class SoftwareDetailSerializer(SoftwareSerializer):
    characteristics = serializers.SerializerMethodField()
    capabilities = serializers.SerializerMethodField()

    class Meta(SoftwareSerializer.Meta):
        fields = [*SoftwareSerializer.Meta.fields, "characteristics", "capabilities"]

    def _fact(self, subject: str, label: str, fact) -> dict:  # noqa: ANN001
        return {
            "subject": subject,
            "label": label,
            "value": fact.value if fact else None,
            "display": selectors.display_value(fact),
            "source": fact.source if fact else None,
            "as_of": fact.as_of if fact else None,
        }

    @extend_schema(responses=FactSerializer(many=True))
    def get_characteristics(self, obj: Software) -> list[dict]:
        facts = self.context["facts"]
        return [self._fact(k, str(label), facts.get(k)) for k, label in CharacteristicKey.choices]

    @extend_schema(responses=FactSerializer(many=True))
    def get_capabilities(self, obj: Software) -> list[dict]:
        facts = self.context["facts"]
        return [
            self._fact(c.code, c.label, facts.get(f"cap:{c.pk}")) for c in selectors.capabilities()
        ]


class CatalogueList(generics.ListAPIView):
    """The national catalogue of labelled software."""

    serializer_class = SoftwareSerializer

    def get_queryset(self):  # noqa: ANN201
        return selectors.software_queryset().filter(is_active=True).order_by("name")


class SoftwareDetail(generics.RetrieveAPIView):
    """One product: label records, characteristics and capabilities with source and date."""

    serializer_class = SoftwareDetailSerializer
    lookup_field = "slug"

    def get_queryset(self):  # noqa: ANN201
        return selectors.software_queryset()

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        slug = self.kwargs.get("slug")
        sw = Software.objects.filter(slug=slug).only("pk").first()
        context["facts"] = selectors.current_facts([sw.pk]).get(sw.pk, {}) if sw else {}
        return context


class ComparisonRowSerializer(serializers.Serializer):
    section = serializers.CharField()
    label = serializers.CharField()
    cells = serializers.ListField(child=serializers.CharField())
    differs = serializers.BooleanField()


class ComparisonSerializer(serializers.Serializer):
    software = serializers.ListField(child=serializers.CharField())
    profession = serializers.CharField(allow_blank=True)
    differences = serializers.IntegerField()
    rows = ComparisonRowSerializer(many=True)


class ComparisonView(APIView):
    """Side-by-side comparison of 2 to 4 products (national adoption figures)."""

    serializer_class = ComparisonSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("logiciels", str, many=True, description="2 à 4 identifiants"),
            OpenApiParameter("profession", str, required=False),
        ],
        responses=ComparisonSerializer,
    )
    def get(self, request):  # noqa: ANN001, ANN201
        slugs = request.query_params.getlist("logiciels")
        if len(slugs) == 1 and "," in slugs[0]:
            slugs = slugs[0].split(",")
        profession = request.query_params.get("profession", "")
        if profession and profession not in Profession.values:
            raise DRFValidationError({"profession": ["Profession inconnue."]})
        try:
            chosen = services.comparison_check(slugs)
        except ValidationError as exc:
            raise DRFValidationError({"logiciels": exc.messages})
        grid = selectors.comparison(chosen, profession=profession)
        data = {
            "software": [s.slug for s in grid.softwares],
            "profession": profession,
            "differences": grid.differences,
            "rows": [
                {"section": r.section, "label": r.label, "cells": r.cells, "differs": r.differs}
                for r in grid.rows
            ],
        }
        return Response(ComparisonSerializer(data).data)


__all__ = ["CatalogueList", "ComparisonView", "NotFound", "SoftwareDetail"]
