"""The error pages in Welsh, including the two drawn without context processors (400, 500)."""

import pytest
from django.test import Client

WELSH = {"HTTP_ACCEPT_LANGUAGE": "cy"}


@pytest.mark.logs_errors
@pytest.mark.urls("minipolice.lib.tests.urls_failing")
def test_a_server_error_is_in_welsh_without_the_database():
    response = Client(raise_request_exception=False).get("/broken/", **WELSH)

    page = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="cy"' in page
    assert "Mae’n ddrwg gennym, mae problem gyda’r gwasanaeth" in page
    assert "Neidio i’r prif gynnwys" in page
    assert "dyfynnwch y cyfeirnod" in page and response["X-Request-ID"] in page
    assert "Sorry" not in page and "Skip to main content" not in page


@pytest.mark.logs_errors  # Django logs a forged Host header at ERROR (django.security)
@pytest.mark.django_db
def test_a_bad_request_is_in_welsh():
    response = Client().get("/find/", HTTP_HOST="attacker.example", **WELSH)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Mae’n ddrwg gennym, nid oedd modd darllen y cais hwn" in page
    assert "Sorry, this request could not be read" not in page


@pytest.mark.django_db
def test_page_not_found_is_in_welsh_and_does_not_repeat_the_address(client):
    response = client.get("/no-such-page/", **WELSH)

    page = response.content.decode()
    assert response.status_code == 404
    assert "Heb ddod o hyd i’r dudalen" in page
    assert "Page not found" not in page
    assert "no-such-page" not in page


def test_date_and_form_messages_are_in_welsh():
    from django.utils import translation

    from minipolice.lib.forms import GovukDateField

    with translation.override("cy"):
        with pytest.raises(Exception) as error:
            GovukDateField().clean(["", "3", ""])
        assert error.value.messages == ["Rhaid i’r dyddiad gynnwys diwrnod a blwyddyn"]
    with translation.override("en-gb"):
        with pytest.raises(Exception) as error:
            GovukDateField().clean(["", "3", ""])
        assert error.value.messages == ["The date must include a day and year"]


def test_july_is_spelt_gorffennaf_in_welsh_dates():
    """Django's own catalogue spells it "Gorffenaf"; lib's corrects it (most certificates are
    dated in July, at the celebration day)."""
    import datetime

    from django.utils import formats, translation

    from minipolice.lib.privacy import text

    with translation.override("cy"):
        assert formats.date_format(datetime.date(2026, 7, 1), "j F Y") == "1 Gorffennaf 2026"
        assert text(datetime.date(2026, 9, 1)) == "1 Medi 2026"
    assert text(datetime.date(2026, 7, 1)) == "1 July 2026"
