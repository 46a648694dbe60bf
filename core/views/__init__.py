"""The presentation layer: what each page shows, built by pure functions from stored frames and widget values.

A module per page, named after it (overview, weight, running, crossfit, forecast, data), whose builder
returns a frozen view object of numbers-as-text, tables and figures (cached per data version in
ui/views.py); its figures come from `charts/<page>.py`, whose builders take a `Units`. The formatting the
pages share (paces, signed changes, ages, dates, table cells) is `format.py`; small tables become Markdown
in `tables.py`; goal sentences are `goals.py`. A page imports its view module and ui/, never core.analytics
or the charts directly (tests/test_layering.py).
"""
