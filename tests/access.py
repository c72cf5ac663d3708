"""Shared vocabulary of the access matrix: the roles and the usual answers.

Apps add their own URLs in `minipolice/<app>/tests/access.py` with a `MATRIX` dict (and, for
URLs that need objects the shared `world` lacks, `url_kwargs(world) -> {url name: kwargs}`).
"""

ROLES = [
    "anonymous",
    "guardian",
    "teacher",
    "leader",
    "area_lead",
    "coordinator",
    "funder",
    "national",
]


def row(
    anonymous=302,
    guardian=403,
    teacher=403,
    leader=403,
    area_lead=403,
    coordinator=403,
    funder=403,
    national=403,
):
    return dict(
        zip(
            ROLES,
            [anonymous, guardian, teacher, leader, area_lead, coordinator, funder, national],
            strict=True,
        )
    )


EVERYONE = row(
    guardian=200, teacher=200, leader=200, area_lead=200, coordinator=200, funder=200, national=200
)
PUBLIC = row(
    anonymous=200,
    guardian=200,
    teacher=200,
    leader=200,
    area_lead=200,
    coordinator=200,
    funder=200,
    national=200,
)
COORDINATOR = row(coordinator=200)
AREA = row(area_lead=200, coordinator=200)  # area leads and coordinators
UNIT_STAFF = row(teacher=200, leader=200, area_lead=200, coordinator=200)
# Signed-in pages of allauth that redirect elsewhere for a signed-in user.
SIGNED_IN_REDIRECT = row(
    anonymous=200,
    guardian=302,
    teacher=302,
    leader=302,
    area_lead=302,
    coordinator=302,
    funder=302,
    national=302,
)
