"""Parties: the signatories, the supporting parties and the actions they offer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from wsla.model.span import Span
from wsla.model.types import Role


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact:
    street: str
    city: str
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionDescription:
    """Abstract base of a party's ``Action``: an interface for being told things."""

    xsi_type: ClassVar[str] = ""
    name: str | None = None
    party_name: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class SoapActionDescription(ActionDescription):
    """``WSDLSOAPActionDescriptionType``."""

    xsi_type: ClassVar[str] = "WSDLSOAPActionDescriptionType"
    wsdl_file: str
    service_name: str | None = None
    soap_binding_name: str
    soap_operation_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GetPostActionDescription(ActionDescription):
    """``WSDLGetPostActionDescriptionType``."""

    xsi_type: ClassVar[str] = "WSDLGetPostActionDescriptionType"
    service_name: str | None = None
    address: str


ACTION_DESCRIPTION_TYPES: dict[str, type[ActionDescription]] = {
    cls.xsi_type: cls for cls in (SoapActionDescription, GetPostActionDescription)
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Party:
    """Content shared by every party."""

    element: ClassVar[str] = ""
    name: str | None = None
    contact: Contact | None = None
    actions: tuple[ActionDescription, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceProvider(Party):
    element: ClassVar[str] = "ServiceProvider"


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceConsumer(Party):
    element: ClassVar[str] = "ServiceConsumer"


@dataclass(frozen=True, slots=True, kw_only=True)
class SupportingParty(Party):
    element: ClassVar[str] = "SupportingParty"
    sponsors: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Parties:
    provider: ServiceProvider
    consumer: ServiceConsumer
    supporting: tuple[SupportingParty, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False)

    def all(self) -> tuple[Party, ...]:
        """Every party in document order."""
        return (self.provider, self.consumer, *self.supporting)

    def find(self, name: str) -> Party | None:
        for party in self.all():
            if party.name == name:
                return party
        return None
