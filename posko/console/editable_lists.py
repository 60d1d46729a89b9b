"""One shape for the console's small editable lists (canned replies, macros): the list, a form
to add or edit one item, admins alone may save. The view supplies the form and the action."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise

from posko.console.views import forbidden

StrOrPromise = str | Promise


@dataclass(frozen=True)
class EditableList:
    template: str
    list_url: str
    denied: StrOrPromise
    saved: StrOrPromise
    error: type[Exception]


def edit_list_page(
    request: HttpRequest,
    page: EditableList,
    *,
    form: forms.Form,
    save: Callable[[dict[str, Any]], object],
    may_edit: bool,
    items: Iterable[Any],
    editing: Any,
) -> HttpResponse:
    """GET shows the list and the form; POST saves through `save` (the domain's action) and
    redirects, or shows the form again with the action's refusal (400)."""
    if request.method == "POST":
        if not may_edit:
            return forbidden(request, page.denied)
        if form.is_valid():
            try:
                save(form.cleaned_data)
                messages.success(request, str(page.saved))
                return redirect(page.list_url)
            except page.error as exc:
                form.add_error(None, str(exc))
    context = {"items": items, "form": form, "editing": editing, "may_edit": may_edit}
    return render(request, page.template, context, status=400 if form.errors else 200)
