"""Document: what an article is while it is worked on: its spans, links and
attributes and the offset rules they obey (``model``), what a label set allows
(``schema``), edits as data with their inverses and their history, canonical actors,
suggestions and rejections as data, and how two sets of spans match (``span_match``).

May import: tui.core.language.
"""
