"""The API's schema and documentation are public on purpose: they describe the operations, hold
no data, and partners generate clients from them before they have a token (the practice of
public-sector API standards: document the API openly). Every operation still needs a token."""

import json
import re

from django.test import Client


def test_schema_and_docs_are_public_and_hold_no_data(world):
    client = Client()
    schema = client.get("/api/v1/openapi.json")
    docs = client.get("/api/v1/docs")
    assert schema.status_code == 200 and docs.status_code == 200

    text = json.dumps(schema.json())
    people = [world.child, world.other_child]
    for child in people:
        for name in (child.first_name, child.last_name):
            assert not re.search(rf"\b{name}\b", text), name
    assert world.guardian.email not in text
    assert world.force.name not in text  # nothing about which forces use this server
    # Examples use reserved example domains only.
    domains = set(re.findall(r"@([a-z0-9.-]+\.[a-z]{2,})", text))
    assert domains <= {"example.org", "example.com"}, domains


def test_every_operation_in_the_public_schema_needs_a_token(world):
    schema = Client().get("/api/v1/openapi.json").json()
    open_operations = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if not operation.get("security")
    ]
    assert not open_operations
    anonymous = Client().get("/api/v1/children")
    assert anonymous.status_code == 401
