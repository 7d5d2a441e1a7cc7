"""The article view and what it stands on: wrapping the text into rows (``article_layout``;
what each paragraph's clusters are and draw as, ``paragraph``), drawing a row
(``article_paint``), the cursor and selection (``caret``, ``moves``), the mouse
(``article_mouse``) and the marks of a claim's links (``link_marks``). It reads the
article's model and draws; it never edits."""
