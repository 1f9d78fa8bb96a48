from django.urls import path

from seminar.views import accounts, carry, organizer, participant, public

app_name = "seminar"

urlpatterns = [
    path("", public.seminar_list, name="list"),
    path("me/", accounts.my_seminars, name="mine"),  # "me" is a reserved slug
    path("me/data/", accounts.my_data, name="my_data"),
    path("me/data/download/", accounts.my_data_download, name="my_data_download"),
    path("<slug:slug>/", public.seminar_detail, name="detail"),
    path("<slug:slug>/me/", participant.dashboard, name="dashboard"),
    path("<slug:slug>/register/", participant.register, name="register"),
    path("<slug:slug>/withdraw/", participant.withdraw, name="withdraw"),
    path("<slug:slug>/offer/accept/", participant.offer_accept, name="offer_accept"),
    path("<slug:slug>/offer/decline/", participant.offer_decline, name="offer_decline"),
    path("<slug:slug>/organize/", organizer.organize, name="organize"),
    path(
        "<slug:slug>/organize/participants.csv", organizer.participants_csv, name="participants_csv"
    ),
    path("<slug:slug>/organize/next-run/", carry.carry_forward, name="carry_forward"),
    path("<slug:slug>/organize/capacity/", organizer.capacity_set, name="capacity_set"),
    path(
        "<slug:slug>/organize/registration/<str:action>/",
        organizer.registration_toggle,
        name="registration_toggle",
    ),
    path(
        "<slug:slug>/organize/participants/<int:pk>/<str:action>/",
        organizer.participant_action,
        name="participant_action",
    ),
]
