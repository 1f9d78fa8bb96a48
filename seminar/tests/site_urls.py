"""The site's URL patterns, walked from the root resolver, for tests that must cover each one."""

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver


def _walk(patterns, prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, f"{namespace}{entry.name}" if entry.name else route


def site_patterns() -> dict[str, str]:
    """{route: name} of every pattern outside the admin (the admin has its own tables)."""
    return {
        route: name
        for route, name in _walk(get_resolver().url_patterns, "", "")
        if not route.startswith("admin/")
    }
