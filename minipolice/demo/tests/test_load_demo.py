from django.apps import apps
from django.core.management import call_command

from minipolice.accounts.models import User
from minipolice.organisations.models import Force, School, Unit


def _counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "organisations", "people", "consent", "audit"}
    }


def test_demo_loads_the_public_record_and_loading_twice_changes_nothing(
    db, capsys, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo")
    first = _counts()
    assert Force.objects.count() == 2
    assert School.objects.filter(name="Oasis Connaught School", town="Knowle, Bristol").exists()
    pilot = Unit.objects.get(school__name="Oasis Connaught School")
    assert [c.to_status for c in pilot.status_changes.all()] == ["proposed", "trial", "active"]
    harpenden = Unit.objects.get(school__name="Harpenden Academy").cohorts.get(name="2018 trial")
    assert harpenden.enrolments.count() == 28
    assert (
        School.objects.filter(urn="").count() == School.objects.count()
    )  # unknown URNs stay empty
    output = capsys.readouterr().out
    assert "coordinator@avon.example.org" in output and "mini-police-demo" in output
    assert User.objects.filter(is_demo=True).count() == 10

    call_command("load_demo")
    assert _counts() == first
    assert "nothing changed" in capsys.readouterr().out
