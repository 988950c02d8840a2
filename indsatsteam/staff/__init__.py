"""Staff side (consultants, managers, admins): the review queue, the application page,
reviewer assignment, assessments and the decision."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/sagsbehandling")
