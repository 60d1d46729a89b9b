"""Free-text search of aduan: PostgreSQL full-text search (GIN index, the ``indonesian``
configuration when the server has it, else ``simple``); a plain ``icontains`` elsewhere."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Func, Q, QuerySet

from posko.aduan.codes import normalize_code
from posko.aduan.models import Aduan

PREFERRED_CONFIGS = ("indonesian", "simple")
FTS_INDEX = "aduan_text_fts"


_CONFIGS: dict[tuple[str, str], str] = {}


def _available_config(conn: BaseDatabaseWrapper) -> str:
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT cfgname FROM pg_ts_config WHERE cfgname = ANY(%s)", [list(PREFERRED_CONFIGS)]
        )
        found = {row[0] for row in cursor.fetchall()}
    return next((c for c in PREFERRED_CONFIGS if c in found), "simple")


def text_search_config(conn: BaseDatabaseWrapper | None = None) -> str:
    """'indonesian' if this PostgreSQL server has it (``pg_ts_config``), else 'simple';
    looked up once per database and process."""
    conn = conn or connection
    assert conn is not None
    key = (str(conn.settings_dict["NAME"]), str(conn.settings_dict.get("HOST", "")))
    if key not in _CONFIGS:
        _CONFIGS[key] = _available_config(conn)
    return _CONFIGS[key]


class TextVector(Func):
    """``to_tsvector('<config>'::regconfig, text)`` — exactly the GIN index's expression."""

    function = "to_tsvector"
    output_field = SearchVectorField()

    def __init__(self, expression: Any, *, config: str) -> None:
        if config not in PREFERRED_CONFIGS:
            raise ValueError(config)
        self.config = config
        super().__init__(expression)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        template = f"%(function)s('{self.config}'::regconfig, %(expressions)s)"
        return super().as_sql(compiler, connection, template=template)


def search_text(qs: QuerySet[Aduan], term: str) -> QuerySet[Aduan]:
    term = term.strip()
    if not term:
        return qs
    by_code = Q(code=normalize_code(term))
    if connection.vendor != "postgresql":
        return qs.filter(by_code | Q(text__icontains=term))
    config = text_search_config()
    return qs.annotate(fts=TextVector("text", config=config)).filter(
        by_code | Q(fts=SearchQuery(term, config=config, search_type="plain"))
    )


def create_fts_index(apps: Any, schema_editor: Any) -> None:
    """Migration step (PostgreSQL only): the GIN index that :func:`search_text` uses."""
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    config = _available_config(conn)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {FTS_INDEX} ON aduan_aduan "
        f"USING gin (to_tsvector('{config}'::regconfig, text))"
    )


def drop_fts_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {FTS_INDEX}")
