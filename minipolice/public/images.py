"""Checking an uploaded photo and storing a clean copy of it.

Only JPEG and PNG, at most MAX_BYTES and MAX_PIXELS. The photo is decoded and saved again, so
what is stored is an image and nothing else: no EXIF (a phone's photo carries the GPS position
of the school it was taken in), no text chunks, no trailing data.
"""

import uuid
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}
CONTENT_TYPES = {extension: content_type for extension, content_type in FORMATS.values()}


def prepare_photo(upload) -> ContentFile:
    """A clean JPEG or PNG copy of `upload`, with a random name, or a ValidationError."""
    refused = ValidationError({"image": "Choose a photo in JPEG or PNG format."})
    if upload.size > MAX_BYTES:
        raise ValidationError({"image": "The photo must be smaller than 10 MB."})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            if image_format not in FORMATS:
                raise refused
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError({"image": "The photo is too large: at most 40 megapixels."})
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            out = BytesIO()
            if image_format == "JPEG":
                upright.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            else:
                upright.save(out, "PNG", optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise refused from None
    extension = FORMATS[image_format][0]
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


def content_type_of(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
