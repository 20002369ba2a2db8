"""Action handlers: how a request reaches the party that offers the action.

A :class:`HandlerRegistry` maps a handler name to a handler. By default a party's
action description type selects the handler (``WSDLSOAPActionDescriptionType`` →
``soap``, ``WSDLGetPostActionDescriptionType`` → ``webhook``); an embedding service
may route any ``(party, action)`` to another handler, e.g. a Python callback.
Every handler raises :class:`DeliveryError` on failure; the dispatcher retries.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from wsla.actions.message import ActionMessage

logger = logging.getLogger(__name__)

SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
NOTIFY_NS = "urn:wsla-toolkit:notification:1"


class DeliveryError(Exception):
    """A delivery attempt failed. ``permanent`` failures are not retried."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Handler(Protocol):
    """Delivers one message; raises :class:`DeliveryError` on failure."""

    def deliver(self, message: ActionMessage, *, key: str, timeout: float) -> None: ...


class Transport(Protocol):
    """Posts a body to a URL; returns the HTTP status. Injectable for tests."""

    def post(self, url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> int: ...


class UrllibTransport:
    """HTTP POST with the standard library, honouring the timeout."""

    def post(self, url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> int:
        if not url.startswith(("http://", "https://")):
            raise DeliveryError(f"unsupported URL scheme in {url!r}", permanent=True)
        request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"POST {url} failed: {exc}") from exc


def _check_status(url: str, status: int) -> None:
    if 200 <= status < 300:
        return
    # 4xx other than 408/429 will not get better by retrying
    permanent = 400 <= status < 500 and status not in (408, 425, 429)
    raise DeliveryError(f"POST {url} answered HTTP {status}", permanent=permanent)


@dataclass(frozen=True, slots=True)
class WebhookHandler:
    """JSON POST of the message to ``url``, with the key in ``Idempotency-Key``."""

    url: str
    transport: Transport = field(default_factory=UrllibTransport)

    def deliver(self, message: ActionMessage, *, key: str, timeout: float) -> None:
        body = json.dumps(message.to_json(), sort_keys=True).encode("utf-8")
        headers = {"Content-Type": "application/json", "Idempotency-Key": key}
        _check_status(self.url, self.transport.post(self.url, body, headers, timeout))


def soap_envelope(message: ActionMessage, key: str, operation: str = "Notify") -> bytes:
    """A SOAP 1.1 envelope carrying the notification (type, cause, parameter values)."""
    from lxml import etree
    from lxml.builder import ElementMaker

    soap = ElementMaker(namespace=SOAP_ENV_NS, nsmap={"soap": SOAP_ENV_NS})
    body = ElementMaker(namespace=NOTIFY_NS, nsmap={None: NOTIFY_NS})
    notification = message.notification or {}
    params = notification.get("parameters") or {}
    content = body(
        operation,
        body.SLA(message.sla),
        body.Guarantee(message.guarantee),
        body.Time(message.time),
        body.Party(message.party),
        body.Action(message.action),
        *(
            [body.NotificationType(str(notification.get("type", "")))]
            if message.notification is not None
            else []
        ),
        *(
            [body.CausingGuarantee(str(notification.get("causing_guarantee", "")))]
            if message.notification is not None
            else []
        ),
        *[
            body.SLAParameter(json.dumps(value), name=str(name))
            for name, value in sorted(params.items())
        ],
    )
    envelope = soap.Envelope(soap.Header(body.IdempotencyKey(key)), soap.Body(content))
    return bytes(etree.tostring(envelope, xml_declaration=True, encoding="UTF-8"))


@dataclass(frozen=True, slots=True)
class SoapHandler:
    """SOAP 1.1 POST of a notification envelope to ``endpoint``."""

    endpoint: str
    operation: str = "Notify"
    soap_action: str = ""
    transport: Transport = field(default_factory=UrllibTransport)

    def deliver(self, message: ActionMessage, *, key: str, timeout: float) -> None:
        body = soap_envelope(message, key, self.operation)
        headers = {
            "Content-Type": "text/xml; charset=utf-8",
            "SOAPAction": f'"{self.soap_action}"',
            "Idempotency-Key": key,
        }
        _check_status(self.endpoint, self.transport.post(self.endpoint, body, headers, timeout))


@dataclass(frozen=True, slots=True)
class CallbackHandler:
    """Calls a Python function; any exception it raises is a failed attempt."""

    function: Callable[[ActionMessage, str], object]

    def deliver(self, message: ActionMessage, *, key: str, timeout: float) -> None:
        try:
            self.function(message, key)
        except DeliveryError:
            raise
        except Exception as exc:
            raise DeliveryError(f"callback raised {type(exc).__name__}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class LogHandler:
    """Writes the message to a logger (never fails)."""

    logger_name: str = "wsla.actions"
    level: int = logging.WARNING

    def deliver(self, message: ActionMessage, *, key: str, timeout: float) -> None:
        logging.getLogger(self.logger_name).log(
            self.level,
            "action %s.%s requested by %s at %s (key %s): %s",
            message.party,
            message.action,
            message.guarantee,
            message.time,
            key,
            json.dumps(message.notification, sort_keys=True),
        )


@dataclass(frozen=True, slots=True)
class HandlerRegistry:
    """Handlers by name, and the routing of ``(party, action)`` to a handler name."""

    handlers: Mapping[str, Handler]
    routes: Mapping[tuple[str, str], str] = field(default_factory=dict)
    fallback: str | None = "log"

    def resolve(self, party: str, action: str) -> Handler:
        """The handler for ``party``'s ``action``; :class:`DeliveryError` if there is none."""
        name = self.routes.get((party, action), self.fallback)
        handler = self.handlers.get(name) if name is not None else None
        if handler is None:
            raise DeliveryError(
                f"no handler for action {action!r} of party {party!r}", permanent=True
            )
        return handler


def default_registry(
    spec: object | None = None,
    *,
    endpoints: Mapping[tuple[str, str], str] | None = None,
    callbacks: Mapping[tuple[str, str], Callable[[ActionMessage, str], object]] | None = None,
    transport: Transport | None = None,
) -> HandlerRegistry:
    """Handlers for every action that ``spec``'s parties offer.

    A GetPost action posts JSON to its ``Address``; a SOAP action posts an envelope to
    the endpoint given in ``endpoints[(party, action)]`` (a WSDL file names no
    endpoint by itself); ``callbacks`` route actions to Python functions; anything
    else is logged.
    """
    from wsla.model import GetPostActionDescription, SoapActionDescription, Spec

    endpoints = dict(endpoints or {})
    handlers: dict[str, Handler] = {"log": LogHandler()}
    routes: dict[tuple[str, str], str] = {}
    http: Transport = transport if transport is not None else UrllibTransport()
    if isinstance(spec, Spec):
        for party in spec.parties.all():
            for desc in party.actions:
                if party.name is None or desc.name is None:
                    continue
                route = (party.name, desc.name)
                name = f"{party.name}.{desc.name}"
                if isinstance(desc, GetPostActionDescription):
                    handlers[name] = WebhookHandler(endpoints.get(route, desc.address), http)
                elif isinstance(desc, SoapActionDescription) and route in endpoints:
                    handlers[name] = SoapHandler(
                        endpoints[route], operation=desc.soap_operation_name, transport=http
                    )
                else:
                    continue
                routes[route] = name
    for route, function in (callbacks or {}).items():
        name = f"callback:{route[0]}.{route[1]}"
        handlers[name] = CallbackHandler(function)
        routes[route] = name
    for route, url in endpoints.items():
        if route not in routes:
            name = f"webhook:{route[0]}.{route[1]}"
            handlers[name] = WebhookHandler(url, http)
            routes[route] = name
    return HandlerRegistry(handlers=handlers, routes=routes)
