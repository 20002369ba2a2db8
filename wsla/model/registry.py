"""Every function class by ``(namespace, xsi:type)``: WSLA 1.0's and our extensions."""

from __future__ import annotations

from wsla.model.extensions import EXT_FUNCTIONS
from wsla.model.functions import WSLA_FUNCTIONS, Function

ALL_FUNCTIONS: tuple[type[Function], ...] = (*WSLA_FUNCTIONS, *EXT_FUNCTIONS)

FUNCTION_TYPES: dict[tuple[str, str], type[Function]] = {
    (cls.namespace, cls.xsi_type): cls for cls in ALL_FUNCTIONS
}
