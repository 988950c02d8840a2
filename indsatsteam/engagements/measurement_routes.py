"""Staff side of documented effect: the indicators of the samarbejdsaftale, the end
measurement, the follow-up and the tilbud's rating of the four benefits (the pages are shared
with the portal: measurements/page_routes.py)."""

from __future__ import annotations

from flask_login import current_user

from ..access import get_engagement_for
from ..domain.expectations import Side
from ..domain.indicators import MeasurementStage
from ..measurements.page_routes import baseline_page, benefits_page, measurement_page
from ..security import role_required
from .routes import STAFF, bp

BACK = {"view_endpoint": "engagements.view", "back_text": "Tilbage til forløbet"}


@bp.route("/<int:engagement_id>/indikatorer", methods=["GET", "POST"])
@role_required(*STAFF)
def indicators(engagement_id: int):
    return baseline_page(get_engagement_for(current_user, engagement_id), Side.TEAM, **BACK)


@bp.route("/<int:engagement_id>/slutmaaling", methods=["GET", "POST"])
@role_required(*STAFF)
def end_measurement(engagement_id: int):
    return measurement_page(get_engagement_for(current_user, engagement_id), Side.TEAM,
                            MeasurementStage.END, **BACK)


@bp.route("/<int:engagement_id>/opfoelgning", methods=["GET", "POST"])
@role_required(*STAFF)
def follow_up(engagement_id: int):
    return measurement_page(get_engagement_for(current_user, engagement_id), Side.TEAM,
                            MeasurementStage.FOLLOW_UP, **BACK)


@bp.route("/<int:engagement_id>/udbytte", methods=["GET", "POST"])
@role_required(*STAFF)
def benefits(engagement_id: int):
    return benefits_page(get_engagement_for(current_user, engagement_id), Side.TEAM, **BACK)
