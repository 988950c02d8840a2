"""The upload form (one file and its description) and the delete button."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from ..domain.files import ACCEPT
from ..forms import Form
from .services import MAX_DESCRIPTION


class UploadForm(Form):
    file = FileField("Fil", render_kw={"accept": ACCEPT, "data-upload-file": True})
    description = StringField(
        "Kort beskrivelse",
        validators=[InputRequired("Skriv en kort beskrivelse af filen"),
                    Length(max=MAX_DESCRIPTION,
                           message=f"Beskrivelsen må højst være {MAX_DESCRIPTION} tegn")])


class DeleteForm(Form):
    pass
