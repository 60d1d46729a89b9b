"""Managing the Open311 side: API keys and the replaceable service catalogue."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from posko.aduan.models.choices import RESTRICTED_CATEGORIES, Category
from posko.open311.catalogue import DATATYPES
from posko.open311.models import Open311Key, Open311Service, ServiceType, hash_key
from posko.org.models import Unit


class CatalogueError(ValueError):
    pass


def do_create_key(name: str) -> tuple[Open311Key, str]:
    """A new API key; the raw key is returned once and only its hash is stored."""
    name = name.strip()
    if not name:
        raise CatalogueError("nama kunci wajib diisi")
    raw = Open311Key.generate()
    key = Open311Key.objects.create(name=name, key_hash=hash_key(raw))
    return key, raw


def _check_attribute(code: str, attribute: Any) -> dict[str, Any]:
    if not isinstance(attribute, dict) or not str(attribute.get("code", "")).strip():
        raise CatalogueError(f"{code}: setiap atribut perlu 'code'")
    datatype = attribute.get("datatype", "string")
    if datatype not in DATATYPES:
        raise CatalogueError(f"{code}: datatype tidak dikenal: {datatype}")
    values = attribute.get("values", [])
    if datatype.endswith("valuelist") and not values:
        raise CatalogueError(f"{code}: atribut {attribute['code']} perlu 'values'")
    return {
        "variable": bool(attribute.get("variable", True)),
        "code": str(attribute["code"]),
        "datatype": datatype,
        "required": bool(attribute.get("required", False)),
        "datatype_description": str(attribute.get("datatype_description", "")),
        "order": int(attribute.get("order", 0)),
        "description": str(attribute.get("description", "")),
        **(
            {
                "values": [
                    {"key": str(v["key"]), "name": str(v.get("name", v["key"]))} for v in values
                ]
            }
            if values
            else {}
        ),
    }


def _service(index: int, item: Any, polres: Unit) -> Open311Service:
    if not isinstance(item, dict):
        raise CatalogueError(f"layanan #{index + 1} bukan objek JSON")
    code = str(item.get("service_code", "")).strip()
    name = str(item.get("service_name", "")).strip()
    if not code or not name:
        raise CatalogueError(f"layanan #{index + 1}: service_code dan service_name wajib")
    category = str(item.get("category", "") or "")
    if category and category not in Category.values:
        raise CatalogueError(f"{code}: kategori tidak dikenal: {category}")
    if category in RESTRICTED_CATEGORIES:
        raise CatalogueError(f"{code}: kategori terbatas tidak boleh ditawarkan lewat Open311")
    kind = str(item.get("type", "realtime"))
    if kind not in ServiceType.values:
        raise CatalogueError(f"{code}: type harus realtime, batch, atau blackbox")
    attributes = [_check_attribute(code, a) for a in item.get("attributes", []) or []]
    return Open311Service(
        polres=polres,
        service_code=code,
        service_name=name,
        description=str(item.get("description", "") or ""),
        metadata=bool(item.get("metadata", bool(attributes))),
        type=kind,
        keywords=str(item.get("keywords", "") or ""),
        group=str(item.get("group", "") or ""),
        attributes=attributes,
        category=category,
        order=index,
    )


def do_load_services(polres: Unit, items: Any) -> int:
    """Replace the Polres's catalogue with ``items`` (a JSON array of GeoReport v2 service
    objects, each optionally with its ``attributes``). All or nothing."""
    if not isinstance(items, list):
        raise CatalogueError("berkas katalog harus berisi array JSON layanan")
    services = [_service(i, item, polres) for i, item in enumerate(items)]
    codes = [s.service_code for s in services]
    if len(codes) != len(set(codes)):
        raise CatalogueError("service_code ganda dalam katalog")
    with transaction.atomic():
        Open311Service.objects.filter(polres=polres).delete()
        Open311Service.objects.bulk_create(services)
    return len(services)
