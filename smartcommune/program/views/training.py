from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcommune.core.forms import apply_errors

from .. import access, selectors
from ..forms import AttendanceForm, MaterialForm, OutreachForm, TrainingClassForm
from ..models import Audience, Channel, OutreachActivity, Topic, TrainingClass
from ..services import training as services
from . import commune_for, year_from


@login_required
def class_list(request, commune_code: str):
    commune = commune_for(request, commune_code)
    year = year_from(request, timezone.localdate().year)
    totals = selectors.training_totals(commune, year)
    classes = (
        TrainingClass.objects.filter(commune=commune, held_on__year=year)
        .select_related("village")
        .annotate(people=Sum("attendance__participants"))
    )
    return render(
        request,
        "program/training.html",
        {
            "commune": commune,
            "year": year,
            "years": range(year - 2, year + 2),
            "classes": classes,
            "totals": totals,
            "topics": [(label, totals.by_topic.get(value, 0)) for value, label in Topic.choices],
            "audiences": [(label, totals.by_audience.get(value, 0)) for value, label in Audience.choices],
            "channels": [(label, totals.by_channel.get(value, 0)) for value, label in Channel.choices],
            "can_manage": access.can_manage(request.user, commune),
        },
    )


def _class(commune, class_id: int) -> TrainingClass:
    return get_object_or_404(TrainingClass.objects.select_related("village", "task"), pk=class_id, commune=commune)


def _class_page(request, commune, training_class, *, attendance_form=None, material_form=None, status=200):
    rows = training_class.attendance.select_related("household__village", "organisation").order_by("pk")
    return render(
        request,
        "program/class_detail.html",
        {
            "commune": commune,
            "training_class": training_class,
            "rows": rows,
            "participants": sum(r.participants for r in rows),
            "materials": training_class.materials.all(),
            "attendance_form": attendance_form or AttendanceForm(commune=commune),
            "material_form": material_form or MaterialForm(),
            "can_manage": access.can_manage(request.user, commune),
        },
        status=status,
    )


@login_required
def class_detail(request, commune_code: str, class_id: int):
    commune = commune_for(request, commune_code)
    return _class_page(request, commune, _class(commune, class_id))


@login_required
def class_edit(request, commune_code: str, class_id: int | None = None):
    commune = commune_for(request, commune_code)
    access.require_manage(request.user, commune)
    training_class = _class(commune, class_id) if class_id else TrainingClass(commune=commune, created_by=request.user)
    form = TrainingClassForm(request.POST or None, instance=training_class, commune=commune)
    if request.method == "POST" and form.is_valid():
        try:
            training_class = services.class_save(training_class=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The class was saved."))
            return redirect("program:class", commune.code, training_class.pk)
    return render(
        request,
        "program/form.html",
        {"commune": commune, "form": form, "title": _("Training class")},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def attendance_add(request, commune_code: str, class_id: int):
    commune = commune_for(request, commune_code)
    access.require_manage(request.user, commune)
    training_class = _class(commune, class_id)
    form = AttendanceForm(request.POST, commune=commune)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.attendance_record(
                training_class=training_class,
                household=data["household_code"],
                organisation=data["organisation"],
                group_name=data["group_name"],
                participants=data["participants"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The attendance was recorded."))
            return redirect("program:class", commune.code, training_class.pk)
    return _class_page(request, commune, training_class, attendance_form=form, status=400)


@login_required
@require_POST
def material_add(request, commune_code: str, class_id: int):
    commune = commune_for(request, commune_code)
    access.require_manage(request.user, commune)
    training_class = _class(commune, class_id)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.material_add(training_class=training_class, upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The material was added."))
            return redirect("program:class", commune.code, training_class.pk)
    return _class_page(request, commune, training_class, material_form=form, status=400)


@login_required
def outreach(request, commune_code: str):
    commune = commune_for(request, commune_code)
    year = year_from(request, timezone.localdate().year)
    form = OutreachForm(
        request.POST or None,
        instance=OutreachActivity(commune=commune, created_by=request.user),
        commune=commune,
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST":
        access.require_manage(request.user, commune)
        if form.is_valid():
            try:
                services.outreach_save(activity=form.save(commit=False))
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The outreach activity was recorded."))
                return redirect("program:outreach", commune.code)
    activities = OutreachActivity.objects.filter(commune=commune, held_on__year=year).select_related("village")
    return render(
        request,
        "program/outreach.html",
        {
            "commune": commune,
            "year": year,
            "activities": activities,
            "totals": selectors.training_totals(commune, year),
            "form": form,
            "can_manage": access.can_manage(request.user, commune),
        },
        status=400 if form.errors else 200,
    )
