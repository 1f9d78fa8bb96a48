"""Topic allocation as a pure function: no Django, no database.

Each student gets at most one topic. First, as many students as possible get one of their
preferences (a maximum flow); then everyone left over gets a free place while any remain,
students who sent preferences before students who sent none.
Ties between optimal answers are broken by a seed, so a run can be repeated exactly.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_flow


class Reason(StrEnum):
    PREFERENCE = "preference"  # got one of their preferences
    PREFERENCES_TAKEN = (
        "preferences_taken"  # had preferences, none could be given; got a free topic
    )
    NO_PREFERENCES = "no_preferences"  # sent none; got a free topic
    UNPLACED = "unplaced"  # no place left for them at all


class Blocker(StrEnum):
    TAKEN = "taken"  # every place went to students who could not be moved without a loss
    SUPERVISOR_LIMIT = "supervisor_limit"  # the topic had room, its supervisor was at the limit


@dataclass(frozen=True)
class Problem:
    preferences: Mapping[Hashable, Collection[Hashable]]
    capacities: Mapping[Hashable, int]
    supervisors: Mapping[Hashable, Hashable] = field(default_factory=dict)
    supervisor_limits: Mapping[Hashable, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Placement:
    student: Hashable
    topic: Hashable | None
    reason: Reason
    blocked: Mapping[Hashable, Blocker]


@dataclass(frozen=True)
class Allocation:
    placements: Mapping[Hashable, Placement]

    @property
    def satisfied_count(self) -> int:
        return sum(p.reason is Reason.PREFERENCE for p in self.placements.values())

    @property
    def unplaced(self) -> list[Hashable]:
        return sorted(s for s, p in self.placements.items() if p.reason is Reason.UNPLACED)


def _validate(problem: Problem) -> None:
    for topic, capacity in problem.capacities.items():
        if capacity < 0:
            raise ValueError(f"Topic {topic!r} has a negative capacity ({capacity}).")
    for supervisor, limit in problem.supervisor_limits.items():
        if limit < 0:
            raise ValueError(f"Supervisor {supervisor!r} has a negative limit ({limit}).")
    for topic in problem.supervisors:
        if topic not in problem.capacities:
            raise ValueError(f"A supervisor is given for the unknown topic {topic!r}.")
    for student, wanted in problem.preferences.items():
        unknown = sorted(t for t in set(wanted) if t not in problem.capacities)
        if unknown:
            raise ValueError(f"Student {student!r} prefers unknown topic(s) {unknown!r}.")


class _State:
    """Places still free after some students were placed."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.free = dict(problem.capacities)
        self.supervisor_used = dict.fromkeys(problem.supervisors.values(), 0)

    def supervisor_full(self, topic: Hashable) -> bool:
        if topic not in self.problem.supervisors:
            return False
        supervisor = self.problem.supervisors[topic]
        limit = self.problem.supervisor_limits.get(supervisor)
        return limit is not None and self.supervisor_used[supervisor] >= limit

    def can_take(self, topic: Hashable) -> bool:
        return self.free[topic] > 0 and not self.supervisor_full(topic)

    def take(self, topic: Hashable) -> None:
        self.free[topic] -= 1
        if topic in self.problem.supervisors:
            self.supervisor_used[self.problem.supervisors[topic]] += 1


def _max_preference_matching(
    problem: Problem, students: list[Hashable], topics: list[Hashable]
) -> dict[Hashable, Hashable]:
    """Student -> preferred topic for as many students as possible.

    Network: source -> student (1) -> preferred topic (1) -> supervisor (topic capacity)
    -> sink (limit). A topic without a supervisor goes straight to the sink. The node order
    follows the (seeded) order of `students` and `topics`, which decides between optima.
    """
    n = len(students)
    supervisors = sorted(set(problem.supervisors.values()))
    source, sink = 0, 1
    student_node = {s: 2 + i for i, s in enumerate(students)}
    topic_node = {t: 2 + n + i for i, t in enumerate(topics)}
    supervisor_node = {v: 2 + n + len(topics) + i for i, v in enumerate(supervisors)}

    # Capacities are clipped to n: no edge can carry more than n anyway, and int32 is required.
    edges: list[tuple[int, int, int]] = []
    for s in students:
        edges.append((source, student_node[s], 1))
        edges += [(student_node[s], topic_node[t], 1) for t in set(problem.preferences[s])]
    for t in topics:
        head = supervisor_node[problem.supervisors[t]] if t in problem.supervisors else sink
        edges.append((topic_node[t], head, min(problem.capacities[t], n)))
    for v in supervisors:
        edges.append((supervisor_node[v], sink, min(problem.supervisor_limits.get(v, n), n)))
    # Sorted, so that the adjacency order inside the graph is the seeded node order.
    edges = sorted(e for e in edges if e[2] > 0)
    if not edges:
        return {}

    rows, cols, caps = (np.array(column, dtype=np.int32) for column in zip(*edges, strict=True))
    size = 2 + n + len(topics) + len(supervisors)
    graph = csr_array((caps, (rows, cols)), shape=(size, size))
    flow = maximum_flow(graph, source, sink, method="dinic").flow.tocoo()

    topic_at = {node: t for t, node in topic_node.items()}
    student_at = {node: s for s, node in student_node.items()}
    return {
        student_at[r]: topic_at[c]
        for r, c, f in zip(flow.row.tolist(), flow.col.tolist(), flow.data.tolist(), strict=True)
        if f > 0 and r in student_at and c in topic_at
    }


def _blockers(state: _State, wanted: Collection[Hashable]) -> dict[Hashable, Blocker]:
    # The flow is maximum, so no preferred topic has both room and a supervisor below the limit.
    return {
        t: Blocker.SUPERVISOR_LIMIT
        if state.free[t] > 0 and state.supervisor_full(t)
        else Blocker.TAKEN
        for t in sorted(set(wanted))
    }


def _fill_free_places(
    state: _State, leftover: list[Hashable], topics: list[Hashable], rng: random.Random
) -> dict[Hashable, Hashable]:
    """Give the leftover students (in their given order) random free places.

    Greedy is enough here: any student can take any place, so walking the free places in
    random order fills min(len(leftover), usable places) where each supervisor contributes
    min(free capacity, remaining limit).
    """
    # Clipped per topic: a huge capacity must not turn into a huge list.
    places = [t for t in topics for _ in range(min(state.free[t], len(leftover)))]
    rng.shuffle(places)
    given: dict[Hashable, Hashable] = {}
    students = iter(leftover)
    for topic in places:
        if len(given) == len(leftover):
            break
        if state.can_take(topic):
            state.take(topic)
            given[next(students)] = topic
    return given


def allocate(problem: Problem, *, seed: int) -> Allocation:
    """Place every student, maximising first preferences met, then students placed."""
    _validate(problem)
    rng = random.Random(seed)
    # Sort first so that only content and seed matter, never the mappings' iteration order.
    students = sorted(problem.preferences)
    topics = sorted(problem.capacities)
    flow_students = [s for s in students if problem.preferences[s]]
    flow_topics = list(topics)
    rng.shuffle(flow_students)
    rng.shuffle(flow_topics)

    matched = _max_preference_matching(problem, flow_students, flow_topics)
    state = _State(problem)
    for topic in matched.values():
        state.take(topic)
    blocked = {
        s: _blockers(state, problem.preferences[s])
        for s in students
        if problem.preferences[s] and s not in matched
    }

    leftover = [s for s in students if s not in matched]
    rng.shuffle(leftover)  # decides who stays unplaced when places run out...
    leftover.sort(key=lambda s: not problem.preferences[s])  # ...after those who sent preferences
    free = _fill_free_places(state, leftover, topics, rng)

    placements = {}
    for s in students:
        if s in matched:
            placements[s] = Placement(s, matched[s], Reason.PREFERENCE, {})
            continue
        reason = Reason.PREFERENCES_TAKEN if problem.preferences[s] else Reason.NO_PREFERENCES
        topic = free.get(s)
        placements[s] = Placement(
            s, topic, reason if topic is not None else Reason.UNPLACED, blocked.get(s, {})
        )
    return Allocation(placements)
