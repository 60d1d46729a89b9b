"""GeoReport v2 output: XML (schemaless, UTF-8 declaration, ``text/xml``) and JSON (the Spark
convention: the XML's repeated child elements become arrays), and the error bodies."""

from __future__ import annotations

import json
from typing import Any
from xml.etree.ElementTree import Element, tostring

from django.http import HttpResponse

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
FORMATS = ("xml", "json")

# Container element → the name of each child element.
CHILDREN = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


def _element(name: str, value: Any) -> Element:
    el = Element(name)
    if isinstance(value, dict):
        for key, item in value.items():
            if item is not None:
                el.append(_element(key, item))
    elif isinstance(value, list):
        for item in value:
            el.append(_element(CHILDREN[name], item))
    elif isinstance(value, bool):
        el.text = "true" if value else "false"
    else:
        el.text = str(value)
    return el


def _strip_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_none(v) for v in value]
    return value


def render(fmt: str, root: str, payload: Any, status: int = 200) -> HttpResponse:
    """``payload`` is the JSON shape; ``root`` the XML root element (for a list, its container)."""
    if fmt == "json":
        body = json.dumps(_strip_none(payload), ensure_ascii=False)
        return HttpResponse(body.encode(), status=status, content_type=JSON_TYPE)
    xml = '<?xml version="1.0" encoding="utf-8"?>\n' + tostring(
        _element(root, payload), encoding="unicode"
    )
    return HttpResponse(xml.encode(), status=status, content_type=XML_TYPE)


class Open311Error(Exception):
    """An error answered as GeoReport v2 says: HTTP status and a list of {code, description}."""

    def __init__(self, status: int, *descriptions: str, code: int | None = None) -> None:
        super().__init__(descriptions[0] if descriptions else "")
        self.status = status
        self.code = code or status
        self.descriptions = descriptions

    def response(self, fmt: str) -> HttpResponse:
        errors = [{"code": self.code, "description": d} for d in self.descriptions]
        return render(fmt if fmt in FORMATS else "xml", "errors", errors, self.status)
