"""Checking an uploaded photo and storing a clean copy of it.

Only JPEG and PNG, at most MAX_BYTES and MAX_PIXELS. The photo is decoded and saved again from
its pixels alone, so what is stored is an image and nothing else: no EXIF (a phone's photo
carries the GPS position of the school it was taken in), no XMP, no JPEG comment or APPn
segment but the minimal JFIF header, no PNG text, time or EXIF chunk, no trailing data. An
embedded colour profile is applied (the pixels become sRGB) and then dropped, since it can carry
text too; a PNG keeps only its transparency.
"""

import uuid
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}
CONTENT_TYPES = {extension: content_type for extension, content_type in FORMATS.values()}


def prepare_photo(upload) -> ContentFile:
    """A clean JPEG or PNG copy of `upload`, with a random name, or a ValidationError."""
    refused = ValidationError({"image": _("Choose a photo in JPEG or PNG format.")})
    if upload.size > MAX_BYTES:
        raise ValidationError({"image": _("The photo must be smaller than 10 MB.")})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            if image_format not in FORMATS:
                raise refused
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    {"image": _("The photo is too large: at most 40 megapixels.")}
                )
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            upright = _pixels_only(ImageOps.exif_transpose(image))
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


def _pixels_only(image: Image.Image) -> Image.Image:
    """`image` in sRGB with no metadata: the encoders write what `info` holds (a JPEG's comment,
    a PNG's colour profile), so only a PNG's transparency is kept."""
    kept = {key: image.info[key] for key in ("transparency",) if key in image.info}
    profile = image.info.get("icc_profile")
    clean = image.copy()
    if profile and image.mode in ("RGB", "RGBA"):
        try:
            source = ImageCms.ImageCmsProfile(BytesIO(profile))
            srgb = ImageCms.createProfile("sRGB")
            clean = ImageCms.profileToProfile(image, source, srgb, outputMode=image.mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable profile: keep the pixels as they are
    clean.info = kept
    return clean


def content_type_of(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
