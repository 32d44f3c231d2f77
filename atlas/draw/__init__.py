"""Draw: classes and palettes, then the picture.

``classify`` (schemes and palettes → ``Classes``), ``views`` (``ViewSpec``: everything a map needs, to and
from query parameters), ``maps`` (pydeck decks), ``mapview`` (a region view: deck, ranking, legend),
``charts`` (plotly and light HTML charts), ``compose`` (a spec + a table → what a page or handout shows),
``builder`` (the map builder's logic), ``customgeo`` (the user's own polygons), ``export`` with
``export_model``, ``export_static`` (PNG/PDF/SVG) and ``export_html`` (one offline HTML file).
``fit`` (a view fitted to the measured map width), ``labels`` (label placement without overlap), ``lens``
(lakes, city symbols, relief), ``level2map`` (the rayon choropleth), ``sparklines``, ``svgmap`` (the map
without WebGL).
"""
