"""The one- and two-line bars below the panes: the legend, search, the prompt and the
attribute menu (modes that take the keys while open), the link bar while a link key
chooses, the review's bar and the status bar. Each fits what it says to its width: it
shortens or wraps its words before it cuts anything an analyst needs."""
