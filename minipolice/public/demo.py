"""Demo story: the Stockmoor leaflet drop by Somerset Bridge School's Mini Police, April 2019.

Told in our own words from the force's public news item (see /work/shared/seeds); nobody is
named. The picture is a drawn illustration of a leaflet, not a photo, so no child is in it.
Loading twice changes nothing.
"""

import datetime
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from minipolice.accounts.models import User
from minipolice.organisations.models import Unit
from minipolice.public import services
from minipolice.public.models import Story

TITLE = "Mini Police deliver crime prevention leaflets in Stockmoor"
BODY = """On 25 April 2019 the Year 5 Mini Police officers of Somerset Bridge School took their \
crime prevention work out of the classroom and onto the streets of Stockmoor, in Bridgwater.

In the weeks before, the children worked with their neighbourhood PCSOs to design their own \
leaflets, full of tips to help residents keep burglars and doorstep rogue traders away.

Wearing their uniforms, the children walked the estate with the neighbourhood team and posted \
a leaflet through the door of 150 homes. Their leaders said the children were proud to help \
their community, and enjoyed every part of it, from designing the leaflets to delivering them.

The unit began in October 2018, and staff at the school say the children have grown in \
confidence since. The team hopes to be out on patrol again soon: if you see them, stop and \
say hello."""
CAPTION = "A drawing of a crime prevention leaflet like the ones the children designed"


def _illustration() -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 400), (29, 63, 115))
    draw = ImageDraw.Draw(image)
    draw.rectangle((180, 40, 460, 360), fill=(255, 255, 255))
    draw.rectangle((200, 60, 440, 110), fill=(29, 63, 115))
    draw.text((215, 75), "MINI POLICE", fill=(255, 255, 255))
    for row in range(8):
        top = 140 + row * 24
        draw.rectangle((205, top, 435 - (row % 3) * 40, top + 8), fill=(177, 180, 182))
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("leaflet.png", buffer.getvalue(), content_type="image/png")


def load_demo_data() -> None:
    unit = Unit.objects.filter(
        school__name="Somerset Bridge School", school__area__force__short_name="avon-and-somerset"
    ).first()
    if unit is None or Story.objects.filter(unit=unit, title=TITLE).exists():
        return
    coordinator = User.objects.filter(email="coordinator@avon.example.org").first()
    story = services.create_story(
        acting_user=None,
        unit=unit,
        title=TITLE,
        body=BODY,
        happened_on=datetime.date(2019, 4, 25),
    )
    services.add_story_photo(
        acting_user=None, story=story, image=_illustration(), caption=CAPTION, children=[]
    )
    services.publish_story(acting_user=coordinator, story=story)
    # As it was published at the time, the day after the leaflet drop.
    published = timezone.make_aware(datetime.datetime(2019, 4, 26, 14, 39))
    Story.objects.filter(pk=story.pk).update(
        created_at=published, updated_at=published, published_at=published
    )
