"""Errors: the JSON envelope under /api/, an HTML page elsewhere; never a traceback."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

from planner.errors import DataProblems, PlannerError
from planner.messages import N_
from planner.plan_document import PlanUnreadable

PLAN_UNREADABLE = N_(
    "This plan was saved by a newer version of the planner, or its saved copy is damaged, so it "
    "cannot be shown here. It has not been changed. Please try again later."
)


class ApiError(PlannerError):
    """A client error with a message (and optional field errors) for the JSON envelope."""

    def __init__(self, message: str, status: int = 400, errors: list[Any] | None = None):
        super().__init__(message)
        self.message, self.status, self.errors = message, status, errors or []


def wants_json() -> bool:
    return request.path.startswith("/api/")


def envelope(message: str, status: int, errors: list[Any] | None = None):
    body = {"ok": False, "error": message, "status": status}
    if errors:
        body["errors"] = errors
    return jsonify(body), status


STORAGE_FULL = N_(
    "The server cannot save anything at the moment (its disk is full or read-only). Saved "
    "plans can still be read; please try again later."
)
# What SQLite, PostgreSQL and the OS say when the disk is full or mounted read-only.
_CANNOT_WRITE = (
    "readonly database",
    "read-only",
    "database or disk is full",
    "disk i/o error",
    "no space left",
    "could not extend file",
    "disk full",
)


def cannot_write(exc: BaseException) -> bool:
    """Is *exc* a full or read-only disk (database, queue or PDF cache), not a bug?"""
    import errno

    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EROFS, errno.EDQUOT):
        return True
    text = str(getattr(exc, "orig", None) or exc).lower()
    name = type(exc).__name__
    return name in ("OperationalError", "DiskFull", "ReadOnlySqlTransaction") and any(
        part in text for part in _CANNOT_WRITE
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        if wants_json():
            return envelope(exc.message, exc.status, exc.errors)
        return render_template("error.html", status=exc.status, message=exc.message), exc.status

    from flask_wtf.csrf import CSRFError

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        message = _("This form has expired. Go back, reload the page and try again.")
        return render_template("error.html", status=400, message=message), 400

    from werkzeug.exceptions import SecurityError

    @app.errorhandler(SecurityError)
    def untrusted_host(exc: SecurityError):
        # A Host header outside TRUSTED_HOSTS: no URL can be built on it, so no page either.
        return Response(
            "400 Bad Request: this server does not answer for that host name.\n",
            400,
            mimetype="text/plain",
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        message = {
            400: _("This request could not be read."),
            401: _("Please sign in first."),
            403: _(
                "This plan can only be changed from the browser that made it. You can still "
                "read, print and share it."
            ),
            404: _("Not found"),
            405: _("Method not allowed"),
            413: _("The request is too large."),
            429: _("Too many requests. Please wait a minute and try again."),
            503: _("The planner is busy making other plans. Please try again in a few seconds."),
        }.get(status, _("This request could not be handled."))
        if wants_json():
            text = {
                404: "Not found",
                413: "the request body is too large",
                429: f"too many requests (limit: {exc.description})",
                503: "the planner is busy making other plans; try again after Retry-After seconds",
            }
            response, _status = envelope(text.get(status, str(exc.description or exc.name)), status)
        else:
            response = app.make_response(
                (render_template("error.html", status=status, message=message), status)
            )
        # Keep what the client needs to retry: Allow on a 405, Retry-After on a 429 or 503.
        for name, value in exc.get_headers():
            if name.lower() in ("allow", "retry-after"):
                response.headers[name] = value
        return response, status

    @app.errorhandler(PlanUnreadable)
    def plan_unreadable(exc: PlanUnreadable):
        # A plan saved by a newer planner (a server behind in a rolling update) or damaged in
        # the database: said as such, never as a crash; the saved plan is left as it is.
        app.logger.error("saved plan cannot be read: %s", exc)
        message = _(PLAN_UNREADABLE)
        if wants_json():
            return envelope(f"this saved plan cannot be read by this server: {exc}", 409)
        return render_template("error.html", status=409, message=message), 409

    @app.errorhandler(DataProblems)
    def data_unavailable(exc: DataProblems):
        # The details (server paths, fields) are for the operator's log, not the client.
        app.logger.error("data file problem: %s", exc)
        message = _("The data is unavailable at the moment. Please try again later.")
        if wants_json():
            return envelope("data unavailable", 503)
        return render_template("error.html", status=503, message=message), 503

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if cannot_write(exc):
            # A full or read-only disk (or database volume): the operator's log says which;
            # the client is told to come back, reads go on working.
            app.logger.error("storage cannot be written: %s", exc)
            message = _(STORAGE_FULL)
            if wants_json():
                response, _status = envelope("the server cannot save at the moment", 503)
            else:
                response = app.make_response(
                    (render_template("error.html", status=503, message=message), 503)
                )
            response.headers["Retry-After"] = "300"
            return response, 503
        app.logger.exception("unhandled error")
        message = _("Something went wrong on our side. Your saved data is safe.")
        if wants_json():
            return envelope(InternalServerError.description, 500)
        return render_template("error.html", status=500, message=message), 500
