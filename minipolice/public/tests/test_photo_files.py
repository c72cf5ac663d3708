"""The stored copy of an uploaded photo is pixels and nothing else: every metadata and comment
segment of the upload (JPEG COM, EXIF, XMP, ICC; PNG text, EXIF, ICC, time) is gone."""

import struct
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin

from minipolice.public import services

SECRET = b"Taken at Hillside Primary by Mr Smith"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    b'syntax-ns#"><rdf:Description>' + SECRET + b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)


@pytest.fixture
def story(world):
    return services.create_story(
        acting_user=None, unit=world.unit, title="Leaflet drop", body="We posted leaflets."
    )


def _exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x010E] = SECRET.decode()  # ImageDescription
    exif[0x8825] = {1: "N", 2: (51.0, 8.0, 0.0)}  # GPS
    return exif.tobytes()


def _icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _jpeg_markers(data: bytes) -> list[int]:
    """Every marker of a JPEG file in order, walking segments and the entropy-coded data."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    markers, at = [0xD8], 2
    while at < len(data):
        assert data[at] == 0xFF, f"no marker at {at}"
        while data[at] == 0xFF:  # fill bytes
            at += 1
        marker = data[at]
        at += 1
        markers.append(marker)
        if marker == 0xD9:  # EOI
            assert at == len(data), "data after the end of the image"
            return markers
        (length,) = struct.unpack(">H", data[at : at + 2])
        at += length
        if marker == 0xDA:  # SOS: skip the scan to the next real marker
            while not (data[at] == 0xFF and data[at + 1] not in (0x00, *range(0xD0, 0xD8))):
                at += 1
    raise AssertionError("no end of image")


def _png_chunks(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        chunks.append(data[at + 4 : at + 8])
        at += 12 + length
    assert chunks[-1] == b"IEND" and at == len(data), "data after the end of the image"
    return chunks


def _stored(story, upload) -> bytes:
    photo = services.add_story_photo(
        acting_user=None, story=story, image=upload, caption="x", children=[]
    )
    with photo.image.open("rb") as handle:
        return handle.read()


def test_a_jpeg_keeps_no_comment_exif_xmp_or_icc_segment(world, story):
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (29, 63, 115)).save(
        buffer, "JPEG", comment=SECRET, exif=_exif(), xmp=XMP, icc_profile=_icc()
    )
    upload_bytes = buffer.getvalue()
    uploaded = _jpeg_markers(upload_bytes)
    assert {0xFE, 0xE1, 0xE2} <= set(uploaded)  # the upload has COM, APP1 (EXIF, XMP), APP2
    stored = _stored(story, SimpleUploadedFile("p.jpg", upload_bytes, "image/jpeg"))
    markers = _jpeg_markers(stored)
    assert 0xFE not in markers, "a COM segment survived"
    assert [m for m in markers if 0xE0 <= m <= 0xEF] == [0xE0], "an APPn other than JFIF"
    app0 = stored.index(b"\xff\xe0")
    assert stored[app0 + 4 : app0 + 9] == b"JFIF\x00"
    assert SECRET not in stored and b"PhoneMaker" not in stored
    with Image.open(BytesIO(stored)) as image:
        assert image.size == (64, 48) and not image.getexif()
        assert "comment" not in image.info and "icc_profile" not in image.info


def test_a_png_keeps_no_text_exif_icc_or_time_chunk(world, story):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET.decode())
    info.add_text("Author", "Mr Smith", zip=True)  # zTXt
    info.add_itxt("Description", SECRET.decode(), lang="en")
    info.add(b"tIME", b"\x07\xe8\x04\x19\x0c\x00\x00")
    buffer = BytesIO()
    Image.new("RGBA", (64, 48), (29, 63, 115, 200)).save(
        buffer, "PNG", pnginfo=info, exif=_exif(), icc_profile=_icc()
    )
    upload_bytes = buffer.getvalue()
    uploaded = set(_png_chunks(upload_bytes))
    assert {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP", b"tIME"} <= uploaded
    stored = _stored(story, SimpleUploadedFile("p.png", upload_bytes, "image/png"))
    chunks = _png_chunks(stored)
    assert set(chunks) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}, chunks
    assert SECRET not in stored and b"PhoneMaker" not in stored
    with Image.open(BytesIO(stored)) as image:
        assert image.size == (64, 48) and image.mode == "RGBA"


def test_a_palette_png_keeps_its_transparency(world, story):
    image = Image.new("P", (8, 8), 1)
    image.putpalette([0, 0, 0, 29, 63, 115] + [0] * 762)
    buffer = BytesIO()
    image.save(buffer, "PNG", transparency=0)
    stored = _stored(story, SimpleUploadedFile("p.png", buffer.getvalue(), "image/png"))
    with Image.open(BytesIO(stored)) as clean:
        assert clean.info.get("transparency") == 0
        assert clean.convert("RGB").getpixel((0, 0)) == (29, 63, 115)
