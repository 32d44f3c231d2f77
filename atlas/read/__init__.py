"""Read: upload bytes → a table (or GeoDataFrame) plus a report of every guess, so the page can show and undo it.

``read_upload(data, filename, options, progress) -> Upload`` is the one entry point (``read_pasted`` for a
range copied from Excel). Inside: ``safety`` (size, kind by magic bytes, zip limits), ``text`` (encodings,
separators, decimals), ``excel``, ``vector`` (GeoJSON, shapefile, GeoPackage), ``clean`` (numbers, totals and
notes rows), ``roles`` (which column is the region, code, coordinates, year, values), ``model`` (the result
types). Public: ``read_upload``, ``read_pasted``, ``ReadOptions``, ``Upload``, ``ReadReport``, ``Guess``,
``ColumnRoles``, ``detect_roles``, ``years_of``, ``to_number``, ``detect_encoding``, ``guess_separator``,
``guess_header``, ``guess_decimal``, ``vector_points``, ``is_point_layer``, ``codes_at`` (points → unit
keys at level 1 or 2). Workbooks of every kind (``excel`` .xlsx, ``xls``, ``ods``) and JSON tables
(``jsontable``) share one grid → table path; ``labels`` takes footnote marks off names, ``sections``
unfolds region headings above blocks of rows.
"""

from atlas.read.clean import to_number
from atlas.read.locate import LEVELS, codes_at, is_point_layer
from atlas.read.model import ColumnRoles, Guess, ReadOptions, ReadReport, Upload
from atlas.read.roles import detect_roles, years_of
from atlas.read.text import detect_encoding, guess_decimal, guess_header, guess_separator
from atlas.read.upload import read_pasted, read_upload
from atlas.read.vector import vector_points

__all__ = [
    "LEVELS",
    "ColumnRoles",
    "Guess",
    "ReadOptions",
    "ReadReport",
    "Upload",
    "detect_encoding",
    "codes_at",
    "detect_roles",
    "is_point_layer",
    "guess_decimal",
    "guess_header",
    "guess_separator",
    "read_pasted",
    "read_upload",
    "to_number",
    "vector_points",
    "years_of",
]
