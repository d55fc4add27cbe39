"""The dev server's request handler (`make run`): Werkzeug's, without the `Server:
Werkzeug/x Python/y` header, which tells a scanner exactly which versions to try."""

from __future__ import annotations

from werkzeug.serving import WSGIRequestHandler


class QuietRequestHandler(WSGIRequestHandler):
    """Sends the status line and Date, but no Server header."""

    def send_response(self, code: int, message: str | None = None) -> None:
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())
