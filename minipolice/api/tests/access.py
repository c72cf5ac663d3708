from tests.access import PUBLIC, row

# The API answers with JSON; its own tests check tokens and scoping per resource.
MATRIX = {
    "api:api-root": (
        "get",
        row(
            anonymous=404,
            **dict.fromkeys(
                ["guardian", "teacher", "leader", "area_lead", "coordinator", "funder", "national"],
                404,
            ),
        ),
    ),
    "api:openapi-json": ("get", PUBLIC),
    "api:openapi-view": ("get", PUBLIC),
}
UNSCOPED = set(MATRIX)
