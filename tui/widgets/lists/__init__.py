"""The Line API lists: the library's and the pickers' articles (``article_list``, with its
filter in ``article_table``), an article's spans (``span_list``) and the claims board's rows
(``board_list``). Only the rows on screen are drawn; choosing a row posts the list's own
``Chosen`` message."""
