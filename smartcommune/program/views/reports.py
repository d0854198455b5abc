from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from .. import access, reports, selectors
from . import commune_for, day_from, plan_day


@login_required
def progress_report(request, commune_code: str, fmt: str):
    """The programme progress report for ?on=dd/mm/yyyy (today by default), as .xlsx or PDF."""
    commune = commune_for(request, commune_code)
    access.require_budget_read(request.user, commune)  # it carries the budget
    on = plan_day(request, selectors.plan_for(commune, day_from(request)))
    if fmt == "xlsx":
        body, content_type = reports.progress_xlsx(commune, on), reports.XLSX
    elif fmt == "pdf":
        body, content_type = reports.progress_pdf(commune, on), "application/pdf"
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-tien-do-{commune.code}-{on:%Y%m%d}.{fmt}"'
    return response
