"""Benchmark of the topic allocation (not a test).

Run with `.venv/bin/python -m bench.allocation`; `run()` returns the figures as dicts.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import networkx as nx

from topics.allocation import Problem, allocate

SEED = 20240601


def make_problem(students: int, topics: int, capacity: int, seed: int = SEED) -> Problem:
    """Three distinct preferences per student, drawn with a Zipf-like popularity skew."""
    rng = random.Random(seed)
    names = [f"T{i:04d}" for i in range(topics)]
    weights = [1 / (rank + 1) for rank in range(topics)]  # topic 0 is wanted most
    preferences = {}
    for s in range(students):
        wanted: set[str] = set()
        while len(wanted) < 3:
            wanted.add(rng.choices(names, weights)[0])
        preferences[s] = sorted(wanted)
    return Problem(preferences=preferences, capacities=dict.fromkeys(names, capacity))


def networkx_satisfied(problem: Problem) -> int:
    """Straightforward min-cost-flow solution: source -> students -> topics -> sink."""
    graph = nx.DiGraph()
    for student, wanted in problem.preferences.items():
        graph.add_edge("source", ("s", student), capacity=1, weight=0)
        for topic in wanted:
            graph.add_edge(("s", student), ("t", topic), capacity=1, weight=0)
    for topic, capacity in problem.capacities.items():
        graph.add_edge(("t", topic), "sink", capacity=capacity, weight=0)
    flow = nx.max_flow_min_cost(graph, "source", "sink")
    return sum(flow["source"].values())


def best_of(runs: int, func: Callable[[], object]) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def run() -> list[dict]:
    big = make_problem(2000, 700, capacity=1)
    ours_seconds, ours = best_of(3, lambda: allocate(big, seed=1))
    nx_seconds, nx_count = best_of(1, lambda: networkx_satisfied(big))
    small = make_problem(500, 21, capacity=25)
    small_seconds, _ = best_of(3, lambda: allocate(small, seed=1))
    return [
        {"name": "allocation_2000x700_seconds", "value": round(ours_seconds, 4), "unit": "s"},
        {
            "name": "allocation_2000x700_networkx_seconds",
            "value": round(nx_seconds, 4),
            "unit": "s",
        },
        {
            "name": "allocation_2000x700_same_optimum",
            "value": int(ours.satisfied_count == nx_count),
            "unit": "bool",
        },
        {"name": "allocation_500x21_seconds", "value": round(small_seconds, 4), "unit": "s"},
    ]


if __name__ == "__main__":
    figures = run()
    width = max(len(f["name"]) for f in figures)
    print(f"{'figure':<{width}}  {'value':>10}  unit")
    for f in figures:
        print(f"{f['name']:<{width}}  {f['value']:>10}  {f['unit']}")
