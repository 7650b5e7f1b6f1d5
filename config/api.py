"""Shared pieces of the DRF API: tenant resolution and permission, error handler."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, permissions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings

from config.pagination import FirstPageRows
from federations.mfa import must_enable_mfa
from federations.permissions import has_perm
from federations.tenancy import membership_for


def exception_handler(exc, context):  # noqa: ANN001, ANN201
    """Django's ValidationError answers 400 with its messages, never a 500."""
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)


class IsAuthenticatedWithMfa(permissions.IsAuthenticated):
    message = "La double authentification est obligatoire : activez-la avant d'utiliser l'API."

    def has_permission(self, request, view) -> bool:  # noqa: ANN001
        if not super().has_permission(request, view):
            return False
        return not must_enable_mfa(request)


class TenantAPIMixin:
    """For API views under ``/api/v1/federations/<federation_slug>/…``: resolves the membership
    (404 for unknown or foreign federations) and checks ``tenant_perm`` from the app's RULES."""

    tenant_perm: str | None = None

    def initial(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        super().initial(request, *args, **kwargs)
        try:
            membership = membership_for(request, kwargs["federation_slug"])
        except Http404:
            raise exceptions.NotFound("Fédération inconnue.")
        if self.tenant_perm and not has_perm(membership, self.tenant_perm):
            raise exceptions.PermissionDenied()
        request.membership = membership
        request.federation = membership.federation
        self.membership = membership
        self.federation = membership.federation


class FirstPagePagination(PageNumberPagination):
    """The API's pages (``count``, ``next``, ``previous``, ``results``), with a list that fits
    on its first page counted from the rows read, without a ``COUNT`` query
    (``config.pagination.FirstPageRows``)."""

    def paginate_queryset(self, queryset, request, view=None):  # noqa: ANN001, ANN201
        rows = FirstPageRows(
            request,
            queryset,
            per_page=self.get_page_size(request) or api_settings.PAGE_SIZE,
            param=self.page_query_param,
        )
        return super().paginate_queryset(rows, request, view)


class PagedListMixin:
    """For ``APIView``s whose GET answers a list that grows with the data: the same pages as the
    generic list views (``count``, ``next``, ``previous``, ``results``; ``?page=n``), and the
    schema says so (drf-spectacular wraps ``many=True`` responses of a view with a paginator)."""

    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    def paged_response(self, queryset, serializer_class, **kwargs) -> Response:  # noqa: ANN001, ANN003
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        return paginator.get_paginated_response(serializer_class(page, many=True, **kwargs).data)
