"""Bounds on what an aduan may hold, checked once at intake for every entry point (portal,
console, API, channels, Open311): a value outside them is refused with a clear message
instead of being stored and breaking later reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils import timezone

# Coordinates are kept with 6 decimals (about 11 cm).
COORDINATE_PLACES = Decimal("0.000001")
# A report cannot come from before the service existed or from the future (small clock skew
# of a phone or a platform allowed).
EARLIEST_RECEIVED = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_SKEW = timedelta(hours=1)


class InvalidAduanInput(ValueError):
    """Input that an aduan cannot hold; the message is Indonesian, for the caller to show."""


def _coordinate(value: Decimal | float | str | None, limit: int, name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidAduanInput(f"{name} bukan angka") from exc
    if not number.is_finite() or not -limit <= number <= limit:
        raise InvalidAduanInput(f"{name} harus di antara -{limit} dan {limit}")
    return number.quantize(COORDINATE_PLACES)


def clean_coordinates(
    latitude: Decimal | float | str | None, longitude: Decimal | float | str | None
) -> tuple[Decimal | None, Decimal | None]:
    """Both coordinates within range, rounded to the stored precision; or neither."""
    lat = _coordinate(latitude, 90, "lintang (latitude)")
    lon = _coordinate(longitude, 180, "bujur (longitude)")
    if (lat is None) != (lon is None):
        raise InvalidAduanInput("lintang dan bujur harus diisi berdua")
    return lat, lon


def clean_received_at(value: datetime | None) -> datetime:
    """When the report was received: now when not given; never the far past or the future."""
    now = timezone.now()
    if value is None:
        return now
    if timezone.is_naive(value):
        raise InvalidAduanInput("waktu diterima harus memuat zona waktu")
    if value < EARLIEST_RECEIVED or value > now + FUTURE_SKEW:
        raise InvalidAduanInput("waktu diterima tidak masuk akal (sebelum 2000 atau di masa depan)")
    return value
