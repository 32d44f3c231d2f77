"""OGP: the National Action Plan 2018-2020 and its civil-society monitoring.

``commitments`` (the reference table: load, validate, version; its API is re-exported here, so
``ogp.bundled_commitments()`` reads as before), ``reports`` (what a monitoring report is: fields,
validation, statistics, samples), ``monitoring`` (explorer filters, dashboard tables and charts), ``facts``
(headline facts with their sources and gaps).
``statistics`` (official series linked to a commitment), ``register`` and ``register_stats`` (the NGO
activity register: entries, validation, themes, counts per unit, gaps, exports).
"""

from atlas.ogp.commitments import (
    COLUMNS,
    KNOWN_HIGHEST,
    MAX_BYTES,
    NOT_IN_DATA,
    TRANSLATIONS_FILE,
    CommitmentsInvalid,
    active_commitments,
    bundled_commitments,
    bundled_csv,
    known_ids,
    localised,
    missing_ids,
    parse_commitments,
    upload_commitments,
    with_missing,
)

__all__ = [
    "COLUMNS",
    "KNOWN_HIGHEST",
    "MAX_BYTES",
    "NOT_IN_DATA",
    "TRANSLATIONS_FILE",
    "CommitmentsInvalid",
    "active_commitments",
    "bundled_commitments",
    "bundled_csv",
    "known_ids",
    "localised",
    "missing_ids",
    "parse_commitments",
    "upload_commitments",
    "with_missing",
]
