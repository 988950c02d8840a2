"""The admin renames the six themes."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..forms import Form, domain_errors, render_form
from ..models import Role
from ..security import role_required
from . import services

bp = Blueprint("themes", __name__)


def themes_form_class(themes) -> type[Form]:
    """One name field per theme (the codes are fixed)."""
    fields = {
        f"name_{theme.id}": StringField(
            f"Navn på tema {number}", description=f"Kode: {theme.code}", validators=[
                DataRequired("Skriv temaets navn"),
                Length(max=100, message="Skriv højst 100 tegn")])
        for number, theme in enumerate(themes, start=1)}
    return type("ThemesForm", (Form,), fields)


@bp.route("/admin/temaer", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit():
    themes = services.themes()
    form_class = themes_form_class(themes)
    form = form_class(data={f"name_{t.id}": t.name for t in themes}) \
        if request.method == "GET" else form_class()
    if form.validate_on_submit():
        with domain_errors(form) as done:
            changed = services.rename_themes({t.id: form[f"name_{t.id}"].data for t in themes})
        if done.ok:
            flash(f"Temaerne er gemt ({changed} ændret). De nye navne vises overalt, også i "
                  f"indsendte ansøgninger og igangværende forløb.", "success")
            return redirect(url_for(".edit"))
    return render_form("themes/edit.html", form, themes=themes)
