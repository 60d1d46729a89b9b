"""The services a Polres offers over Open311: its non-restricted aduan categories (with a
``desa`` list and an optional time of the event as attributes), unless a catalogue was loaded
(``posko open311 services load``). Restricted categories are never offered."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from posko.aduan.models.choices import RESTRICTED_CATEGORIES, Category
from posko.open311.models import Open311Service
from posko.org.models import Unit
from posko.regions.models import Region, RegionLevel

DATATYPES = frozenset({"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"})


@dataclass
class Service:
    service_code: str
    service_name: str
    description: str = ""
    metadata: bool = False
    type: str = "realtime"
    keywords: str = ""
    group: str = ""
    category: str = ""
    attributes: list[dict[str, Any]] = field(default_factory=list)

    def as_list_item(self) -> dict[str, Any]:
        return {
            "service_code": self.service_code,
            "service_name": self.service_name,
            "description": self.description,
            "metadata": self.metadata,
            "type": self.type,
            "keywords": self.keywords,
            "group": self.group,
        }

    def definition(self) -> dict[str, Any]:
        return {"service_code": self.service_code, "attributes": self.attributes}


def _desa_values(polres: Unit) -> list[dict[str, str]]:
    if polres.region is None:
        return []
    desa = Region.objects.filter(
        level=RegionLevel.DESA, code__startswith=polres.region.code + "."
    ).order_by("name")
    return [{"key": d.code, "name": d.name} for d in desa]


def default_attributes(polres: Unit) -> list[dict[str, Any]]:
    return [
        {
            "variable": True,
            "code": "desa",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": "Kode desa/kelurahan (Kemendagri)",
            "order": 1,
            "description": "Desa/kelurahan tempat kejadian",
            "values": _desa_values(polres),
        },
        {
            "variable": True,
            "code": "waktu_kejadian",
            "datatype": "datetime",
            "required": False,
            "datatype_description": "ISO 8601 dengan zona waktu",
            "order": 2,
            "description": "Waktu kejadian",
        },
    ]


def _category_services(polres: Unit) -> list[Service]:
    attributes = default_attributes(polres)
    return [
        Service(
            service_code=str(value),
            service_name=str(label),
            description=str(label),
            metadata=True,
            keywords=str(value).replace("_", " "),
            group="Polres " + polres.code_prefix,
            category=str(value),
            attributes=attributes,
        )
        for value, label in Category.choices
        if value not in RESTRICTED_CATEGORIES
    ]


def services_of(polres: Unit) -> list[Service]:
    loaded = list(Open311Service.objects.filter(polres=polres))
    if not loaded:
        return _category_services(polres)
    return [
        Service(
            service_code=s.service_code,
            service_name=s.service_name,
            description=s.description,
            metadata=s.metadata,
            type=s.type,
            keywords=s.keywords,
            group=s.group,
            category=s.category,
            attributes=s.attributes,
        )
        for s in loaded
        if s.category not in RESTRICTED_CATEGORIES
    ]


def service_by_code(polres: Unit, code: str) -> Service | None:
    return next((s for s in services_of(polres) if s.service_code == code), None)


def service_for_aduan(services: list[Service], category: str, code: str | None) -> Service:
    """The service an aduan is listed under: the one it was filed with, else its category's."""
    for s in services:
        if code is not None and s.service_code == code:
            return s
    for s in services:
        if s.category == category:
            return s
    return Service(service_code=category, service_name=str(Category(category).label))
