"""The impact app's URLs in the access matrix: one part per views module (access_*.py)."""

from minipolice.impact.tests import access_classroom, access_library, access_results

PARTS = [access_classroom, access_library, access_results]

MATRIX = {}
UNSCOPED = set()
for _part in PARTS:
    MATRIX.update(_part.MATRIX)
    UNSCOPED |= set(getattr(_part, "UNSCOPED", ()))


def url_kwargs(world) -> dict:
    found = {}
    for part in PARTS:
        if hasattr(part, "url_kwargs"):
            found.update(part.url_kwargs(world))
    return found
