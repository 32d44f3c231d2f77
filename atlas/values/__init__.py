"""Values: numbers per unit, ready to classify.

``indicators`` (aggregation and normalisation registries: sum/mean/…, per 10,000 people, per 1,000 km²,
share), ``datasets`` (the built-in datasets and ``DatasetTable``), ``userdata`` (an upload plus the user's
choices and fixes → a ``DatasetTable``), ``official`` (the National Statistical Committee's SDG indicators
by region: catalogue, values, time series, change since a year, links to OGP commitments) and ``cli`` (the
``indicators`` command).
``official_table`` (an official series as a dataset), ``levels`` (level-2 values, roll-up to oblasts where a
sum allows it, elevation indicators), ``breakdowns`` (the filter step for long tables).
"""
