"""The schedule without gaps, as a pure function (no database)."""

from topics.schedule import PlannedTopic, talk_numbers


def test_talk_numbers_close_the_gaps_of_each_session():
    presented = [
        PlannedTopic(topic=11, session=1, slot=1),
        PlannedTopic(topic=16, session=1, slot=6),
        PlannedTopic(topic=14, session=1, slot=4),
        PlannedTopic(topic=21, session=2, slot=3),
    ]
    assert talk_numbers(presented) == {11: 1, 14: 2, 16: 3, 21: 1}


def test_talk_numbers_keep_a_full_session_as_planned():
    presented = [PlannedTopic(topic=slot * 10, session=7, slot=slot) for slot in range(1, 7)]
    assert talk_numbers(presented) == {10: 1, 20: 2, 30: 3, 40: 4, 50: 5, 60: 6}


def test_talk_numbers_count_a_topic_presented_by_two_students_once():
    twice = PlannedTopic(topic=5, session=1, slot=2)
    assert talk_numbers([twice, twice, PlannedTopic(topic=9, session=1, slot=5)]) == {5: 1, 9: 2}


def test_talk_numbers_of_nothing_are_empty():
    assert talk_numbers([]) == {}
