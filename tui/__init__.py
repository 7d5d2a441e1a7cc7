"""Gloss: read and annotate news articles in the terminal."""
