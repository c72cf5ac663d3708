"""The demo: real forces, areas and schools from the public record; every person invented.

Facts come from the forces' public pages about the programme (pilot at Oasis Connaught School
in September 2017, seven more units in 2018, the Harpenden trial of April to June 2018 with 28
pupils, East Herts from September 2018). Unknown facts (URNs, addresses) stay empty.
"""

import datetime

D = datetime.date

FORCES = [
    {
        "name": "Avon and Somerset Constabulary",
        "short_name": "avon-and-somerset",
        "chief_constable_name": "Chief Constable Morgan Hale (fictional)",
        "pcc_name": "Commissioner Robin Ashdown (fictional)",
        "areas": {
            "Bristol": [
                # (school, town, unit status history, funding)
                (
                    "Oasis Connaught School",
                    "Knowle, Bristol",
                    [("trial", D(2017, 9, 11)), ("active", D(2018, 1, 8))],
                ),
                ("Greenfield EACT Academy", "Knowle, Bristol", [("active", D(2018, 9, 17))]),
                ("St Barnabas Primary", "East Bristol", [("active", D(2018, 9, 24))]),
                ("Fair Furlong", "Hartcliffe", [("active", D(2018, 10, 1))]),
            ],
            "Somerset": [
                ("Somerset Bridge School", "Bridgwater", [("active", D(2018, 10, 8))]),
                ("Preston Primary", "Yeovil", [("active", D(2018, 10, 15))]),
            ],
            "North Somerset": [
                ("Bournville Primary", "Weston-super-Mare", [("active", D(2018, 9, 17))]),
            ],
            "South Gloucestershire": [
                (
                    "Parkwall Primary",
                    "Cadbury Heath, Bristol",
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
                    [("trial", D(2018, 4, 16)), ("active", D(2018, 9, 10))],
                ),
            ],
            "East Herts": [
                ("Spellbrook Primary School", "Bishop's Stortford", [("active", D(2018, 9, 14))]),
                ("Hillmead Primary School", "Bishop's Stortford", [("active", D(2018, 9, 14))]),
                ("Thorley Hill Primary School", "Bishop's Stortford", []),
            ],
        },
    },
]

FUNDING = "Police and Crime Commissioner"

# Invented first and last names for the demo children and guardians.
FIRST_NAMES = [
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Finn",
    "Grace",
    "Harvey",
    "Isla",
    "Jack",
    "Kai",
    "Layla",
    "Max",
    "Nia",
    "Oscar",
    "Poppy",
    "Reuben",
    "Sana",
    "Theo",
    "Una",
    "Vinnie",
    "Willow",
    "Yusuf",
    "Zara",
    "Alfie",
    "Bea",
    "Callum",
    "Daisy",
    "Ethan",
    "Freya",
]
LAST_NAMES = [
    "Ashworth",
    "Bramley",
    "Carrow",
    "Dunmore",
    "Eastleigh",
    "Fenwick",
    "Garside",
    "Hollins",
    "Ingleby",
    "Jessop",
    "Kershaw",
    "Lintott",
    "Marlow",
    "Norbury",
    "Oakden",
    "Pilling",
    "Quarmby",
    "Rudd",
    "Sowerby",
    "Thwaite",
    "Uttley",
    "Varley",
    "Whitlock",
    "Yardley",
]
GUARDIAN_FIRST = ["Alex", "Sam", "Jo", "Chris", "Pat", "Lee", "Kim", "Robin", "Jamie", "Ali"]

DEMO_PASSWORD = "mini-police-demo"  # printed by `make run`; DEBUG-only accounts

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
