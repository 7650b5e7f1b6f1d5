"""Tenant pages of this app, mounted under /<federation_slug>/..."""

app_name = "maturity"

urlpatterns: list = []
