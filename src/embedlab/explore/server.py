"""The explorer's web server: Python's standard library, bound to loopback by default.

``http.server.ThreadingHTTPServer`` answers each request on its own thread (NumPy releases the
interpreter lock in its products, so a long map does not hold up a neighbour query). It was
chosen over an ASGI stack because the explorer needs a dozen fixed GET routes for one user on
one machine: the standard library does that with no dependency to install, audit or keep
compatible, and the parts it lacks for the open internet (TLS, authentication) are out of scope.

What the server does and does not do:
- Only GET and HEAD; any other method is 405. Fixed routes: ``/`` (the page), the page's
  assets (kept in memory from the package at start), ``/api/...`` (``api.Explorer``). No path
  from a request is ever joined to a folder, so ``/assets/../x`` is simply an unknown route.
- Requests whose ``Host`` header names another site are refused while bound to loopback (403),
  so a web page elsewhere cannot read the API through DNS rebinding; no CORS header is sent.
- Answers carry a Content-Security-Policy allowing only the server's own scripts and styles.
- A bad parameter is 400 with ``{"error": message}``, an unknown word 404, anything else 500
  (the traceback goes to the terminal, not to the page).
"""

from __future__ import annotations

import ipaddress
import json
import socket
import sys
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import urlsplit

from embedlab.errors import EmbedlabError, UnknownWordError, setting, warn
from embedlab.explore.api import Download, Explorer
from embedlab.explore.params import MAX_QUERY_CHARS

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8700

#: The page and its assets: route -> (file in ``explore/assets``, media type).
ASSETS = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/assets/explorer.js": ("explorer.js", "text/javascript; charset=utf-8"),
    "/assets/explorer.css": ("explorer.css", "text/css; charset=utf-8"),
}

_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


def read_asset(name: str) -> bytes:
    """A file shipped in ``embedlab/explore/assets`` (the page, its script and style)."""
    return (resources.files("embedlab.explore") / "assets" / name).read_bytes()


class ExplorerServer(ThreadingHTTPServer):
    """A threading HTTP server holding the ``Explorer`` and the page's assets."""

    daemon_threads = True

    def __init__(self, explorer: Explorer, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT):
        self.explorer = explorer
        self.assets = {route: (read_asset(name), kind) for route, (name, kind) in ASSETS.items()}
        self.address_family = _family(host, port)
        try:
            super().__init__((host, port), ExplorerHandler)
        except OSError as err:
            raise EmbedlabError(
                f"cannot listen on {host}:{port} ({err.strerror}): pass {setting('port')} with "
                f"another number (0 picks a free one) or another {setting('host')}"
            ) from None
        self.loopback = _is_loopback(self.server_address[0])
        port = self.server_address[1]
        self.allowed_hosts = {f"{name}:{port}" for name in (*_LOOPBACK_NAMES, host)}

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"


class ExplorerHandler(BaseHTTPRequestHandler):
    """One request: a fixed route, answered from memory or by the API."""

    server: ExplorerServer
    server_version = "embedlab-explore"
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return self.server_version  # no Python version: it tells a visitor nothing they need

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        self._respond(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(body=False)

    def _refuse_method(self) -> None:
        self._send(
            HTTPStatus.METHOD_NOT_ALLOWED,
            _json({"error": "the API is read-only: use GET"}),
            "application/json",
            extra={"Allow": "GET, HEAD"},
        )

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse_method  # noqa: N815

    def log_message(self, format: str, *args) -> None:
        """Quiet: a page makes a request per keystroke; errors are reported as they happen."""

    def _respond(self, body: bool) -> None:
        self._body = body
        if self.server.loopback and self.headers.get("Host") not in self.server.allowed_hosts:
            self._error(
                HTTPStatus.FORBIDDEN, "this server answers requests to its own address only"
            )
            return
        parts = urlsplit(self.path)
        if len(parts.query) > MAX_QUERY_CHARS:
            self._error(HTTPStatus.REQUEST_URI_TOO_LONG, "the query string is too long")
            return
        if parts.path in self.server.assets:
            content, kind = self.server.assets[parts.path]
            self._send(HTTPStatus.OK, content, kind)
        elif parts.path in Explorer.ROUTES:
            self._api(parts.path, parts.query)
        else:
            self._error(HTTPStatus.NOT_FOUND, f"no such page or API route: {parts.path[:100]!r}")

    def _api(self, route: str, query: str) -> None:
        try:
            result = self.server.explorer.answer(route, query)
        except UnknownWordError as err:
            self._error(HTTPStatus.NOT_FOUND, str(err), unknown=err.words)
            return
        except EmbedlabError as err:
            self._error(HTTPStatus.BAD_REQUEST, str(err))
            return
        except Exception as err:  # a bug: the page gets one line, the terminal the traceback
            traceback.print_exc(file=sys.stderr)
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {type(err).__name__}")
            return
        if isinstance(result, Download):
            disposition = f'attachment; filename="{result.filename}"'
            self._send(
                HTTPStatus.OK,
                result.text.encode("utf-8"),
                f"{result.media_type}; charset=utf-8",
                extra={"Content-Disposition": disposition},
            )
        else:
            self._send(HTTPStatus.OK, _json(result), "application/json")

    def _error(self, status: HTTPStatus, message: str, **fields) -> None:
        self._send(status, _json({"error": message, **fields}), "application/json")

    def _send(self, status, content: bytes, kind: str, extra=None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", _CSP)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if getattr(self, "_body", True):
            self.wfile.write(content)


def open_server(explorer: Explorer, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT):
    """An ``ExplorerServer`` listening on ``host:port``, with a warning when other machines can
    reach it."""
    server = ExplorerServer(explorer, host, port)
    if not server.loopback:
        warn(
            f"serving on {host}, which other machines can reach: anyone who can connect can "
            f"read these vectors (use {setting('host', '127.0.0.1')} to keep them on this machine)"
        )
    return server


def serve(explorer: Explorer, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, say=print):
    """Serve the page until Ctrl-C; ``say`` gets the address line."""
    server = open_server(explorer, host, port)
    say(f"embedlab explorer at {server.url} (Ctrl-C stops it)")
    try:
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        say("stopped")
    finally:
        server.server_close()


def _json(payload) -> bytes:
    return json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8")


def _family(host: str, port: int) -> socket.AddressFamily:
    try:
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except (socket.gaierror, UnicodeError):
        raise EmbedlabError(
            f"cannot resolve {setting('host', host)}: give an address such as 127.0.0.1"
        ) from None


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False
