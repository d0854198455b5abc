"""Uploaded files, served by Django with a rule per folder, in production as in development.

Each part registers the folders its models upload to (`upload_to`) in AppConfig.ready():

    media.register("trace/products/", media.PUBLIC)                       # product photos: anyone
    media.register("imports/", scoping.file_rule(ImportJob, "file", roles=IMPORTERS))  # staff of its commune

A file under no registered folder, or one the rule refuses, is a 404 (not a 403: a file's existence is
not told to whoever may not read it). Public files are cacheable by browsers and proxies; the others are
`private, no-store`. Behind a web server, X-Accel-Redirect / X-Sendfile could replace the streaming here
without changing any rule.
"""

import mimetypes
import posixpath
from collections.abc import Callable

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

Rule = Callable[[object, str], bool]  # (user, file name) -> may read


def PUBLIC(user, name: str) -> bool:
    return True


_rules: dict[str, Rule] = {}
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"}


def register(prefix: str, rule: Rule) -> None:
    if not prefix.endswith("/"):
        raise ValueError("A media folder ends with '/'.")
    _rules[prefix] = rule


def rule_for(name: str) -> tuple[Rule | None, bool]:
    """The rule of the longest registered folder holding `name`, and whether it is PUBLIC."""
    matches = [prefix for prefix in _rules if name.startswith(prefix)]
    if not matches:
        return None, False
    rule = _rules[max(matches, key=len)]
    return rule, rule is PUBLIC


def serve(request, name: str):
    clean = posixpath.normpath(name).lstrip("/")
    if clean != name or clean.startswith(".."):
        raise Http404
    rule, public = rule_for(clean)
    if rule is None or not rule(request.user, clean) or not default_storage.exists(clean):
        raise Http404
    content_type = mimetypes.guess_type(clean)[0] or "application/octet-stream"
    response = FileResponse(
        default_storage.open(clean, "rb"),
        content_type=content_type,
        as_attachment=content_type not in INLINE_TYPES,
        filename=posixpath.basename(clean),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
    return response
