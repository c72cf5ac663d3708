"""Teacher feedback on a cohort and parents' feedback in the portal: open only near the end
of the programme, given once, names of the cohort's children and parents removed from what
may be quoted."""

import datetime

from django.utils import timezone

from minipolice.impact import services
from minipolice.impact.models import Feedback, FeedbackAnswer, Instrument, InstrumentKind
from minipolice.lib.privacy import NAME_PLACEHOLDER
from minipolice.organisations import services as org
from minipolice.organisations.models import Cohort
from minipolice.people import services as people


def ending_soon(cohort, days=7):
    """Move the cohort's end near: its feedback window opens."""
    today = timezone.localdate()
    Cohort.objects.filter(pk=cohort.pk).update(end_date=today + datetime.timedelta(days=days))


def questions(kind):
    version = Instrument.objects.get(force=None, kind=kind).versions.get()
    return {q.key: q for q in version.questions.all()}


def teacher_post(**extra):
    q = questions(InstrumentKind.TEACHER)
    return {
        f"q{q['behaviour_improved'].pk}": "4",
        f"q{q['confidence_grown'].pk}": "5",
        f"q{q['what_worked'].pk}": "Ada Lovelace was brilliant in the role play.",
        "may_quote": "on",
        **extra,
    }


def test_teacher_gives_feedback_once_and_sees_it(world, client_for):
    ending_soon(world.cohort)
    client = client_for(world.users["teacher"])
    url = f"/cohorts/{world.cohort.pk}/feedback/"
    page = client.get(url).content.decode()
    q = questions(InstrumentKind.TEACHER)
    assert "Strongly agree" in page and "Neither agree nor disagree" in page
    assert 'data-module="govuk-character-count"' in page
    assert "You may quote my written answers in reports, without my name" in page
    assert f'name="q{q["what_worked"].pk}"' in page
    response = client.post(url, teacher_post())
    assert response.status_code == 302
    feedback = Feedback.objects.get(cohort=world.cohort)
    assert feedback.teacher == world.users["teacher"] and feedback.may_quote
    written = feedback.answers.get(question=q["what_worked"])
    assert written.text == "Ada Lovelace was brilliant in the role play."
    assert written.quote == f"{NAME_PLACEHOLDER} was brilliant in the role play."
    assert feedback.answers.get(question=q["confidence_grown"]).value == 5

    page = client.get(url).content.decode()
    assert f"You gave feedback on {timezone.localdate():%-d %B %Y}" in page
    assert "Ada Lovelace was brilliant in the role play." in page
    assert "<textarea" not in page
    # A second post does not make a second feedback.
    page = client.post(url, teacher_post()).content.decode()
    assert Feedback.objects.filter(cohort=world.cohort).count() == 1


def test_feedback_is_not_open_long_before_the_end(world, client_for):
    client = client_for(world.users["teacher"])
    url = f"/cohorts/{world.cohort.pk}/feedback/"
    opens = world.cohort.end_date - datetime.timedelta(days=21)
    page = client.get(url).content.decode()
    assert f"Feedback opens on {opens:%-d %B %Y}" in page
    assert "<textarea" not in page
    response = client.post(url, teacher_post())
    assert response.status_code == 200
    assert not Feedback.objects.exists()


def test_feedback_closes_four_months_after_the_end(world, client_for):
    today = timezone.localdate()
    Cohort.objects.filter(pk=world.cohort.pk).update(
        start_date=today - datetime.timedelta(days=400),
        end_date=today - datetime.timedelta(days=121),
    )
    page = client_for(world.users["teacher"]).get(f"/cohorts/{world.cohort.pk}/feedback/")
    assert "Feedback on this group closed on" in page.content.decode()


def test_a_written_answer_over_2000_characters_is_refused(world, client_for):
    ending_soon(world.cohort)
    q = questions(InstrumentKind.TEACHER)
    response = client_for(world.users["teacher"]).post(
        f"/cohorts/{world.cohort.pk}/feedback/",
        teacher_post(**{f"q{q['what_worked'].pk}": "x" * 2001}),
    )
    page = response.content.decode()
    assert "There is a problem" in page and "Write 2000 characters or fewer" in page
    assert f'href="#id_q{q["what_worked"].pk}"' in page
    assert not Feedback.objects.exists()


def test_an_empty_feedback_is_refused(world, client_for):
    ending_soon(world.cohort)
    response = client_for(world.users["teacher"]).post(f"/cohorts/{world.cohort.pk}/feedback/", {})
    assert "Answer at least one question." in response.content.decode()
    assert not Feedback.objects.exists()


def test_only_teachers_give_feedback_and_only_on_their_schools_cohorts(world, client_for):
    ending_soon(world.cohort)
    url = f"/cohorts/{world.cohort.pk}/feedback/"
    for role in ("leader", "area_lead", "coordinator", "funder", "national", "guardian"):
        assert client_for(world.users[role]).get(url).status_code == 403, role
    assert client_for(world.users["outsider"]).get(url).status_code == 404
    ending_soon(world.other_cohort)
    teacher = client_for(world.users["teacher"])
    assert teacher.get(f"/cohorts/{world.other_cohort.pk}/feedback/").status_code == 404


# The parent portal -------------------------------------------------------------------------
def guardian_post(**extra):
    q = questions(InstrumentKind.GUARDIAN)
    return {
        f"q{q['talked_at_home'].pk}": "0",
        f"q{q['more_confident'].pk}": "4",
        f"q{q['changes_noticed'].pk}": "She talks about her friend Bo Outside and PCSO Pat.",
        **extra,
    }


def test_guardian_sees_open_feedback_and_answers_it(world, client_for):
    client = client_for(world.users["guardian"])
    assert "Tell us what you noticed" not in client.get("/portal/").content.decode()
    assert "There is nothing to answer" in client.get("/portal/feedback/").content.decode()
    ending_soon(world.cohort)
    home = client.get("/portal/").content.decode()
    assert "Tell us what you noticed" in home and "/portal/feedback/" in home
    listing = client.get("/portal/feedback/").content.decode()
    assert f"/portal/feedback/{world.cohort.pk}/" in listing and "Not started" in listing
    assert "Ada" in listing

    url = f"/portal/feedback/{world.cohort.pk}/"
    page = client.get(url).content.decode()
    assert "Sometimes" in page and "Once or twice" in page  # the choice's answers
    assert "Strongly agree" in page
    assert client.post(url, guardian_post()).status_code == 302
    feedback = Feedback.objects.get(cohort=world.cohort)
    assert feedback.guardian == world.guardian and feedback.teacher is None
    assert not feedback.may_quote
    q = questions(InstrumentKind.GUARDIAN)
    assert feedback.answers.get(question=q["talked_at_home"]).value == 0
    written = feedback.answers.get(question=q["changes_noticed"])
    assert written.text == "She talks about her friend Bo Outside and PCSO Pat."
    # Only the cohort's children and parents are replaced (Bo is in another force's cohort).
    assert written.quote == written.text

    listing = client.get("/portal/feedback/").content.decode()
    assert "Done" in listing
    assert "Tell us what you noticed" not in client.get("/portal/").content.decode()
    page = client.get(url).content.decode()
    assert "You gave feedback on" in page and "Often" in page
    client.post(url, guardian_post())
    assert Feedback.objects.count() == 1


def test_guardian_page_says_when_feedback_opens(world, client_for):
    page = client_for(world.users["guardian"]).get(f"/portal/feedback/{world.cohort.pk}/")
    assert page.status_code == 200
    assert "Feedback opens on" in page.content.decode()
    assert "<textarea" not in page.content.decode()


def test_a_cohort_of_someone_elses_child_is_not_found(world, client_for):
    ending_soon(world.other_cohort)
    today = timezone.localdate()
    other = org.create_cohort(
        acting_user=None,
        unit=world.unit,
        name="Year 6",
        start_date=today - datetime.timedelta(days=60),
        end_date=today + datetime.timedelta(days=3),
    )
    people.add_child_to_cohort(
        acting_user=None, cohort=other, first_name="Cy", last_name="Else", year_group=6
    )
    client = client_for(world.users["guardian"])
    for cohort in (world.other_cohort, other):
        assert client.get(f"/portal/feedback/{cohort.pk}/").status_code == 404
        assert client.post(f"/portal/feedback/{cohort.pk}/", guardian_post()).status_code == 404
    assert f"/portal/feedback/{other.pk}/" not in client.get("/portal/feedback/").content.decode()
    assert not FeedbackAnswer.objects.exists()


def test_staff_cannot_use_the_portal_feedback(world, client_for):
    ending_soon(world.cohort)
    for role in ("teacher", "leader", "coordinator"):
        client = client_for(world.users[role])
        assert client.get(f"/portal/feedback/{world.cohort.pk}/").status_code == 403
        assert client.get("/portal/feedback/").status_code == 403


def test_portal_feedback_list_query_count_is_fixed(
    world, client_for, django_assert_max_num_queries
):
    ending_soon(world.cohort)
    client = client_for(world.users["guardian"])
    client.get("/portal/feedback/")
    with django_assert_max_num_queries(6) as few:
        client.get("/portal/feedback/")
    today = timezone.localdate()
    for n in range(10):
        cohort = org.create_cohort(
            acting_user=None,
            unit=world.unit,
            name=f"Club {n}",
            start_date=today - datetime.timedelta(days=60),
            end_date=today + datetime.timedelta(days=5),
        )
        kid = people.add_child_to_cohort(
            acting_user=None,
            cohort=cohort,
            first_name=f"Kid{n}",
            last_name="Lovelace",
            year_group=5,
        )
        people.link_guardian(acting_user=None, child=kid, guardian=world.guardian)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/portal/feedback/").content.decode()
    assert page.count("/portal/feedback/") >= 11
    assert "Kid9" in page


def test_feedback_opens_early_when_the_after_round_has_started(world, client_for):
    services.start_round(acting_user=world.users["leader"], cohort=world.cohort, phase="post")
    listing = client_for(world.users["guardian"]).get("/portal/feedback/").content.decode()
    assert f"/portal/feedback/{world.cohort.pk}/" in listing
    page = client_for(world.users["teacher"]).get(f"/cohorts/{world.cohort.pk}/feedback/")
    assert "<textarea" in page.content.decode()
