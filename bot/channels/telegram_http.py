"""python-telegram-bot's network layer on aiohttp instead of httpx.

PTB lets a bot bring its own `BaseRequest`. Profiling the throughput benchmark showed httpx
(with httpcore and anyio beneath it) taking over half of the bot's CPU time per update: a
request builds a model, enters several cancel scopes and scans the whole connection pool.
aiohttp's client does the same work in a fraction of that. Error mapping stays PTB's own
(`BaseRequest._request_wrapper` turns status codes into `TelegramError`s); here only the
client's failures become `TimedOut` and `NetworkError`, as `HTTPXRequest` does.
"""

from __future__ import annotations

from urllib.request import getproxies

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput, UploadFileDict
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

POOL_SIZE = 256  # PTB's own default for the bot's requests
READ_TIMEOUT = 5.0  # seconds; PTB's defaults
WRITE_TIMEOUT = 5.0
CONNECT_TIMEOUT = 5.0
POOL_TIMEOUT = 1.0
MEDIA_WRITE_TIMEOUT = 20.0
JSON_BODY = {"Content-Type": "application/json"}  # the Bot API reads JSON bodies as forms


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` on one aiohttp session: a pool of keep-alive connections."""

    def __init__(self, pool_size: int = POOL_SIZE, read_timeout: float | None = READ_TIMEOUT,
                 write_timeout: float | None = WRITE_TIMEOUT,
                 connect_timeout: float | None = CONNECT_TIMEOUT,
                 pool_timeout: float | None = POOL_TIMEOUT,
                 media_write_timeout: float | None = MEDIA_WRITE_TIMEOUT) -> None:
        self._pool_size = pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._timeouts: dict[tuple[float | None, ...], aiohttp.ClientTimeout] = {}

    @property
    def read_timeout(self) -> float | None:
        """The read timeout used when a call names none."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (again, after a shutdown)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT},
                skip_auto_headers=("Accept-Encoding",),
                # HTTPS_PROXY / NO_PROXY as httpx honoured them. aiohttp then looks the
                # proxy up (and reads ~/.netrc) on every request: only when one is set.
                trust_env=bool(getproxies()),
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; the status code and the body as received."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data is not None else None
        body: aiohttp.FormData | bytes | None = None
        headers = None
        if request_data is not None and files:
            body = _form(request_data.json_parameters, files)
        elif request_data is not None and request_data.parameters:
            body, headers = request_data.json_payload, JSON_BODY  # no form to build
        timeout = self._timeout(
            read_timeout, write_timeout, connect_timeout, pool_timeout, bool(files))
        try:
            async with self._session.request(method, url, data=body, headers=headers,
                                             timeout=timeout) as reply:
                return reply.status, await reply.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    def _timeout(self, read: ODVInput[float], write: ODVInput[float],
                 connect: ODVInput[float], pool: ODVInput[float],
                 media: bool) -> aiohttp.ClientTimeout:
        """aiohttp's timeouts for PTB's four.

        Waiting for a pooled connection counts as connecting. aiohttp starts the read timeout
        once the body is written and has no write timeout: a whole request is bounded by the
        sum of the four instead, so a stalled upload ends too.
        """
        read_s = self._read_timeout if isinstance(read, DefaultValue) else read
        write_s = (self._media_write_timeout if media else self._write_timeout) \
            if isinstance(write, DefaultValue) else write
        connect_s = self._connect_timeout if isinstance(connect, DefaultValue) else connect
        pool_s = self._pool_timeout if isinstance(pool, DefaultValue) else pool
        key = (read_s, write_s, connect_s, pool_s)
        cached = self._timeouts.get(key)
        if cached is None:
            waiting = None if connect_s is None or pool_s is None else connect_s + pool_s
            whole = None if None in key else sum(t for t in key if t is not None)
            cached = aiohttp.ClientTimeout(total=whole, connect=waiting, sock_read=read_s)
            if len(self._timeouts) < 64:  # a handful of combinations in practice
                self._timeouts[key] = cached
        return cached


def _form(fields: dict[str, str], files: UploadFileDict) -> aiohttp.FormData:
    """A multipart body: the fields, then each file with its name and type."""
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
