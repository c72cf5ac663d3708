"""Story fixtures: uploaded files go to a temporary folder; photos are made with Pillow."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from minipolice.consent.services import record_consent


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def image_upload(fmt="JPEG", size=(64, 48), name=None, exif=None) -> SimpleUploadedFile:
    buffer = BytesIO()
    image = Image.new("RGB", size, (29, 63, 115))
    if exif is not None:
        image.save(buffer, fmt, exif=exif)
    else:
        image.save(buffer, fmt)
    extension = {"JPEG": "jpg", "PNG": "png", "GIF": "gif"}[fmt]
    return SimpleUploadedFile(
        name or f"photo.{extension}", buffer.getvalue(), content_type=f"image/{extension}"
    )


@pytest.fixture
def photo_file():
    return image_upload


@pytest.fixture
def media_consent():
    def grant(child, uses=("internal", "force_website"), **extra):
        return record_consent(
            acting_user=None,
            child=child,
            kind="media",
            status="granted",
            method="paper",
            media_uses=list(uses),
            **extra,
        )

    return grant
