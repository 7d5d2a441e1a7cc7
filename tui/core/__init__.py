"""The core of Gloss: everything but the terminal. No module here imports Textual or
Rich; the app, the screens, the command line and the formats build on it.

The rooms, from the bottom up (each may import only the rooms below it, as its own
docstring says and tests/test_import_graph.py checks):

- ``language``: text rules, tokens, sentences, names, search, strings made safe to show;
- ``document``: an article, its spans and links, what a label set allows, edits as data;
- ``disk``: files on disk: reading what others give, crash-safe writes, locks, commits;
- ``attribution``: claims with who made them and where, the board's rows;
- ``counts``: the figures of a dataset, counted from an article's rows;
- ``store``: the dataset: its API, imports, the index of what every article holds;
- ``train``: a spaCy model trained from the dataset;
- ``suggest``: spans the dataset, patterns, cues and a model propose;
- ``editing``: one analyst's editing session: the open articles, keys' edits, saves;
- ``team``: several analysts: agreement, review, merge.
"""
