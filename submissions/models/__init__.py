from submissions.models.calendar import CalendarFeed
from submissions.models.deliverable import Deliverable
from submissions.models.extension import Extension, MockPresentationMark
from submissions.models.proxies import SupervisedStudent
from submissions.models.retention import FileRetention
from submissions.models.submission import Submission, SubmissionFile
from submissions.models.team import Team, TeamInvitation, TeamMembership

__all__ = [
    "CalendarFeed",
    "Deliverable",
    "Extension",
    "FileRetention",
    "MockPresentationMark",
    "Submission",
    "SubmissionFile",
    "SupervisedStudent",
    "Team",
    "TeamInvitation",
    "TeamMembership",
]
