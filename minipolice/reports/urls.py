"""Dashboards (views) and the PDF impact report (report_views). Every table downloads as CSV or
XLSX from its own page with `?format=csv` or `?format=xlsx` (`&table=` for one table)."""

from django.urls import path

from minipolice.reports import report_views, views

app_name = "reports"
urlpatterns = [
    path("dashboards/", views.dashboard_home, name="dashboards"),
    path("dashboards/national/", views.national_dashboard, name="national_dashboard"),
    path("dashboards/forces/<int:pk>/", views.force_dashboard, name="force_dashboard"),
    path("dashboards/areas/<int:pk>/", views.area_dashboard, name="area_dashboard"),
    # The impact report: asked for, drawn by the task worker, then downloaded.
    path("dashboards/forces/<int:pk>/report/", report_views.report_start, name="report_start"),
    path("dashboards/reports/<int:pk>/", report_views.report_progress, name="report_progress"),
    path("dashboards/reports/<int:pk>/pdf/", report_views.report_pdf, name="report_pdf"),
]
