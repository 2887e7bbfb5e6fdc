"""Text written into HTML built as plain strings (the rows and fields drawn in Python rather than by a
template): escaped as the template's `{{ value }}` escapes it, character for character."""

import html

from django.utils.functional import Promise


def escaped(value):
    """`value` as HTML: what declares itself HTML (a SafeString, `__html__`) as it is, anything else escaped as
    django.utils.html.escape writes it. What `conditional_escape` returns, as a plain str: without its
    SafeString per call, which the strings joined around it do not need."""
    if type(value) is str:  # most cells: the shortest way
        return html.escape(value)
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
