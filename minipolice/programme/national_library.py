"""The national library's names that code relies on.

The modules and templates themselves (titles, aims, suggested activities, minutes) are seeded
by migrations/0002_national_library.py, so every database has them.
"""

DEFAULT_TEMPLATE = "Standard 8-week programme"
