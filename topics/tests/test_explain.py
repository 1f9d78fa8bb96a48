"""What a student is told about their topic, as a pure function (no database)."""

import pytest

from topics.explain import Availability, Explanation, How, Situation, explain

TAKEN = Availability.TAKEN
CHOOSER = Availability.TAKEN_BY_CHOOSER


def test_allocation_with_a_preference_says_so_and_lists_nothing():
    told = explain(Situation(How.ALLOCATION, True, True, [("B", TAKEN), ("C", CHOOSER)]))
    assert told == Explanation("This is one of your preferences.", [])


def test_allocation_without_a_preference_says_where_each_preference_is_now():
    told = explain(
        Situation(
            How.ALLOCATION,
            True,
            False,
            [
                ("A", CHOOSER),
                ("B", Availability.SUPERVISOR_LIMIT),
                ("C", Availability.FREE),
            ],
        )
    )
    assert told == Explanation(
        "None of your preferences could be given to you; this was a free topic.",
        [
            ("A", "it went to another student who had chosen it too"),
            ("B", "its supervisor has reached their limit of students"),
            ("C", "it is free now; ask the organizer if you would like to change"),
        ],
    )


@pytest.mark.parametrize(
    ("is_preference", "others", "headline"),
    [
        (
            True,
            [("B", TAKEN)],
            "The organizer assigned this topic by hand; it is one of your preferences.",
        ),
        (
            False,
            [("B", TAKEN)],
            "The organizer assigned this topic by hand; it is not one of your preferences.",
        ),
        (False, [], "The organizer assigned this topic by hand."),
    ],
)
def test_hand_change_says_by_hand_and_whether_it_is_a_preference(is_preference, others, headline):
    assert explain(Situation(How.MANUAL, True, is_preference, others)).headline == headline


def test_hand_change_to_a_preference_never_claims_it_went_to_someone_else():
    told = explain(Situation(How.MANUAL, True, True, [("B", TAKEN), ("C", TAKEN)]))
    assert told.unavailable == []


def test_hand_change_to_no_topic_says_the_organizer_will_get_in_touch():
    told = explain(Situation(How.MANUAL, False, False, [("A", TAKEN)]))
    assert told.headline == "The organizer removed your topic by hand; they will contact you."


@pytest.mark.parametrize(
    ("how", "has_topic", "is_preference", "headline"),
    [
        (How.ALLOCATION, True, False, "You sent no preferences; this was a free topic."),
        (
            How.ALLOCATION,
            False,
            False,
            "There was no topic left for you; the organizer will contact you.",
        ),
        (
            How.LATE_WAITING,
            False,
            False,
            "You joined after the topics were published: choose your topic among those still free.",
        ),
        (
            How.LATE_CHOICE,
            True,
            False,
            "You joined after the topics were published and chose this topic among those "
            "still free.",
        ),
        (
            How.LATE_RANDOM,
            True,
            False,
            "You joined after the topics were published and chose no topic in time, so this free "
            "topic was assigned to you at random.",
        ),
        (
            How.LATE_RANDOM,
            False,
            False,
            "You joined after the topics were published and chose no topic in time; no topic was "
            "free, so the organizer will contact you.",
        ),
    ],
)
def test_headline_without_preferences_sent(how, has_topic, is_preference, headline):
    assert explain(Situation(how, has_topic, is_preference, [])) == Explanation(headline, [])


def test_random_late_topic_says_whether_it_is_a_preference():
    mine = explain(Situation(How.LATE_RANDOM, True, True, [("B", TAKEN)]))
    other = explain(Situation(How.LATE_RANDOM, True, False, [("B", TAKEN)]))
    assert mine.headline.endswith("at random; it is one of your preferences.")
    assert other.headline.endswith("at random; it is not one of your preferences.")
    assert other.unavailable == [("B", "it went to another student")]


def test_own_late_choice_lists_no_preferences():
    told = explain(Situation(How.LATE_CHOICE, True, False, [("B", TAKEN)]))
    assert told.unavailable == []
