"""The presentation layer: what each page shows, built by pure functions from stored frames and widget values.

A module per page, named after it (overview, weight, running, crossfit, forecast, data), whose builder
returns a frozen view object of numbers-as-text, tables and figures (cached per data version in
ui/views.py); its figures come from `charts/<page>.py`, every builder taking a `Units`. Text is made from
values only in `format.py` (numbers, paces, signed changes, ages, dates); small tables as Markdown in
`tables.py`. A page imports its view module and ui/, never core.analytics or the charts directly.
"""
