"""The topic list as a spreadsheet: export, and an import that stores all rows or none."""

import base64
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from seminar.enums import MeetingKind, StaffKind
from seminar.models import ActivityEntry
from seminar.services.staff import staff_groups_ensure, staff_role_add
from seminar.tests.factories import MeetingFactory, SeminarFactory, StaffUserFactory
from topics.models import Topic
from topics.services.topic_list import topic_list_check
from topics.tests.factories import MaterialFactory, TopicFactory

pytestmark = pytest.mark.django_db

HEADER = "title,year,paper_link,supervisor_email,mock_group,capacity,session_date,slot,materials"
DAY_1, DAY_2 = dt.date(2027, 3, 8), dt.date(2027, 3, 9)


@pytest.fixture
def world():
    staff_groups_ensure()
    seminar = SeminarFactory(slug="this")
    other = SeminarFactory(slug="other")
    people = {
        "organizer": StaffUserFactory(),
        "other": StaffUserFactory(),
        "gg": StaffUserFactory(email="greta@example.org"),
        "mb": StaffUserFactory(email="moritz@example.org"),
    }
    staff_role_add(seminar=seminar, user=people["organizer"], kind=StaffKind.ORGANIZER)
    staff_role_add(seminar=other, user=people["other"], kind=StaffKind.ORGANIZER)
    roles = {
        key: staff_role_add(seminar=seminar, user=people[key], kind=StaffKind.SUPERVISOR)
        for key in ("gg", "mb")
    }
    for day in (DAY_1, DAY_2):
        MeetingFactory(seminar=seminar, kind=MeetingKind.SESSION, date=day, talk_slots=6)
    for number in range(1, 31):
        MaterialFactory(seminar=seminar, number=number)
    return seminar, people, roles


def twelve_rows() -> str:
    rows = [HEADER]
    for i in range(12):
        day = DAY_1 if i < 6 else DAY_2
        supervisor = "greta@example.org" if i % 2 == 0 else "Moritz@Example.org"
        rows.append(
            f'"Paper {i + 1}: Diffusion, again",{2020 + i % 3},https://arxiv.org/abs/2201.{i:05d},'
            f"{supervisor},{i % 4 + 1},1,{day.isoformat()},{i % 6 + 1},{i + 1}; {i + 2}"
        )
    return "\r\n".join(rows) + "\r\n"


def upload(client, seminar, data: bytes, name="topics.csv"):
    return client.post(
        reverse("topics:topic_list_import", args=[seminar.slug]),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def confirm(client, seminar, content: str):
    return client.post(
        reverse("topics:topic_list_import", args=[seminar.slug]),
        {"confirm": "yes", "content": content},
    )


def test_topic_import_of_twelve_rows_after_preview_and_confirm(client, world):
    seminar, people, roles = world
    client.force_login(people["organizer"])

    preview = upload(client, seminar, ("\ufeff" + twelve_rows()).encode("utf-8"))

    assert preview.status_code == 200
    assert len(preview.context["preview"].rows) == 12
    assert preview.context["preview"].errors == []
    assert Topic.objects.filter(seminar=seminar).count() == 0  # a preview stores nothing

    response = confirm(client, seminar, preview.context["content"])

    assert (response.status_code, response.url) == (302, f"/{seminar.slug}/organize/")
    topics = Topic.objects.filter(seminar=seminar).order_by("session__date", "slot")
    assert topics.count() == 12
    first = topics.prefetch_related("materials")[0]
    assert (
        first.title,
        first.year,
        first.url,
        first.supervisor,
        first.mock_group,
        first.capacity,
        first.session.date,
        first.slot,
        sorted(m.number for m in first.materials.all()),
    ) == (
        "Paper 1: Diffusion, again",
        2020,
        "https://arxiv.org/abs/2201.00000",
        roles["gg"],
        1,
        1,
        DAY_1,
        1,
        [1, 2],
    )
    assert topics[1].supervisor == roles["mb"]  # e-mail addresses in any case
    entry = ActivityEntry.objects.get(seminar=seminar, action="topics.imported")
    assert (entry.actor, len(entry.new["topics"])) == (people["organizer"], 12)


def test_topic_import_refuses_bad_rows_with_one_message_per_row(client, world):
    seminar, people, _ = world
    TopicFactory(seminar=seminar, title="Already here")
    client.force_login(people["organizer"])
    text = "\r\n".join(
        [
            HEADER,
            "Good paper,2021,,greta@example.org,1,,,,",
            "No supervisor,2021,,,2,,,,",
            "Stranger's paper,2021,,nobody@example.org,2,,,,",
            "good PAPER,2021,,greta@example.org,3,,,,",
            "Group zero,2021,,moritz@example.org,0,,,,",
            '"=HYPERLINK(""http://evil.example"",""click"")",2021,,greta@example.org,1,,,,',
            "Linked,2021,,@SUM(A1),1,,,,",
            "Already here,2021,,greta@example.org,1,,,,",
            "Wrong day,2021,,greta@example.org,1,,2027-03-10,1,99",
            "Wrong slot,2021,,greta@example.org,1,,2027-03-09,7,1",
        ]
    ).encode("utf-8")

    response = upload(client, seminar, text)

    assert response.status_code == 400
    assert response.context["preview"].errors == [
        "Row 3: no supervisor (give a supervisor’s e-mail address).",
        "Row 4: nobody@example.org is not on this seminar’s staff.",
        "Row 5: the title “good PAPER” is in row 2 too.",
        "Row 6: group “0” is not a whole number from 1 to 20.",
        'Row 7: title “=HYPERLINK("http://evil.example","click")” is a formula; type the '
        "text itself.",
        "Row 8: supervisor_email “@SUM(A1)” is a formula; type the text itself.",
        "Row 9: the seminar has a topic “Already here” already.",
        "Row 10: the seminar has no session on 2027-03-10; no supplementary material number “99”.",
        "Row 11: slot 7, but the session on 2027-03-09 has 6 talks.",
    ]
    assert response.context["content"] == ""  # nothing to confirm
    assert Topic.objects.filter(seminar=seminar).count() == 1
    # A forged confirmation of the same file is checked again and stores nothing.
    forged = confirm(client, seminar, base64.b64encode(text).decode("ascii"))
    assert forged.status_code == 400
    assert Topic.objects.filter(seminar=seminar).count() == 1


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            (HEADER + "\r\nSchrödinger bridges,2021,,greta@example.org,1,,,,\r\n").encode(
                "latin-1"
            ),
            [
                "Row 2: characters that are not UTF-8 (the file may be saved as Latin-1 or "
                "“Windows” text); save it as “CSV UTF-8” and upload it again."
            ],
        ),
        (
            (HEADER + "\r\nSchrödinger bridges,2021,,greta@example.org,1,,,,\r\n").encode("utf-16"),
            [
                "The file is saved as UTF-16 (“Unicode text”). Save it as “CSV UTF-8 (comma "
                "delimited)” and upload it again."
            ],
        ),
        (HEADER.encode(), ["The file has column names but no topics."]),
        (
            b"name,supervisor\r\nA,greta@example.org\r\n",
            [
                "Row 1 (the column names): unknown column “name”; unknown column “supervisor”; "
                "no column “title”; no column “supervisor_email”. The columns are: title, year, "
                "paper_link, supervisor_email, mock_group, capacity, session_date, slot, "
                "materials (title and supervisor_email are required)."
            ],
        ),
    ],
    ids=["latin-1", "utf-16", "header-only", "wrong-columns"],
)
def test_topic_import_refuses_unreadable_files(client, world, data, errors):
    seminar, people, _ = world
    client.force_login(people["organizer"])
    response = upload(client, seminar, data)
    assert response.status_code in (200, 400)
    assert response.context["preview"].errors == errors
    assert Topic.objects.filter(seminar=seminar).count() == 0


def test_topic_import_refuses_an_empty_file(client, world):
    seminar, people, _ = world
    client.force_login(people["organizer"])
    response = upload(client, seminar, b"")
    assert response.status_code == 400
    assert response.context["form"].errors == {"file": ["The submitted file is empty."]}
    assert topic_list_check(seminar=seminar, text="\r\n").errors == ["The file is empty."]


def test_topic_import_reads_semicolons_as_german_spreadsheets_write_them(world):
    seminar, _, _ = world
    text = "title;supervisor_email;mock_group\r\nEin Paper, mit Komma;greta@example.org;2\r\n"
    preview = topic_list_check(seminar=seminar, text=text)
    assert preview.errors == []
    assert [(r.title, r.mock_group) for r in preview.rows] == [("Ein Paper, mit Komma", 2)]


def test_topic_export_then_import_round_trips(client, world):
    seminar, people, roles = world
    client.force_login(people["organizer"])
    upload_response = upload(client, seminar, twelve_rows().encode("utf-8"))
    confirm(client, seminar, upload_response.context["content"])
    odd = Topic.objects.filter(seminar=seminar).first()
    odd.title, odd.year = "=1+1 is two, said the paper", None  # text that looks like a formula
    odd.save()
    url = reverse("topics:topic_list_csv", args=[seminar.slug])

    exported = client.get(url)
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    assert exported.content.startswith(b"\xef\xbb\xbf" + HEADER.encode())
    assert b'"\'=1+1 is two, said the paper"' in exported.content
    Topic.objects.filter(seminar=seminar).delete()

    again = upload(client, seminar, exported.content)
    assert again.context["preview"].errors == []
    confirm(client, seminar, again.context["content"])

    assert Topic.objects.filter(seminar=seminar).count() == 12
    assert Topic.objects.filter(seminar=seminar, title="=1+1 is two, said the paper").exists()
    assert client.get(url).content == exported.content


@pytest.mark.parametrize("who", ["other", "gg"])
def test_topic_list_pages_only_for_the_seminars_organizers(client, world, who):
    seminar, people, _ = world
    client.force_login(people[who])
    import_url = reverse("topics:topic_list_import", args=[seminar.slug])
    assert client.get(import_url).status_code == 404
    assert upload(client, seminar, twelve_rows().encode()).status_code == 404
    assert client.get(reverse("topics:topic_list_csv", args=[seminar.slug])).status_code == 404
    assert Topic.objects.filter(seminar=seminar).count() == 0


def test_organizer_page_links_to_the_topic_list(client, world):
    seminar, people, _ = world
    client.force_login(people["organizer"])
    page = client.get(reverse("seminar:organize", args=[seminar.slug])).content.decode()
    assert reverse("topics:topic_list_import", args=[seminar.slug]) in page
    assert reverse("topics:topic_list_csv", args=[seminar.slug]) in page
