"""Form widgets that render the same HTML as Django's, faster."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, Any]) -> SafeString:
    """Django's ``django/forms/widgets/attrs.html``: False drops, True is a bare name."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(" {}", name)
                if value is True
                else format_html(' {}="{}"', name, f"{value}"),
            )
            for name, value in attrs.items()
            if value is not False
        ),
    )


class FastSelect(forms.Select):
    """A ``<select>`` whose options are built in Python (escaped by ``format_html``) instead
    of one template include per option: byte for byte what ``forms.Select`` renders (each
    option keeps the newline that ends Django's ``select_option.html``), at a fraction of
    the cost for a picker with a hundred desa."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [
            format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))
        ]
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    f"{option['value']}",
                    _attrs(option["attrs"]),
                    option["label"],
                )
                for option in group_choices
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part above is format_html-escaped
