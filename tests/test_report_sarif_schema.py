"""SARIF output checked against the official OASIS SARIF 2.1.0 JSON schema.

The schema is vendored in ``tests/sarif/`` (see ORIGIN.md there). The project has no
JSON Schema library among its dependencies, so this module walks the schema itself for
the keywords that schema uses (``$ref``, ``type``, ``properties``,
``additionalProperties``, ``required``, ``items``, ``minItems``, ``uniqueItems``,
``minimum``, ``enum``, ``pattern``, ``anyOf``); ``format`` is not asserted. Replace it
with ``jsonschema.Draft4Validator`` if that package becomes a dev dependency.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from report_cases import DIAGNOSTICS, SOURCES

from wsla.report import get_renderer

SCHEMA = json.loads(
    (Path(__file__).parent / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
_TYPES: dict[str, Any] = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def _is_type(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, _TYPES[name])


def errors(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/definitions/")
        return errors(value, SCHEMA["definitions"][name], where)
    out: list[str] = []
    kind = schema.get("type")
    if kind is not None:
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(_is_type(value, k) for k in kinds):
            return [f"{where}: expected {kind}, got {type(value).__name__}"]
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{where}: {value!r} not in {schema['enum']}")
    if "anyOf" in schema and all(errors(value, s, where) for s in schema["anyOf"]):
        out.append(f"{where}: matches none of anyOf")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        out += [f"{where}: missing {r!r}" for r in schema.get("required", []) if r not in value]
        for key, item in value.items():
            if key in props:
                out += errors(item, props[key], f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                out.append(f"{where}: unexpected property {key!r}")
            elif isinstance(schema.get("additionalProperties"), dict):
                out += errors(item, schema["additionalProperties"], f"{where}.{key}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            out.append(f"{where}: fewer than {schema['minItems']} items")
        if schema.get("uniqueItems"):
            dumped = [json.dumps(v, sort_keys=True) for v in value]
            if len(set(dumped)) != len(dumped):
                out.append(f"{where}: items not unique")
        if "items" in schema:
            for i, item in enumerate(value):
                out += errors(item, schema["items"], f"{where}[{i}]")
    if _is_type(value, "number") and "minimum" in schema and value < schema["minimum"]:
        out.append(f"{where}: {value} < {schema['minimum']}")
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        out.append(f"{where}: {value!r} does not match {schema['pattern']}")
    return out


def test_the_checker_rejects_what_the_schema_rejects() -> None:
    good = json.loads(get_renderer("sarif")(DIAGNOSTICS, SOURCES))
    assert errors(good, SCHEMA) == []
    bad_version = {**good, "version": "2.0.0"}
    assert errors(bad_version, SCHEMA)
    no_runs = {k: v for k, v in good.items() if k != "runs"}
    assert any("missing 'runs'" in e for e in errors(no_runs, SCHEMA))
    run = dict(good["runs"][0])
    run["results"] = [{**run["results"][0], "level": "fatal"}]
    assert errors({**good, "runs": [run]}, SCHEMA)
    region = good["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    region["startLine"] = 0
    assert any("< 1" in e for e in errors(good, SCHEMA))


@pytest.mark.parametrize(
    "diagnostics",
    [DIAGNOSTICS, [], DIAGNOSTICS[:1], DIAGNOSTICS[-2:]],
    ids=["all", "none", "one", "spanless"],
)
def test_sarif_output_is_valid(diagnostics: list[Any]) -> None:
    log = json.loads(get_renderer("sarif")(diagnostics, SOURCES))
    assert errors(log, SCHEMA) == []
