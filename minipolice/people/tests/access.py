"""Data protection pages of the people app (the core people pages are in tests/)."""

from tests.access import COORDINATOR

MATRIX = {
    "people:child_export_json": ("get", COORDINATOR),
    "people:child_export_pdf": ("get", COORDINATOR),
    "people:child_erase": ("get", COORDINATOR),
    "people:guardian_export_json": ("get", COORDINATOR),
    "people:guardian_export_pdf": ("get", COORDINATOR),
    "people:guardian_erase": ("get", COORDINATOR),
    "people:retention": ("get", COORDINATOR),
}
