"""The Content-Security-Policy on every response: scripts, styles and everything else from this site only.

The templates carry no inline script, handler or style attribute (the JSON a chart draws from is a
``json_script`` block, which is data, not script), so an injected ``<script>`` or ``onerror=`` never runs.
Django's SecurityMiddleware and XFrameOptionsMiddleware set the other headers (see settings).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicy:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", POLICY)
        return response
