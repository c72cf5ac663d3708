"""The demo's results pages: what a funder is shown in the demo."""

from django.core.management import call_command

from minipolice.accounts.models import Role, RoleAssignment
from minipolice.organisations.models import Cohort


def test_demo_results_show_figures_benchmark_and_both_formats(db, settings, tmp_path, client_for):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo")
    funder = RoleAssignment.objects.filter(role=Role.FUNDER).select_related("force", "user").first()
    client = client_for(funder.user)
    force = funder.force
    page = client.get(f"/surveys/forces/{force.pk}/results/").content.decode()
    assert "National benchmark: 75% of 10-year-olds" in page
    assert "points), n = " in page
    formats = client.get(f"/surveys/forces/{force.pk}/formats/").content.decode()
    assert "Standard 8-week programme" in formats and "Year-long unit (fortnightly)" in formats
    pilot = Cohort.objects.filter(
        unit__school__area__force=force, survey_rounds__isnull=False
    ).first()
    cohort_page = client.get(f"/cohorts/{pilot.pk}/results/")
    assert cohort_page.status_code == 200
    assert "Before (n = " in cohort_page.content.decode()
