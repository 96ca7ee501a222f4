"""The JSON Schema → OpenAPI 3.0 translation, on models shaped like the
report's unions (parts, paragraph items, attachments): fast, no generators.
tests/test_openapi_clients.py shows the whole document working with real
generators and a validator."""
from __future__ import annotations

from typing import Annotated, Any, Literal

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate
from pydantic import BaseModel, Discriminator, Tag
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from service.api.openapi import component_schemas, openapi_document


class Lead(BaseModel):
    lead: str
    text: str = ""


class Part(BaseModel):
    heading: str
    part: Literal[True] = True


class Plain(BaseModel):
    heading: str
    part: bool = False


class Box(BaseModel):
    name: str
    meta: dict[str, str] = {"title": "kept", "const": "kept"}


def _kind(value: Any) -> str:
    return "part" if isinstance(value, dict) and value.get("part") is True else "plain"


class Doc(BaseModel):
    title: str
    items: list[str | Lead] = []
    sections: list[Annotated[Annotated[Part, Tag("part")] | Annotated[Plain, Tag("plain")], Discriminator(_kind)]] = []
    box: Box | None = None
    note: str | None = None
    kind: Literal["a"] = "a"


def walk(node: Any) -> Any:
    """Every schema object (not the values of defaults, examples, enums)."""
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key not in ("default", "example", "enum"):
                yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


@pytest.fixture(scope="module")
def schemas() -> dict[str, Any]:
    return component_schemas(Doc)


def validator(schemas: dict[str, Any], name: str) -> OAS30Validator:
    resource = Resource.from_contents({"components": {"schemas": schemas}}, default_specification=DRAFT4)
    registry = Registry().with_resource("urn:doc", resource)
    return OAS30Validator({"$ref": f"urn:doc#/components/schemas/{name}"}, registry=registry)


def test_translation_leaves_no_json_schema_2020_keywords(schemas: dict[str, Any]) -> None:
    for node in walk(schemas):
        assert not {"oneOf", "const", "examples", "$defs", "prefixItems"} & set(node), node
        assert not isinstance(node.get("type"), list) and node.get("type") != "null", node
        assert "$ref" not in node or len(node) == 1, node  # 3.0 ignores a $ref's siblings
    assert all("title" not in s for s in schemas.values())  # titles would name generated classes


def test_unions_nullables_and_tags(schemas: dict[str, Any]) -> None:
    props = schemas["Doc"]["properties"]
    assert [b.get("type") or b["$ref"].rsplit("/", 1)[1] for b in props["items"]["items"]["anyOf"]] == ["string", "Lead"]
    assert {b["$ref"] for b in props["sections"]["items"]["anyOf"]} == {"#/components/schemas/Part", "#/components/schemas/Plain"}
    assert props["note"]["nullable"] is True and props["note"]["type"] == "string"
    assert schemas["Box"]["nullable"] is True  # null reaches the component: nullable does not work through $ref
    assert props["kind"]["enum"] == ["a"]
    assert schemas["Box"]["properties"]["meta"]["default"] == {"title": "kept", "const": "kept"}
    # The tag of a union branch is required: an ordinary section does not fit a part.
    assert "part" in schemas["Part"]["required"] and "default" not in schemas["Part"]["properties"]["part"]
    assert "kind" not in schemas["Doc"].get("required", [])  # outside unions a constant keeps its default


def test_translated_schemas_accept_what_the_models_accept(schemas: dict[str, Any]) -> None:
    check = validator(schemas, "Doc")
    good = {"title": "t", "items": ["a", {"lead": "l", "text": "x"}], "sections": [{"heading": "h", "part": True}, {"heading": "p"}],
            "box": None, "note": None}
    Doc.model_validate(good)
    assert list(check.iter_errors(good)) == []
    assert list(check.iter_errors({**good, "box": {"name": "n"}})) == []
    assert list(check.iter_errors({"title": "t", "items": [3]})) != []
    assert list(validator(schemas, "Part").iter_errors({"heading": "h"})) != []


def test_the_document_is_valid_3_0() -> None:
    document = openapi_document()
    validate(document)
    assert document["openapi"] == "3.0.3"
    report = document["components"]["schemas"]["Report"]
    assert report["required"] == ["title"] and "anyOf" not in report
    assert list(validator(document["components"]["schemas"], "Report").iter_errors(report["example"])) == []
    assert report["example"]["title"] == "2022年XX镇人大工作总结"  # values are data: a "title" key stays
