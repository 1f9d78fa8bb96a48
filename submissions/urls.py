from django.urls import path

from submissions.views import calendar, files, organizer, student

app_name = "submissions"

urlpatterns = [
    path("<slug:slug>/hand-in/<str:kind>/", student.hand_in, name="hand_in"),
    path("<slug:slug>/submissions/<int:pk>/", files.submission_detail, name="submission"),
    path("<slug:slug>/submissions/files/<int:pk>/", files.file_download, name="download"),
    path("<slug:slug>/team/invite/", student.team_invite, name="team_invite"),
    path(
        "<slug:slug>/team/invitations/<int:pk>/<str:action>/",
        student.team_invitation,
        name="team_invitation",
    ),
    path("<slug:slug>/team/leave/", student.team_leave, name="team_leave"),
    path("<slug:slug>/me/calendar/", student.calendar_reset, name="calendar_reset"),
    path("<slug:slug>/calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("<slug:slug>/organize/submissions/", organizer.matrix, name="matrix"),
    path(
        "<slug:slug>/organize/submissions/purge/",
        organizer.uploads_purge_view,
        name="uploads_purge",
    ),
    path(
        "<slug:slug>/organize/submissions/extensions/",
        organizer.extension_add,
        name="extension_add",
    ),
    path(
        "<slug:slug>/organize/submissions/extensions/<int:pk>/revoke/",
        organizer.extension_remove,
        name="extension_revoke",
    ),
]
