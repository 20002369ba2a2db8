"""Measurement sources: files and Python data → time-ordered :class:`Record` streams.

Formats: CSV and JSON Lines (stdlib), Parquet, Arrow IPC files and in-memory Arrow
tables (the ``parquet`` extra), Python iterables. Long format (``time,target,value``)
needs no binding; wide tables (access logs, probe logs) are read through a
:class:`~wsla.sources.binding.Binding`.
"""

from wsla.sources.binding import Binding, BindingError, binding_from_options, load_binding
from wsla.sources.problems import DataAbort, DataProblems, OnError
from wsla.sources.reader import read_data
from wsla.sources.record import Origin, Record
from wsla.sources.targets import TargetIndex
from wsla.sources.timestamps import TimeFormat, parse_time

__all__ = [
    "Binding",
    "BindingError",
    "DataAbort",
    "DataProblems",
    "OnError",
    "Origin",
    "Record",
    "TargetIndex",
    "TimeFormat",
    "binding_from_options",
    "load_binding",
    "parse_time",
    "read_data",
]
