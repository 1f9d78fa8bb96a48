from django.urls import path

from grading import views

app_name = "grading"

urlpatterns = [
    path("<slug:slug>/organize/grades/", views.grades, name="grades"),
    path("<slug:slug>/organize/grades/release/", views.release, name="release"),
    path("<slug:slug>/organize/grades/grades.csv", views.sheet_csv, name="sheet_csv"),
    path("<slug:slug>/organize/grades/pdf/", views.sheet_pdf, name="sheet_pdf"),
    path("<slug:slug>/organize/grades/exports/<int:pk>/", views.export, name="export"),
    path(
        "<slug:slug>/organize/grades/exports/<int:pk>/file/",
        views.export_file,
        name="export_file",
    ),
]
