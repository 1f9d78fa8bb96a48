"""Domain events that higher apps listen to, so that this app never imports them.

Sent inside the transaction that holds the seminar's lock, so receivers see a consistent state.
"""

from django.dispatch import Signal

# A student took a seat (sender: Seminar; kwargs: registration). Topics places late joiners here.
participant_confirmed = Signal()

# A seminar was created (sender: Seminar; kwargs: seminar). Higher apps add their own settings
# for it (deliverables, the grading scheme), so a new seminar is complete whichever door made it.
seminar_created = Signal()
