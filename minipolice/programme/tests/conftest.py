import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded resources go to a temporary folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
