"""Seed the national curriculum library: every database has it, read-only for forces.

The text is frozen here (a migration must not change when app code does). To change the
national library later, add a migration.
"""

from django.db import migrations

MODULES = [
    (
        "education",
        "Police procedures and the law",
        60,
        "Know what the police do, how laws are made and why they matter, and what happens when someone "
        "is arrested.",
        "Tour of a PCSO's kit and uniform.\n"
        "Sort everyday scenes into 'against the law' and 'not against the law'.\n"
        "Role-play taking a witness statement.",
    ),
    (
        "education",
        "Road safety",
        60,
        "Cross roads safely, be seen in the dark and know why seat belts and speed limits save lives.",
        "Green Cross Code practice in the playground.\n"
        "Be Bright, Be Seen: test reflective and dark clothing with a torch.\n"
        "Count passing cars and guess their speed, then check with a speed gun if the roads policing "
        "team can visit.",
    ),
    (
        "education",
        "Fire safety",
        60,
        "Know how fires start at home, what a smoke alarm does and how to get out and call 999.",
        "Plan an escape route from a bedroom.\n"
        "Test a smoke alarm together.\n"
        "Practise 'stop, drop and roll'.",
    ),
    (
        "education",
        "Water safety",
        60,
        "Understand the dangers of open water, rivers and the sea, and what to do if someone is in "
        "trouble.",
        "Spot the hidden dangers in a picture of a lake.\n"
        "Learn 'float to live'.\n"
        "Practise calling 999 and asking for the coastguard or fire service.",
    ),
    (
        "education",
        "Internet safety",
        60,
        "Keep personal information private online, recognise unkind or unsafe contact and know who to "
        "tell.",
        "Sort information into 'safe to share' and 'keep private'.\n"
        "Design a strong password that is easy to remember.\n"
        "Write a class promise for being kind online.",
    ),
    (
        "education",
        "Knife crime",
        45,
        "Understand that carrying a knife makes no one safer, and know how to get help if they are "
        "worried.",
        "Talk through myths and facts in small groups.\n"
        "Read a short story and decide what the characters could do instead.\n"
        "Find out where the school's knife amnesty bin or trusted adults are.",
    ),
    (
        "education",
        "Anti-social behaviour",
        60,
        "Recognise anti-social behaviour, understand its effect on neighbours and know how to report it.",
        "Walk around the school grounds and map litter, graffiti or damage.\n"
        "Discuss how a neighbour feels after a noisy night.\n"
        "Practise a short report to 101.",
    ),
    (
        "education",
        "Hate crime awareness",
        60,
        "Understand what a hate crime is, why everyone deserves respect and how to report one.",
        "Explore what makes each child different and the same.\n"
        "Read scenarios and decide whether each is a hate incident.\n"
        "Make a class display about respect.",
    ),
    (
        "education",
        "Personal safety",
        60,
        "Know how to stay safe out and about, whom to trust and what to do if lost or worried.",
        "Draw a hand of five trusted adults.\n"
        "Role-play being lost in a shop.\n"
        "Learn how and when to call 999.",
    ),
    (
        "community",
        "Designing a crime-prevention leaflet",
        60,
        "Turn what they have learned into advice for neighbours: locking up, bogus callers, keeping "
        "sheds safe.",
        "Look at real crime-prevention leaflets and pick out what works.\n"
        "Draft a leaflet in small groups.\n"
        "Vote for the design to print for a leaflet drop.",
    ),
    (
        "community",
        "Community action planning",
        60,
        "Choose a local problem, plan a community action to help and agree who does what.",
        "Vote on a problem: litter, parking outside school, speeding.\n"
        "Plan the action: where, when, which partners, what to count.\n"
        "Agree safety rules for going out with the police.",
    ),
    (
        "reward",
        "Visit to police headquarters",
        120,
        "See how a police force works behind the scenes and meet the people who keep it running.",
        "Tour of the building.\n"
        "Meet officers and staff from different teams.\n"
        "Try on kit and see a police car up close.",
    ),
    (
        "reward",
        "Meet the dog unit",
        90,
        "Learn how police dogs and their handlers are trained and what work they do.",
        "Watch a search or tracking demonstration.\n"
        "Ask the handler prepared questions.\n"
        "Draw the dog and label its kit.",
    ),
    (
        "reward",
        "Meet the police horses",
        90,
        "Learn how mounted officers and their horses help at events and patrols.",
        "Meet a horse and its rider (with the handler's guidance).\n"
        "Find out what a police horse eats and wears.\n"
        "Write a thank-you card.",
    ),
    (
        "reward",
        "Visit to the control room",
        90,
        "Understand what happens when someone calls 999 or 101 and how officers are sent.",
        "Listen to how call handlers ask questions.\n"
        "Play a 'which service do you need?' quiz.\n"
        "See the map of officers on patrol.",
    ),
    (
        "reward",
        "Visit to the fire station",
        120,
        "See how firefighters train and work, and link it to what they learned about fire safety.",
        "Tour of the station and engine.\n"
        "Watch a hose demonstration.\n"
        "Ask firefighters about their job.",
    ),
    (
        "reward",
        "Closing ceremony",
        90,
        "Celebrate what the unit achieved, with families, school and police together.",
        "Children present their community action.\n"
        "Certificates are handed out.\n"
        "Photos only of children whose parents agreed.",
    ),
]

TEMPLATES = [
    (
        "Standard 8-week programme",
        "One session a week for a term: the core topics, a community action and the ceremony.",
        [
            "Police procedures and the law",
            "Road safety",
            "Internet safety",
            "Personal safety",
            "Anti-social behaviour",
            "Designing a crime-prevention leaflet",
            "Community action planning",
            "Closing ceremony",
        ],
    ),
    (
        "12-week programme with visits",
        "A longer programme with more safety topics and two visits.",
        [
            "Police procedures and the law",
            "Road safety",
            "Fire safety",
            "Water safety",
            "Internet safety",
            "Knife crime",
            "Hate crime awareness",
            "Designing a crime-prevention leaflet",
            "Community action planning",
            "Visit to police headquarters",
            "Meet the dog unit",
            "Closing ceremony",
        ],
    ),
]


def seed(apps, schema_editor):
    Module = apps.get_model("programme", "Module")
    ProgrammeTemplate = apps.get_model("programme", "ProgrammeTemplate")
    TemplateItem = apps.get_model("programme", "TemplateItem")
    by_title = {}
    for pillar, title, minutes, aims, activities in MODULES:
        module, _ = Module.objects.get_or_create(
            force=None,
            title=title,
            defaults={"pillar": pillar, "minutes": minutes, "aims": aims, "activities": activities},
        )
        by_title[title] = module
    for name, description, titles in TEMPLATES:
        template, created = ProgrammeTemplate.objects.get_or_create(
            force=None, name=name, defaults={"description": description}
        )
        if created:
            for week, title in enumerate(titles, start=1):
                TemplateItem.objects.create(
                    template=template, position=week, module=by_title[title]
                )


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
