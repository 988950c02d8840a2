"""The dashboards blueprint. Its views live in routes.py and list_routes.py; routes.py
imports both, so create_app needs only `dashboards.routes`."""

from flask import Blueprint

bp = Blueprint("dashboards", __name__)
