"""Keep: everything the app saves, behind one ``Store`` (a SQLite file by default, PostgreSQL by URL).

``get_store(url=None, path=None) -> Store``. The store is split by what it keeps: ``reports`` (monitoring
reports; the report itself is ``atlas.ogp.reports``), ``reference`` (versions of the OGP commitments table),
``views`` (saved views, stories, the gallery); ``schema`` and ``migrations`` describe and upgrade the tables,
``engine`` opens SQLite or PostgreSQL. Public: ``Store``, ``get_store``, ``SavedView``, ``Story``,
``ReferenceVersion``, ``default_sqlite_path``, ``normalise_url``.
"""

from atlas.keep.engine import default_sqlite_path, normalise_url
from atlas.keep.reference import ReferenceVersion
from atlas.keep.store import Store, get_store
from atlas.keep.views import SavedView, Story

__all__ = ["ReferenceVersion", "SavedView", "Store", "Story", "default_sqlite_path", "get_store", "normalise_url"]
