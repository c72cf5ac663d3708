"""Data protection pages and the class-list import's progress page of the people app (the
core people pages are in tests/)."""

from tests.access import COORDINATOR, row

# Only the person who confirmed an import sees its progress: here the world's teacher. Staff
# who may manage the cohort get 404 for someone else's import, as for its preview.
OWN_IMPORT = row(teacher=200, leader=404, area_lead=404, coordinator=404)

MATRIX = {
    "people:child_export_json": ("get", COORDINATOR),
    "people:child_export_pdf": ("get", COORDINATOR),
    "people:child_erase": ("get", COORDINATOR),
    "people:guardian_export_json": ("get", COORDINATOR),
    "people:guardian_export_pdf": ("get", COORDINATOR),
    "people:guardian_erase": ("get", COORDINATOR),
    "people:retention": ("get", COORDINATOR),
    "people:cohort_import_progress": ("get", OWN_IMPORT),
}


def url_kwargs(world) -> dict:
    from django.utils import timezone

    from minipolice.people.models import ClassListImport

    queued = ClassListImport.objects.create(
        cohort=world.cohort,
        uploaded_by=world.users["teacher"],
        file_name="class.csv",
        created_at=timezone.now(),
        status=ClassListImport.Status.QUEUED,
        rows_total=1,
    )
    return {"people:cohort_import_progress": {"pk": world.cohort.pk, "import_pk": queued.pk}}
