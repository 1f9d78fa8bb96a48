from django.urls import path

from setup import views

app_name = "setup"

urlpatterns = [
    path("organize/new/", views.seminar_new, name="new"),
    path("<slug:slug>/setup/", views.overview, name="overview"),
    path("<slug:slug>/setup/open/", views.registration_open, name="open"),
    path("<slug:slug>/setup/staff/<int:pk>/remove/", views.staff_remove, name="staff_remove"),
    path("<slug:slug>/setup/<str:step>/", views.step, name="step"),
]
