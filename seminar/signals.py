"""Domain events that higher apps listen to, so that this app never imports them.

Sent inside the transaction that holds the seminar's lock, so receivers see a consistent state.
"""

from django.dispatch import Signal

# A student took a seat (sender: Seminar; kwargs: registration). Topics places late joiners here.
participant_confirmed = Signal()

# A seminar was created (sender: Seminar; kwargs: seminar). Higher apps add their own settings
# for it (deliverables, the grading scheme), so a new seminar is complete whichever door made it.
seminar_created = Signal()

# A seminar was copied into its next run (sender: Seminar; kwargs: source, target, shift, a
# `seminar.services.carry.CarryShift` that moves dates and maps the source's staff roles and
# meetings to the target's). Higher apps copy their own settings (topics, materials,
# deliverables, the grading scheme, reminder rules); nothing of the students comes along.
seminar_carried_forward = Signal()
