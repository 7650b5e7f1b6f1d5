from __future__ import annotations

import pytest

from tests.maturity.world import load_has_framework


@pytest.fixture
def framework(db):  # noqa: ANN001, ANN201
    return load_has_framework()


@pytest.fixture
def si_characteristics(framework):  # noqa: ANN001, ANN201
    from maturity.models import Characteristic

    return list(
        Characteristic.objects.filter(dimension__axis__code="systeme-information").order_by(
            "dimension__position", "position"
        )
    )
