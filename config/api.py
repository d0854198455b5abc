"""The JSON API: one NinjaAPI at /api/v1/, one router per app, one shape for every error.

Errors always look like {"detail": "<message>", "errors": [{"field": ..., "message": ...}]}.
Browsers authenticate with their session (CSRF checked); other systems with a personal token:
`Authorization: Bearer <token>`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaError
from ninja.security import HttpBearer, django_auth

from smartcommune.accounts import services as account_services


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = account_services.token_authenticate(token)
        if user is not None:
            request.user = user
        return user


def anonymous(request):
    return True  # public endpoints still recognise a token or session, to show staff more


token_auth = TokenAuth()
# Endpoints that need a signed-in user accept either way of signing in.
AUTH = [token_auth, django_auth]
# Public endpoints: anyone, but a signed-in caller is recognised.
OPTIONAL_AUTH = [token_auth, django_auth, anonymous]

api = NinjaAPI(
    title="Xã thông minh API",
    version="1",
    description="Open API of the Xã thông minh platform: places, registries and the programme's data.",
    urls_namespace="api",
    docs_url="/docs",
)


def error_body(detail: str, errors: list[dict] | None = None) -> dict:
    return {"detail": detail, "errors": errors or []}


def validation_errors(error: ValidationError) -> list[dict]:
    if hasattr(error, "error_dict"):
        return [{"field": field, "message": str(m)} for field, items in error.message_dict.items() for m in items]
    return [{"field": None, "message": str(m)} for m in error.messages]


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    errors = validation_errors(exc)
    return api.create_response(
        request, error_body(errors[0]["message"] if errors else _("Invalid data."), errors), status=400
    )


def _field_path(loc: list) -> str | None:
    # ("body", "payload", "code") -> "code"; ("query", "page") -> "page"
    parts = loc[2:] if loc[:1] == ["body"] or loc[:1] == ("body",) else loc[1:]
    return ".".join(str(p) for p in parts) or None


@api.exception_handler(SchemaError)
def on_schema_error(request, exc):
    errors = [{"field": _field_path(e.get("loc", [])), "message": e.get("msg", "")} for e in exc.errors]
    return api.create_response(request, error_body(_("The request is not valid."), errors), status=422)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return api.create_response(request, error_body(str(exc) or _("You do not have permission.")), status=403)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, error_body(_("Sign in or send a valid API token.")), status=401)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, error_body(_("Not found.")), status=404)


def _register_routers() -> None:
    from smartcommune.accounts.api import router as accounts_router
    from smartcommune.criteria.api import router as criteria_router
    from smartcommune.farming.api import router as farming_router
    from smartcommune.feedback.api import router as feedback_router
    from smartcommune.market.api import router as market_router
    from smartcommune.places.api import router as places_router
    from smartcommune.portal.api import router as portal_router
    from smartcommune.program.api import router as program_router
    from smartcommune.registry.api import router as registry_router
    from smartcommune.surveys.api import router as surveys_router
    from smartcommune.trace.api import router as trace_router

    api.add_router("/accounts/", accounts_router)
    api.add_router("/places/", places_router)
    api.add_router("/registry/", registry_router)
    api.add_router("/criteria/", criteria_router)
    api.add_router("/surveys/", surveys_router)
    api.add_router("/feedback/", feedback_router)
    api.add_router("/farming/", farming_router)
    api.add_router("/trace/", trace_router)
    api.add_router("/market/", market_router)
    api.add_router("/program/", program_router)
    api.add_router("/open-data/", portal_router)


_register_routers()
