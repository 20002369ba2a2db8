"""The document: one SLA."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from wsla.model.obligations import Obligations
from wsla.model.parties import Parties
from wsla.model.service import ServiceDefinition, ServiceObject, walk_service_objects
from wsla.model.span import Span


@dataclass(frozen=True, slots=True, kw_only=True)
class Spec:
    """A WSLA ``SLA``: parties, one or more service definitions, obligations.

    Equality ignores source spans, so ``loads(dumps(spec)) == spec`` compares content.
    """

    name: str | None = None
    parties: Parties
    service_definitions: tuple[ServiceDefinition, ...]
    obligations: Obligations
    span: Span | None = field(default=None, compare=False, repr=False)

    def service_objects(self) -> Iterator[tuple[ServiceObject, tuple[ServiceObject, ...]]]:
        """Every service object with its enclosing objects, in document order."""
        for definition in self.service_definitions:
            yield from walk_service_objects(definition)
