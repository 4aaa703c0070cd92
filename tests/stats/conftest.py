import datetime as dt

import pytest

from truongso.stats import services

CUTOFF = dt.date(2025, 9, 30)


@pytest.fixture
def boy(world):
    """The beginning-of-year round of 2025-2026, opened by the ministry."""
    return services.round_open(
        actor=world.ministry, form="boy", school_year=world.year, cutoff=CUTOFF
    )


def approved(world, institution, report_round, principal, office):
    report = services.report_prepare(
        actor=principal, institution=institution, report_round=report_round
    )
    services.report_submit(actor=principal, report=report)
    return services.report_approve(actor=office, report=report)
