"""The demo: real forces, areas and schools from the public record; every person invented.

Facts come from the forces' public pages about the programme (in /work/shared/seeds): the pilot
at Oasis Connaught School in Knowle in September 2017, seven more Avon and Somerset units in
2018, about 30 active units by June 2019, the Harpenden trial of April to June 2018 with 28
pupils, East Herts from September 2018. A school is placed by its postcode district only (its
full postcode, URN and address are not in those pages, so they stay empty); a district left
empty is one the pages do not let us tell.

The 22 Avon and Somerset units that opened in 2019 are not named in the pages: their schools
are invented and say so ("Avon Demo Primary 9"), placed in real districts of the force's areas.
"""

import datetime
import itertools
import random

D = datetime.date

# (school, town, postcode district or "", unit status history, oldest first)
FORCES = [
    {
        "name": "Avon and Somerset Constabulary",
        "short_name": "avon-and-somerset",
        "chief_constable_name": "Chief Constable Morgan Hale (fictional)",
        "pcc_name": "Commissioner Robin Ashdown (fictional)",
        "areas": {
            "Bristol": [
                (
                    "Oasis Connaught School",
                    "Knowle, Bristol",
                    "BS4",
                    [("trial", D(2017, 9, 11)), ("active", D(2018, 1, 8))],
                ),
                ("Greenfield EACT Academy", "Knowle, Bristol", "BS4", [("active", D(2018, 9, 17))]),
                ("St Barnabas Primary", "East Bristol", "", [("active", D(2018, 9, 24))]),
                ("Fair Furlong", "Hartcliffe, Bristol", "BS13", [("active", D(2018, 10, 1))]),
            ],
            "Somerset": [
                ("Somerset Bridge School", "Bridgwater", "TA6", [("active", D(2018, 10, 8))]),
                ("Preston Primary", "Yeovil", "", [("active", D(2018, 10, 15))]),
            ],
            "North Somerset": [
                ("Bournville Primary", "Weston-super-Mare", "BS23", [("active", D(2018, 9, 17))]),
            ],
            "South Gloucestershire": [
                (
                    "Parkwall Primary",
                    "Cadbury Heath, Bristol",
                    "BS30",
                    [("active", D(2018, 11, 5)), ("paused", D(2025, 7, 18))],
                ),
            ],
        },
    },
    {
        "name": "Hertfordshire Constabulary",
        "short_name": "hertfordshire",
        "chief_constable_name": "Chief Constable Jordan Pryce (fictional)",
        "pcc_name": "Commissioner Casey Whitlow (fictional)",
        "areas": {
            "St Albans and Harpenden": [
                (
                    "Harpenden Academy",
                    "Harpenden",
                    "AL5",
                    [("trial", D(2018, 4, 16)), ("active", D(2018, 9, 10))],
                ),
            ],
            "East Herts": [
                (
                    "Spellbrook Primary School",
                    "Bishop's Stortford",
                    "CM23",
                    [("active", D(2018, 9, 14))],
                ),
                (
                    "Hillmead Primary School",
                    "Bishop's Stortford",
                    "CM23",
                    [("active", D(2018, 9, 14))],
                ),
                ("Thorley Hill Primary School", "Bishop's Stortford", "CM23", []),
            ],
        },
    },
]

# Where the 2019 units of Avon and Somerset are: (area, town, postcode district). Real places
# and districts; the schools are invented.
AVON_2019_PLACES = [
    ("Bristol", "Bedminster, Bristol", "BS3"),
    ("South Gloucestershire", "Kingswood", "BS15"),
    ("Somerset", "Taunton", "TA1"),
    ("North Somerset", "Portishead", "BS20"),
    ("Bristol", "Easton, Bristol", "BS5"),
    ("South Gloucestershire", "Downend", "BS16"),
    ("Somerset", "Burnham-on-Sea", "TA8"),
    ("North Somerset", "Clevedon", "BS21"),
    ("Bristol", "Redland, Bristol", "BS6"),
    ("South Gloucestershire", "Bradley Stoke", "BS32"),
    ("Somerset", "Wells", "BA5"),
    ("North Somerset", "Worle", "BS22"),
    ("Bristol", "Horfield, Bristol", "BS7"),
    ("South Gloucestershire", "Filton", "BS34"),
    ("Somerset", "Frome", "BA11"),
    ("North Somerset", "Nailsea", "BS48"),
    ("Bristol", "Southmead, Bristol", "BS10"),
    ("South Gloucestershire", "Thornbury", "BS35"),
    ("Somerset", "Street", "BA16"),
    ("Bristol", "Avonmouth, Bristol", "BS11"),
    ("South Gloucestershire", "Yate", "BS37"),
    ("Bristol", "Stockwood, Bristol", "BS14"),
]


def avon_2019_schools():
    """The invented schools whose units opened between January and May 2019, each after a
    six-week trial, so that 30 units were active by June 2019. Two have since stopped."""
    schools = []
    for index, (area, town, district) in enumerate(AVON_2019_PLACES):
        trial = D(2019, 1, 7) + datetime.timedelta(days=5 * index)
        history = [("trial", trial), ("active", trial + datetime.timedelta(weeks=6))]
        if index == 7:
            history.append(("paused", D(2023, 7, 21)))
        if index == 16:
            history += [("paused", D(2022, 7, 22)), ("closed", D(2023, 3, 31))]
        schools.append((area, (f"Avon Demo Primary {index + 9}", town, district, history)))
    return schools


FUNDING = "Police and Crime Commissioner"

# Invented names for the demo children and guardians: first names and surnames common in the
# UK, paired in a fixed shuffled order (see names()) so that a cohort's children have many
# different surnames. The demo parent's family, the Ashworths, are the only ones of that name.
FIRST_NAMES = [
    "Amara", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Harvey", "Isla", "Jack",
    "Kai", "Layla", "Max", "Nia", "Oscar", "Poppy", "Reuben", "Sana", "Theo", "Una",
    "Vinnie", "Willow", "Yusuf", "Zara", "Alfie", "Bea", "Callum", "Daisy", "Ethan", "Freya",
    "George", "Hannah", "Imran", "Jasmine", "Kieran", "Lily", "Mohammed", "Niamh", "Owen",
    "Priya", "Rosie", "Sami", "Tilly", "Wren", "Aisha", "Bobby", "Cerys", "Dylan",
]  # fmt: skip
LAST_NAMES = [
    "Bramley", "Carrow", "Dunmore", "Eastleigh", "Fenwick", "Garside", "Hollins", "Ingleby",
    "Jessop", "Kershaw", "Lintott", "Marlow", "Norbury", "Oakden", "Pilling", "Quarmby",
    "Rudd", "Sowerby", "Thwaite", "Uttley", "Varley", "Whitlock", "Yardley", "Ambrose",
    "Birchall", "Cotterill", "Dimmock", "Ellery", "Fairclough", "Gosling", "Hebden",
    "Iqbal", "Jarvis", "Kumar", "Lomax", "Mistry", "Nwosu", "Okafor", "Penhale", "Rowntree",
    "Sandhu", "Tregear", "Venn", "Wadsworth", "Pemberton", "Begum", "Chaudhry", "Doyle",
]  # fmt: skip
DEMO_FAMILY_NAME = "Ashworth"
GUARDIAN_FIRST = ["Alex", "Sam", "Jo", "Chris", "Pat", "Lee", "Kim", "Robin", "Jamie", "Ali"]


def names():
    """Endless (first name, surname) pairs in a fixed order: every pairing once, shuffled with
    a fixed seed, so the demo is the same each time it loads and neighbours rarely share a
    surname."""
    pairs = list(itertools.product(FIRST_NAMES, LAST_NAMES))
    random.Random(2017).shuffle(pairs)  # a fixed seed, for demo data the same on every run # nosec B311
    return itertools.cycle(pairs)


DEMO_PASSWORD = "mini-police-demo"  # printed by `make run`; DEBUG-only accounts # nosec B105

# (email, full name, role, force short name, scope kind, scope name)
ACCOUNTS = [
    ("national@example.org", "Nadia Quinn (national office)", "national_viewer", None, None, None),
    (
        "coordinator@avon.example.org",
        "Priya Castell (coordinator)",
        "force_coordinator",
        "avon-and-somerset",
        "force",
        None,
    ),
    (
        "area.lead@avon.example.org",
        "Sergeant Tom Evershed",
        "area_lead",
        "avon-and-somerset",
        "area",
        "Bristol",
    ),
    (
        "leader@avon.example.org",
        "PCSO Leah Marchbank",
        "unit_leader",
        "avon-and-somerset",
        "unit",
        "Oasis Connaught School",
    ),
    (
        "lapsed.leader@avon.example.org",
        "PCSO Dan Whitcombe (vetting expired)",
        "unit_leader",
        "avon-and-somerset",
        "unit",
        "Fair Furlong",
    ),
    (
        "teacher@avon.example.org",
        "Ms Hana Pridmore (teacher)",
        "teacher",
        "avon-and-somerset",
        "school",
        "Oasis Connaught School",
    ),
    (
        "guardian@avon.example.org",
        "Alex Ashworth (parent)",
        "guardian",
        "avon-and-somerset",
        "guardian",
        None,
    ),
    (
        "funder@avon.example.org",
        "Office of the PCC (funder)",
        "funder",
        "avon-and-somerset",
        "force",
        None,
    ),
    (
        "coordinator@herts.example.org",
        "Gwen Talbot (coordinator)",
        "force_coordinator",
        "hertfordshire",
        "force",
        None,
    ),
    (
        "cadet.leader@herts.example.org",
        "Cadet Leader Ryan Oduya",
        "unit_leader",
        "hertfordshire",
        "unit",
        "Spellbrook Primary School",
    ),
]
