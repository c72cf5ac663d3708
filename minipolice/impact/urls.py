"""Surveys and feedback. Three parts, each with its own views module: classroom_views
(running a round: classroom mode, paper tallies), library_views and feedback_views (the
questionnaires; teacher and guardian feedback), results_views (what changed)."""

from django.urls import path

from minipolice.impact import classroom_views, feedback_views, library_views, results_views

app_name = "impact"
urlpatterns = [
    # Running a round.
    path("cohorts/<int:pk>/surveys/", classroom_views.cohort_surveys, name="cohort_surveys"),
    path("cohorts/<int:pk>/surveys/start/", classroom_views.round_start, name="round_start"),
    path("surveys/rounds/<int:pk>/classroom/", classroom_views.classroom, name="classroom"),
    path(
        "surveys/rounds/<int:pk>/classroom/answers/",
        classroom_views.classroom_answers,
        name="classroom_answers",
    ),
    path(
        "surveys/rounds/<int:pk>/classroom/leave/",
        classroom_views.classroom_leave,
        name="classroom_leave",
    ),
    path("surveys/rounds/<int:pk>/paper/", classroom_views.paper_tallies, name="paper_tallies"),
    path("surveys/rounds/<int:pk>/pause/", classroom_views.round_pause, name="round_pause"),
    path("surveys/rounds/<int:pk>/finish/", classroom_views.round_close, name="round_close"),
    # The questionnaires.
    path("surveys/questionnaires/", library_views.instrument_list, name="instrument_list"),
    path(
        "surveys/questionnaires/<int:pk>/",
        library_views.instrument_detail,
        name="instrument_detail",
    ),
    path(
        "surveys/questionnaires/<int:pk>/copy/",
        library_views.instrument_copy,
        name="instrument_copy",
    ),
    path(
        "surveys/questionnaires/<int:pk>/draft/",
        library_views.version_draft,
        name="version_draft",
    ),
    path(
        "surveys/questionnaires/<int:pk>/draft/questions/new/",
        library_views.question_add,
        name="question_add",
    ),
    path(
        "surveys/questionnaires/<int:pk>/publish/",
        library_views.version_publish,
        name="version_publish",
    ),
    path("surveys/questions/<int:pk>/edit/", library_views.question_edit, name="question_edit"),
    path(
        "surveys/questions/<int:pk>/remove/",
        library_views.question_remove,
        name="question_remove",
    ),
    # Feedback.
    path("cohorts/<int:pk>/feedback/", feedback_views.teacher_feedback, name="teacher_feedback"),
    path("portal/feedback/", feedback_views.portal_feedback_list, name="portal_feedback_list"),
    path("portal/feedback/<int:pk>/", feedback_views.portal_feedback, name="portal_feedback"),
    # Results.
    path("surveys/results/", results_views.results_home, name="results_home"),
    path("cohorts/<int:pk>/results/", results_views.cohort_results, name="cohort_results"),
    path("units/<int:pk>/results/", results_views.unit_results, name="unit_results"),
    path("areas/<int:pk>/results/", results_views.area_results, name="area_results"),
    path("surveys/forces/<int:pk>/results/", results_views.force_results, name="force_results"),
    path(
        "surveys/forces/<int:pk>/formats/",
        results_views.format_comparison,
        name="format_comparison",
    ),
]
