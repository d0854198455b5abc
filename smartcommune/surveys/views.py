from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from smartcommune.accounts import scoping
from smartcommune.core.forms import apply_errors
from smartcommune.core.history import history_of
from smartcommune.places.models import Commune
from smartcommune.places.shortcuts import commune_or_404
from smartcommune.registry.models import Household

from . import access, codes, reports, selectors, services, throttle, xlsform
from .forms import CampaignCreateForm, CampaignForm, CodeForm, QuestionForm, XlsFormImportForm
from .models import Answer, Campaign, Question, Response, SlipBatch

XLSX = reports.XLSX


# Public pages: answering with a slip code ---------------------------------------------------------


@dataclass
class Field:
    """One question as the answer page shows it, with what was typed and what was wrong."""

    question: Question
    number: int
    value: str = ""
    values: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    condition: str = ""

    @property
    def html_name(self) -> str:
        return f"a_{self.question.name}"


def _fields(questions: list[Question], data=None, errors: dict | None = None) -> list[Field]:
    errors = errors or {}
    numbers, fields, number = {}, [], 0
    by_pk = {question.pk: question for question in questions}  # options already prefetched on these
    for question in questions:
        if question.takes_answer:
            number += 1
            numbers[question.pk] = number
        item = Field(question, numbers.get(question.pk, 0), errors=errors.get(question.name, []))
        if data is not None:
            item.values = data.getlist(item.html_name)
            item.value = item.values[-1] if item.values else ""
        source = by_pk.get(question.show_if_question_id) if question.show_if_question_id else None
        if source is not None:
            label = next(
                (o.label for o in source.options.all() if o.value == question.show_if_value), question.show_if_value
            )
            item.condition = _("Answer only if your answer to question %(number)s was “%(answer)s”.") % {
                "number": numbers.get(source.pk, "?"),
                "answer": label,
            }
        fields.append(item)
    return fields


def _posted_answers(request) -> dict:
    answers = {}
    for key in request.POST:
        if key.startswith("a_"):
            values = request.POST.getlist(key)
            answers[key[2:]] = values if len(values) != 1 else values[0]
    return answers


def _multiple_names(questions: list[Question]) -> set[str]:
    return {q.name for q in questions if q.kind == Question.Kind.MULTIPLE}


def _normalise_multiple(answers: dict, questions: list[Question]) -> dict:
    for name in _multiple_names(questions) & set(answers):
        if not isinstance(answers[name], list):
            answers[name] = [answers[name]]
    return answers


def _too_many(request) -> HttpResponse | None:
    """HTTP 429 with a clear message when one address sends too much (flooding, or guessing codes)."""
    wait = throttle.refused(request)
    if wait is None:
        return None
    response = render(
        request,
        "surveys/public/problem.html",
        {"title": _("Too many attempts"), "message": throttle.message()},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


PROBLEM_STATUS = {"wrong": 400, "used": 409, "not_open": 403, "closed": 410, "village": 403}


def _problem(request, problem: ValidationError, *, form=None) -> HttpResponse:
    reason = getattr(problem, "reason", getattr(problem, "code", ""))
    if reason == "wrong":
        throttle.wrong_code(request)
    titles = {
        "wrong": _("The code is not right"),
        "used": _("This code has already been used"),
        "not_open": _("The survey is not open yet"),
        "closed": _("The survey is closed"),
    }
    return render(
        request,
        "surveys/public/problem.html",
        {
            "title": titles.get(reason, _("The answer cannot be received")),
            "message": " ".join(problem.messages),
            "campaign": getattr(problem, "campaign", None),
            "form": form or CodeForm(),
            "retry": reason == "wrong",
        },
        status=PROBLEM_STATUS.get(reason, 400),
    )


@never_cache
def answer(request):
    """The household's page: type or scan a code, answer, send. No account, no script needed."""
    if request.method == "POST":
        limited = _too_many(request)
        if limited:
            return limited
        code = request.POST.get("ma", "")
        try:
            slip = services.slip_find(code)
        except services.CodeProblem as problem:
            return _problem(request, problem)
        questions = services.questions_of(slip.campaign)
        answers = _normalise_multiple(_posted_answers(request), questions)
        try:
            response = services.response_store(
                slip=slip, answers=answers, channel=Response.Channel.ONLINE, questions=questions
            )
        except services.CodeProblem as problem:
            return _problem(request, problem)
        except ValidationError as error:
            return _answer_form(request, slip, questions, errors=error.message_dict, data=request.POST, status=400)
        return redirect(
            f"{reverse('surveys:thanks', args=[response.campaign_id])}?ngay={response.submitted_on:%Y-%m-%d}"
        )
    if "ma" not in request.GET:
        return render(request, "surveys/public/code.html", {"form": CodeForm()})
    limited = _too_many(request)
    if limited:
        return limited
    form = CodeForm(request.GET)
    if not form.is_valid():
        return render(request, "surveys/public/code.html", {"form": form}, status=400)
    try:
        slip = services.slip_find(form.cleaned_data["ma"])
    except services.CodeProblem as problem:
        return _problem(request, problem, form=form)
    return _answer_form(request, slip, services.questions_of(slip.campaign))


def _answer_form(request, slip, questions, *, errors=None, data=None, status=200, paper=False, action=""):
    code = codes.normalize(request.POST.get("ma") or request.GET.get("ma", "")) or ""
    general = (errors or {}).get("__all__", [])
    return render(
        request,
        "surveys/public/answer.html" if not paper else "surveys/paper_form.html",
        {
            "campaign": slip.campaign,
            "village": slip.village,
            "code": code,
            "code_display": codes.display(code) if code else "",
            "fields": _fields(questions, data, errors),
            "errors": errors or {},
            "general_errors": general,
            "error_count": sum(len(v) for v in (errors or {}).values()),
            "action": action,
            # A blank form of final questions is the same for every household: its HTML is cached.
            "cache_form": data is None and not errors and services.questions_frozen(slip.campaign),
        },
        status=status,
    )


def thanks(request, campaign_id: int):
    campaign = get_object_or_404(Campaign.objects.select_related("commune"), pk=campaign_id)
    day = request.GET.get("ngay", "")
    try:
        received = datetime.strptime(day, "%Y-%m-%d").date()
    except ValueError:
        received = timezone.localdate()
    return render(request, "surveys/public/thanks.html", {"campaign": campaign, "received": received})


def public_summary(request, campaign_id: int):
    campaign = get_object_or_404(Campaign.objects.select_related("commune"), pk=campaign_id)
    summary = selectors.published_summary(campaign)
    if summary is None:
        raise Http404
    return render(request, "surveys/public/summary.html", {"summary": summary, "campaign": campaign})


# Staff pages --------------------------------------------------------------------------------------


def _campaign(request, commune: Commune, campaign_id: int, *, manage: bool = False) -> Campaign:
    campaign = get_object_or_404(access.campaigns_for(request.user, commune).select_related("commune"), pk=campaign_id)
    if manage:
        access.require_manager(request.user, campaign)
    return campaign


@login_required
def campaign_list(request, commune_code: str):
    commune = commune_or_404(commune_code)
    campaigns = access.campaigns_for(request.user, commune).select_related("criteria_set")
    kinds = [k for k in Campaign.Kind.values if access.can_create(request.user, commune, k)]
    return render(
        request,
        "surveys/campaign_list.html",
        {
            "commune": commune,
            "campaigns": campaigns,
            "can_create": bool(kinds),
            "can_work": access.worker_villages(request.user, commune).exists(),
        },
    )


@login_required
def campaign_create(request, commune_code: str):
    commune = commune_or_404(commune_code)
    scoping.require_role(request.user, commune, *access.GENERAL_MANAGERS)
    kinds = [k for k in Campaign.Kind.values if access.can_create(request.user, commune, k)]
    if not kinds:
        raise PermissionDenied(_("Your role does not allow creating surveys."))
    today = timezone.localdate()
    initial = {
        "opens_on": today,
        "closes_on": today + timedelta(days=30),
        "legal_basis": _(
            "Guidance 78/HD-MTTW-BTT of 24/04/2017 of the Standing Board of the Central Committee of the Vietnam Fatherland Front"
        ),
        "criteria_set": _default_set(),
    }
    form = CampaignCreateForm(request.POST or None, initial=initial, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                commune=commune,
                kind=data["kind"],
                title=data["title"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                legal_basis=data["legal_basis"],
                introduction=data["introduction"],
                criteria_set=data.get("criteria_set"),
                thresholds={
                    k: data[k] for k in ("overall_threshold", "item_threshold", "coverage_threshold", "min_group_size")
                },
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The survey was created as a draft: check the questions, then open it."))
            return redirect("surveys:campaign", commune.code, campaign.pk)
    return render(
        request,
        "surveys/campaign_form.html",
        {"commune": commune, "form": form, "campaign": None},
        status=400 if form.errors else 200,
    )


def _default_set():
    from smartcommune.criteria.models import CriteriaSet

    return CriteriaSet.objects.filter(code="qd318-xa-ntm").first()


@login_required
def campaign_detail(request, commune_code: str, campaign_id: int):
    commune = commune_or_404(commune_code)
    campaign = _campaign(request, commune, campaign_id)
    questions = selectors.questions(campaign)
    return render(
        request,
        "surveys/campaign_detail.html",
        {
            "commune": commune,
            "campaign": campaign,
            "questions": questions,
            "can_manage": access.can_manage(request.user, campaign),
            "can_work": access.worker_villages(request.user, commune).exists(),
            "has_answers": services.has_answers(campaign),
            "responses": campaign.responses.count(),
            "slips": campaign.slips.count(),
            "changes": history_of(campaign),
        },
    )


@login_required
def campaign_edit(request, commune_code: str, campaign_id: int):
    commune = commune_or_404(commune_code)
    campaign = _campaign(request, commune, campaign_id, manage=True)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.fields}
        campaign = Campaign.objects.get(pk=campaign.pk)  # the form changed the instance already
        try:
            services.campaign_update(campaign=campaign, by=request.user, **values)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The survey was saved."))
            return redirect("surveys:campaign", commune.code, campaign.pk)
    return render(
        request,
        "surveys/campaign_form.html",
        {"commune": commune, "form": form, "campaign": campaign},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def campaign_action(request, commune_code: str, campaign_id: int, action: str):
    commune = commune_or_404(commune_code)
    campaign = _campaign(request, commune, campaign_id, manage=True)
    done = {
        "open": _("The survey is open: households can answer with their slips."),
        "close": _("The survey is closed."),
        "publish": _("The summary is published on the public site."),
        "unpublish": _("The summary is no longer public."),
        "delete": _("The draft was deleted."),
    }
    if action not in done:
        raise Http404
    try:
        if action == "open":
            services.campaign_open(campaign=campaign, by=request.user)
        elif action == "close":
            services.campaign_close(campaign=campaign, by=request.user)
        elif action in ("publish", "unpublish"):
            services.campaign_publish(campaign=campaign, by=request.user, publish=action == "publish")
        else:
            services.campaign_delete(campaign=campaign)
            messages.success(request, done[action])
            return redirect("surveys:campaigns", commune.code)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done[action])
    return redirect("surveys:campaign", commune.code, campaign.pk)


@login_required
def question_edit(request, commune_code: str, campaign_id: int, question_id: int | None = None):
    commune = commune_or_404(commune_code)
    campaign = _campaign(request, commune, campaign_id, manage=True)
    question = (
        get_object_or_404(Question, pk=question_id, campaign=campaign) if question_id else Question(campaign=campaign)
    )
    form = QuestionForm(request.POST or None, instance=question, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(
                question=form.save(commit=False), options=form.cleaned_data["options"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The question was saved."))
            return redirect("surveys:campaign", commune.code, campaign.pk)
    return render(
        request,
        "surveys/question_form.html",
        {"commune": commune, "campaign": campaign, "question": question, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def question_action(request, commune_code: str, campaign_id: int, question_id: int, action: str):
    commune = commune_or_404(commune_code)
    campaign = _campaign(request, commune, campaign_id, manage=True)
    question = get_object_or_404(Question, pk=question_id, campaign=campaign)
    try:
        if action == "delete":
            services.question_delete(question=question)
            messages.success(request, _("The question was deleted."))
        elif action in ("up", "down"):
            services.question_move(question=question, step=-1 if action == "up" else 1)
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(f"{reverse('surveys:campaign', args=[commune.code, campaign.pk])}#questions")


@login_required
def preview(request, commune_code: str, campaign_id: int):
    commune = commune_or_404(commune_code)
    campaign = _campaign(request, commune, campaign_id)
    return render(
        request,
        "surveys/preview.html",
        {"commune": commune, "campaign": campaign, "fields": _fields(selectors.questions(campaign))},
    )


# Slips and paper forms ----------------------------------------------------------------------------


@login_required
def slips(request, commune_code: str, campaign_id: int):
    commune = commune_or_404(commune_code)
    campaign = _campaign(request, commune, campaign_id)
    villages = access.require_worker(request.user, commune)
    if request.method == "POST":
        village = get_object_or_404(villages, pk=request.POST.get("village"))
        try:
            issued = services.slips_issue(campaign=campaign, village=village, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("surveys:slips", commune.code, campaign.pk)
        response = HttpResponse(reports.slips_pdf(campaign, issued), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="phieu-khao-sat-{campaign.pk}-{village.code}.pdf"'
        response["Cache-Control"] = "no-store"  # the only copy of the codes: never kept by a cache
        return response
    counts = services.slip_counts(campaign)
    households = dict(
        Household.objects.in_commune(commune)
        .active()
        .values("village_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("village_id", "n")
    )
    rows = [
        {
            "village": village,
            "households": households.get(village.pk, 0),
            "slips": counts.get(village.pk, {}).get("slips", 0),
            "spent": counts.get(village.pk, {}).get("spent", 0),
        }
        for village in villages.order_by("code")
        if village.status == village.Status.ACTIVE or village.pk in counts
    ]
    return render(
        request,
        "surveys/slips.html",
        {
            "commune": commune,
            "campaign": campaign,
            "rows": rows,
            "batches": SlipBatch.objects.filter(campaign=campaign, village__in=villages).select_related(
                "village", "issued_by"
            )[:50],
        },
    )


@login_required
def paper_entry(request, commune_code: str, campaign_id: int):
    """A village's Front officer or head types the code of a paper form, then its answers."""
    commune = commune_or_404(commune_code)
    campaign = _campaign(request, commune, campaign_id)
    villages = access.require_worker(request.user, commune)
    allowed = set(villages.values_list("pk", flat=True))
    code = request.POST.get("ma") if request.method == "POST" else request.GET.get("ma")
    action = reverse("surveys:paper", args=[commune.code, campaign.pk])
    if code is None:
        return render(
            request,
            "surveys/paper_entry.html",
            {"commune": commune, "campaign": campaign, "form": CodeForm(), "villages": villages.order_by("code")},
        )
    try:
        slip = services.slip_find(code)
        if slip.campaign_id != campaign.pk:
            raise ValidationError(_("This code belongs to another survey."), code="wrong")
        if slip.village_id not in allowed:
            raise ValidationError(_("This slip belongs to another village: its form is entered there."), code="village")
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return render(
            request,
            "surveys/paper_entry.html",
            {
                "commune": commune,
                "campaign": campaign,
                "form": CodeForm({"ma": code}),
                "villages": villages.order_by("code"),
            },
            status=PROBLEM_STATUS.get(getattr(problem, "reason", getattr(problem, "code", "")), 400),
        )
    questions = services.questions_of(campaign)
    if request.method == "POST":
        answers = _normalise_multiple(_posted_answers(request), questions)
        try:
            services.response_store(
                slip=slip, answers=answers, channel=Response.Channel.PAPER, villages=allowed, questions=questions
            )
        except services.CodeProblem as problem:
            messages.error(request, " ".join(problem.messages))
            return redirect(action)
        except ValidationError as error:
            return _answer_form(
                request,
                slip,
                questions,
                errors=error.message_dict,
                data=request.POST,
                status=400,
                paper=True,
                action=action,
            )
        messages.success(
            request,
            _("The paper form of %(village)s was recorded. Type the next code.") % {"village": slip.village.name},
        )
        return redirect(action)
    return _answer_form(request, slip, questions, paper=True, action=action)


# Results and moderation ---------------------------------------------------------------------------


@login_required
def results(request, commune_code: str, campaign_id: int, fmt: str = ""):
    commune = commune_or_404(commune_code)
    campaign = _campaign(request, commune, campaign_id)
    result = selectors.campaign_results(campaign)
    if fmt == "xlsx":
        return _download(reports.results_xlsx(result), XLSX, f"ket-qua-khao-sat-{campaign.pk}.xlsx")
    if fmt == "pdf":
        return _download(reports.results_pdf(result), "application/pdf", f"ket-qua-khao-sat-{campaign.pk}.pdf")
    if fmt:
        raise Http404
    return render(
        request,
        "surveys/results.html",
        {
            "commune": commune,
            "campaign": campaign,
            "results": result,
            **_results_tables(result),
            "summary": reports.summary_lines(result),
            "comments": selectors.comments(campaign, review=Answer.Review.APPROVED)[:200],
            "pending": selectors.comment_counts(campaign).get(Answer.Review.PENDING, 0),
            "can_manage": access.can_manage(request.user, campaign),
        },
    )


def _cell(rate, threshold) -> dict:
    return {"pct": rate.pct, "ok": rate.passes(threshold), "yes": rate.yes, "total": rate.total}


def _results_tables(result: selectors.Results) -> dict:
    """The results as rows a template can show without calling methods."""
    campaign = result.campaign
    groups = [*result.villages, result.commune]
    coverage = [
        {
            "group": g,
            "is_commune": g.village is None,
            "coverage": g.coverage,
            "ok": None if g.coverage is None else g.coverage >= campaign.coverage_threshold,
            "overall": _cell(g.overall, campaign.overall_threshold),
        }
        for g in groups
    ]
    items = [
        {"question": q, "commune": _cell(result.commune.item(q), campaign.item_threshold),
         "cells": [_cell(g.item(q), campaign.item_threshold) for g in groups]}
        for q in result.items
    ]  # fmt: skip
    others = [s for s in result.summaries if s.question.role == Question.Role.NONE]
    return {"groups": groups, "coverage_rows": coverage, "item_rows": items, "others": others}


@login_required
def comments(request, commune_code: str, campaign_id: int):
    commune = commune_or_404(commune_code)
    campaign = _campaign(request, commune, campaign_id, manage=True)
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("answer") if v.isdigit()]
        decision = request.POST.get("decision", "")
        try:
            count = services.comments_review(campaign=campaign, answer_ids=ids, decision=decision)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)s comments updated.") % {"count": count})
        return redirect(
            f"{reverse('surveys:comments', args=[commune.code, campaign.pk])}?xem={request.POST.get('xem', 'pending')}"
        )
    review = request.GET.get("xem", Answer.Review.PENDING)
    if review not in (Answer.Review.PENDING, Answer.Review.APPROVED, Answer.Review.HIDDEN):
        review = Answer.Review.PENDING
    counts = selectors.comment_counts(campaign)
    return render(
        request,
        "surveys/comments.html",
        {
            "commune": commune,
            "campaign": campaign,
            "review": review,
            "reviews": [(r.value, r.label, counts.get(r.value, 0)) for r in Answer.Review if r.value],
            "rows": selectors.comments(campaign, review=review)[:500],
        },
    )


# XLSForm --------------------------------------------------------------------------------------------


@login_required
def xlsform_import(request, commune_code: str):
    commune = commune_or_404(commune_code)
    if not access.can_create(request.user, commune, Campaign.Kind.GENERAL):
        raise PermissionDenied(_("Your role does not allow creating surveys."))
    form = XlsFormImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign, skipped = xlsform.import_campaign(
                commune=commune, fileobj=form.cleaned_data["file"], by=request.user, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The questionnaire was imported as a draft."))
            for note in skipped:
                messages.warning(request, note)
            return redirect("surveys:campaign", commune.code, campaign.pk)
    return render(
        request, "surveys/xlsform_import.html", {"commune": commune, "form": form}, status=400 if form.errors else 200
    )


@login_required
def xlsform_export(request, commune_code: str, campaign_id: int):
    commune = commune_or_404(commune_code)
    campaign = _campaign(request, commune, campaign_id)
    return _download(xlsform.export(campaign), XLSX, f"xlsform-{commune.code}-{campaign.pk}.xlsx")


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
