"""Places: which units exist and how every name and code for them resolves to one key.

``gazetteer`` (the 9 units keyed by ISO 3166-2 code, names in ky/ru/en, population, area, aliases),
``regions`` (matching names and codes in any language and spelling: ``match``, ``match_code``,
``detect_region_column``, ``is_total``), ``points`` (which unit a longitude/latitude lies in), ``geo``
(the bundled boundary files), ``units`` (both levels from OCHA COD-AB: the 55 level-2 units, their
parents and spellings, lakes, relief and elevation per unit and per point).
``rayons`` matches names and codes at level 2 (rayons and towns, by p-code; an oblast column settles
names shared across oblasts).
The walk starts here: reading a table already needs to know what a region name looks like.
"""
