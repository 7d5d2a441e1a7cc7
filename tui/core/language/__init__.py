"""Language: the rules of English news text Gloss uses everywhere: normalisation,
graphemes and words (``text``), tokens as spaCy makes them (``tokens``), sentences,
names with their titles and places (``names``), search as the analyst types it, and
strings from files made safe for one line of a terminal (``visible``).

May import: nothing else in tui.core.
"""
