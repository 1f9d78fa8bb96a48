from django.urls import path

from topics import views

app_name = "topics"

urlpatterns = [
    path("<slug:slug>/preferences/", views.preferences, name="preferences"),
    path("<slug:slug>/topic/choose/", views.late_choice, name="late_choice"),
    path("<slug:slug>/organize/preferences/open/", views.preferences_open, name="preferences_open"),
    path("<slug:slug>/organize/allocation/", views.allocation, name="allocation"),
    path("<slug:slug>/organize/allocation/<int:run_id>/", views.allocation, name="allocation_run"),
    path(
        "<slug:slug>/organize/allocation/<int:run_id>/publish/",
        views.allocation_publish,
        name="allocation_publish",
    ),
    path(
        "<slug:slug>/organize/assignments/<int:pk>/",
        views.assignment_change,
        name="assignment_change",
    ),
    path("<slug:slug>/organize/topics.csv", views.topic_list_csv, name="topic_list_csv"),
    path("<slug:slug>/organize/topics/import/", views.topic_list_import, name="topic_list_import"),
    path(
        "<slug:slug>/organize/late-choice-hours/",
        views.late_choice_hours,
        name="late_choice_hours",
    ),
]
