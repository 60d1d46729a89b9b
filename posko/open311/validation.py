"""Checking a POST service request against GeoReport v2 and the service definition."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import QueryDict
from django.utils.html import strip_tags

from posko.open311.catalogue import Service
from posko.open311.render import Open311Error

MAX_DESCRIPTION = 4000


@dataclass
class RequestInput:
    service: Service
    description: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    address: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)


def parse_datetime(value: str) -> datetime | None:
    """An ISO 8601 / RFC 3339 date-time with its time zone, or None when invalid."""
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _coordinate(raw: str, limit: int, name: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise Open311Error(400, f"{name} bukan angka") from None
    if not value.is_finite() or abs(value) > limit:
        raise Open311Error(400, f"{name} di luar rentang")
    return value.quantize(Decimal("0.000001"))


def _location(data: QueryDict, parsed: RequestInput) -> None:
    lat, long = data.get("lat", "").strip(), data.get("long", "").strip()
    address = data.get("address_string", "").strip() or data.get("address_id", "").strip()
    if bool(lat) != bool(long):
        raise Open311Error(400, "lat dan long harus diisi bersama")
    if not lat and not address:
        raise Open311Error(400, "lokasi wajib: lat & long, address_string, atau address_id")
    if lat:
        parsed.latitude = _coordinate(lat, 90, "lat")
        parsed.longitude = _coordinate(long, 180, "long")
    parsed.address = address[:300]


def _check_value(attribute: dict[str, Any], values: list[str]) -> str | None:
    """An error description for the attribute's posted values, or None when valid."""
    code, datatype = attribute["code"], attribute.get("datatype", "string")
    keys = {str(v.get("key")) for v in attribute.get("values", [])}
    if datatype == "singlevaluelist" and (len(values) != 1 or values[0] not in keys):
        return f"attribute[{code}]: pilih satu nilai dari daftar"
    if datatype == "multivaluelist" and not set(values) <= keys:
        return f"attribute[{code}]: nilai tidak ada dalam daftar"
    if datatype == "number":
        try:
            [float(v) for v in values]
        except ValueError:
            return f"attribute[{code}]: harus angka"
    if datatype == "datetime" and any(parse_datetime(v) is None for v in values):
        return f"attribute[{code}]: harus tanggal-waktu ISO 8601 dengan zona waktu"
    return None


def _attributes(data: QueryDict, service: Service) -> tuple[dict[str, Any], list[str]]:
    found: dict[str, Any] = {}
    errors = []
    for attribute in service.attributes:
        if not attribute.get("variable", True):
            continue
        code = attribute["code"]
        values = [
            v
            for v in data.getlist(f"attribute[{code}][]") + data.getlist(f"attribute[{code}]")
            if v.strip()
        ]
        if not values:
            if attribute.get("required"):
                errors.append(f"attribute[{code}] wajib diisi")
            continue
        error = _check_value(attribute, values)
        if error:
            errors.append(error)
        elif attribute.get("datatype") == "multivaluelist":
            found[code] = values
        else:
            found[code] = values[0]
    return found, errors


def parse_request(data: QueryDict, service: Service) -> RequestInput:
    """Validate the form-encoded POST body; raises ``Open311Error(400, …)`` listing every
    problem found."""
    parsed = RequestInput(service=service)
    errors: list[str] = []
    try:
        _location(data, parsed)
    except Open311Error as exc:
        errors.extend(exc.descriptions)
    description = data.get("description", "")
    if len(description) > MAX_DESCRIPTION:
        errors.append(f"description melebihi {MAX_DESCRIPTION} karakter")
    parsed.description = strip_tags(description).strip()
    parsed.email = data.get("email", "").strip()
    if parsed.email:
        try:
            validate_email(parsed.email)
        except ValidationError:
            errors.append("email tidak valid")
    parsed.first_name = data.get("first_name", "").strip()[:60]
    parsed.last_name = data.get("last_name", "").strip()[:60]
    parsed.phone = data.get("phone", "").strip()[:30]
    parsed.attributes, attribute_errors = _attributes(data, service)
    errors.extend(attribute_errors)
    if errors:
        raise Open311Error(400, *errors)
    return parsed
