"""Functions beyond WSLA 1.0, in wsla's own namespace (:data:`wsla.model.types.EXT_NS`).

They are written in WSLA XML as ``Function xsi:type="wslax:Name"`` and validated by
``xsd/wsla-ext.xsd``.
"""

from __future__ import annotations

from wsla.model.functions import Function

EXT_FUNCTIONS: tuple[type[Function], ...] = ()
