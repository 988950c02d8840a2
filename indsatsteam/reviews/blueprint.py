"""The staff side of the reviews (consultants, managers, admins): the review queue, the
application page, reviewer assignment, assessments and the decision. The blueprint keeps
its name "staff" (endpoints staff.*) and its URLs under /sagsbehandling."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/sagsbehandling")
