"""Surveys demo for Xã Vệ Giang: the 2025 satisfaction survey on the QĐ 318 set, closed and published,
and an open general questionnaire on households' digital needs.

The 2025 survey tells the story the criteria pages tell: households are satisfied overall (above
90 %) and with every item in the commune, but in Thôn Mẫu Nghĩa Phương 3 (NP03) only about 72 % are
satisfied with criterion 17 (environment and food safety), under the 80 % each item must reach in
every village, so the survey is not yet met. About 80 % of households answered, on paper or online.

Slips are made through the real service (one per active household of the registry); the answers of
the closed survey are written in bulk, with exact shares per village and item so the figures hold at
any registry size. The general questionnaire gets its answers through the real submission service,
and a few of its unused codes are printed at the end so that a visitor can answer it. Everything is
made with seeded generators: the same codes and figures on every run; a second run changes nothing.
"""

import math
import random
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from smartcommune.accounts.models import User
from smartcommune.criteria import loading
from smartcommune.criteria.models import CriteriaSet
from smartcommune.places.models import Commune, Village
from smartcommune.registry.models import Household

from . import codes, reports, services
from .models import Answer, Campaign, Question, Response, Slip

SEED = 20251031
SET_CODE = "qd318-xa-ntm"
SATISFACTION_TITLE = "Lấy ý kiến sự hài lòng của người dân về kết quả xây dựng nông thôn mới xã Vệ Giang năm 2025"
GENERAL_TITLE = "Khảo sát nhu cầu chuyển đổi số của hộ gia đình năm 2025"
OPENS, CLOSES = date(2025, 10, 1), date(2025, 10, 31)
# Share of households answering, by village (deterministic, all above the 70 % required).
COVERAGE = {
    "SV01": 0.86, "SV02": 0.84, "SV03": 0.82, "SV04": 0.80,
    "NH01": 0.83, "NH02": 0.81, "NH03": 0.79, "NH04": 0.77,
    "NP01": 0.78, "NP02": 0.76, "NP03": 0.74, "NP04": 0.75,
}  # fmt: skip
PAPER_SHARE = 0.55
# Share satisfied: the commune's usual level, how much each village differs, and the exceptions.
BASE_SATISFIED = 0.955
VILLAGE_SHIFT = {"SV01": 0.015, "SV02": 0.01, "NP02": -0.01, "NP03": -0.025, "NP04": -0.02}
EXCEPTIONS = {("NP03", 17): 0.72, ("NP04", 17): 0.83, ("NP03", 11): 0.86, ("NH04", 2): 0.88}
OVERALL_SATISFIED = 0.94
COMMENT_SHARE = 0.05
COMMENTS = [
    "Đề nghị xã tiếp tục nâng cấp đường giao thông nội đồng.",
    "Cần có thêm điểm thu gom rác thải tại thôn, nhất là gần chợ.",
    "Mong được hướng dẫn sử dụng dịch vụ công trực tuyến trên điện thoại.",
    "Hệ thống loa truyền thanh của thôn hoạt động tốt, thông tin kịp thời.",
    "Nước sinh hoạt mùa khô còn thiếu, đề nghị mở rộng tuyến ống nước sạch.",
    "Nhà văn hóa thôn cần bổ sung dụng cụ thể dục thể thao.",
    "Đề nghị kiểm tra an toàn thực phẩm tại các quán ăn ven đường.",
    "Cảm ơn chính quyền xã, đường làng sạch đẹp hơn nhiều so với trước.",
    "Đề nghị lắp thêm đèn chiếu sáng ở đoạn đường từ trường học về thôn.",
    "Cần hỗ trợ vốn để bà con chuyển đổi cây trồng phù hợp.",
]
# Comments that the Front keeps out of the results (they name a person): hidden by moderation.
HIDDEN_COMMENT = "Ông Nguyễn Văn Mẫu 00042 ở xóm 3 đổ rác ra đường, đề nghị xử lý."


def run(*, commune: Commune, log: Callable[[str], None]) -> None:
    villages = {v.code: v for v in Village.objects.in_commune(commune).filter(code__in=COVERAGE)}
    if not villages or not Household.objects.in_commune(commune).exists():
        log("Surveys: no demo villages or households, nothing created.")
        return
    officer = User.objects.filter(username="mttq").first()
    _satisfaction(commune, villages, officer, log)
    _general(commune, villages, officer, log)


# The 2025 satisfaction survey ---------------------------------------------------------------------


def _satisfaction(commune: Commune, villages: dict[str, Village], officer, log) -> None:
    if Campaign.objects.filter(commune=commune, title=SATISFACTION_TITLE).exists():
        log("Surveys: the 2025 satisfaction survey is already there.")
        return
    if not CriteriaSet.objects.filter(code=SET_CODE).exists():
        loading.load_all()
    rng = random.Random(SEED)
    with transaction.atomic():
        campaign = services.campaign_create(
            commune=commune,
            kind=Campaign.Kind.SATISFACTION,
            title=SATISFACTION_TITLE,
            opens_on=OPENS,
            closes_on=CLOSES,
            legal_basis=(
                "Quyết định số 318/QĐ-TTg ngày 08/03/2022; Hướng dẫn số 78/HD-MTTW-BTT ngày 24/4/2017 "
                "của Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam"
            ),
            introduction=(
                "Ban Thường trực Ủy ban MTTQ Việt Nam xã Vệ Giang lấy ý kiến của các hộ gia đình về kết quả "
                "xây dựng nông thôn mới. Mỗi hộ trả lời một lần; phiếu không ghi tên, kết quả chỉ công bố số tổng hợp."
            ),
            criteria_set=CriteriaSet.objects.get(code=SET_CODE),
            by=officer,
        )
        Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.OPEN)  # the survey ran in October
        campaign.refresh_from_db()
        questions = list(campaign.questions.prefetch_related("options").select_related("criterion"))
        total = 0
        for code in sorted(villages):
            issued = services.slips_issue(campaign=campaign, village=villages[code], by=officer, rng=rng)
            total += _answer_village(campaign, villages[code], issued.codes, questions, rng)
        services.campaign_close(campaign=campaign, by=officer)
        services.campaign_publish(campaign=campaign, by=officer)
        Campaign.objects.filter(pk=campaign.pk).update(published_at=timezone.make_aware(datetime(2025, 11, 5, 9)))
    log(f"Surveys: 2025 satisfaction survey with {total} answer forms, closed and published.")


def _exact(rng: random.Random, n: int, share: float) -> set[int]:
    """Exactly round(n × share) of the indexes 0…n-1, chosen at random."""
    return set(rng.sample(range(n), min(n, round(n * share))))


def _answer_village(campaign, village, issued_codes, questions, rng) -> int:
    n = math.floor(len(issued_codes) * COVERAGE[village.code])
    used = sorted(issued_codes)[:n]  # which slips came back: any n of them
    Slip.objects.filter(code_digest__in=[codes.digest(c) for c in used]).update(spent=True)
    items = [q for q in questions if q.role == Question.Role.ITEM]
    overall = next(q for q in questions if q.role == Question.Role.OVERALL)
    comment = next(q for q in questions if q.role == Question.Role.COMMENT)
    options = {(q.pk, o.value): o for q in questions for o in q.options.all()}
    unhappy: dict[int, set[int]] = {}  # form index -> items not satisfied
    for q in items:
        share = EXCEPTIONS.get((village.code, q.criterion.number), BASE_SATISFIED + VILLAGE_SHIFT.get(village.code, 0))
        for index in _exact(rng, n, 1 - share):
            unhappy.setdefault(index, set()).add(q.pk)
    # The least satisfied households are the ones not satisfied overall.
    ranked = sorted(range(n), key=lambda i: (-len(unhappy.get(i, ())), rng.random()))
    overall_no = set(ranked[: round(n * (1 - OVERALL_SATISFIED - VILLAGE_SHIFT.get(village.code, 0) / 2))])
    commenting = _exact(rng, n, COMMENT_SHARE)
    paper = _exact(rng, n, PAPER_SHARE)
    responses, answers = [], []
    for index in range(n):
        response = Response(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            campaign=campaign,
            village=village,
            channel=Response.Channel.PAPER if index in paper else Response.Channel.ONLINE,
            submitted_on=OPENS + timedelta(days=min(30, int(rng.triangular(0, 30, 6)))),
        )
        responses.append(response)
        # (response, question, option, text, review) for every answer of the form
        for q in items:
            value = "no" if q.pk in unhappy.get(index, ()) else "yes"
            answers.append((response.pk, q.pk, options[(q.pk, value)].pk, "", ""))
        value = "no" if index in overall_no else "yes"
        answers.append((response.pk, overall.pk, options[(overall.pk, value)].pk, "", ""))
        if index in commenting:
            text = rng.choice(COMMENTS)
            review = Answer.Review.APPROVED if rng.random() < 0.8 else Answer.Review.PENDING
            if village.code == "NP03" and index == min(commenting):
                text, review = HIDDEN_COMMENT, Answer.Review.HIDDEN
            answers.append((response.pk, comment.pk, None, text, review))
    Response.objects.bulk_create(responses, batch_size=2000)
    _insert_answers(village, answers)
    return n


def _insert_answers(village: Village, answers: list[tuple]) -> None:
    """Many thousand rows: one executemany of plain tuples, not the ORM's per-object work."""
    names = ["response_id", "question_id", "village_id", "option_id", "number", "date", "text", "review"]
    fields = {f.attname: f for f in Answer._meta.concrete_fields}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(fields[name].column) for name in names)
    to_db = fields["response_id"].target_field.get_db_prep_value
    ids = {r: to_db(r, connection) for r, *_rest in answers}
    rows = [(ids[r], q, village.pk, o, None, None, text, review) for r, q, o, text, review in answers]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(Answer._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(names))})", rows
        )


# The open general questionnaire --------------------------------------------------------------------

GENERAL_QUESTIONS = [
    # name, kind, text, required, options, (depends on, value), extra
    ("smartphone", Question.Kind.YES_NO, "Hộ có điện thoại thông minh không?", True, [("yes", "Có"), ("no", "Không")], None, {}),
    ("dich_vu_so", Question.Kind.MULTIPLE, "Hộ đã dùng những dịch vụ số nào?", False,
     [("thanh_toan", "Thanh toán không dùng tiền mặt"), ("dvc", "Dịch vụ công trực tuyến"),
      ("mua_ban", "Mua bán trực tuyến"), ("y_te", "Khám chữa bệnh từ xa")], ("smartphone", "yes"), {}),
    ("de_dung", Question.Kind.SCALE, "Cổng dịch vụ công dễ dùng đến đâu? (1 = rất khó, 5 = rất dễ)", False, [], None, {}),
    ("kenh_huong_dan", Question.Kind.SINGLE, "Hộ muốn được hướng dẫn kỹ năng số qua kênh nào?", True,
     [("to_cns", "Tổ công nghệ số cộng đồng đến tận nhà"), ("lop_thon", "Lớp học tại nhà văn hóa thôn"),
      ("video", "Video ngắn qua Zalo"), ("loa", "Loa truyền thanh thôn")], None, {}),
    ("nguoi_dung", Question.Kind.NUMBER, "Số người trong hộ dùng Internet hằng ngày", False, [], None, {"whole_number": True}),
    ("lan_gan_nhat", Question.Kind.DATE, "Lần gần nhất hộ làm thủ tục trên Cổng dịch vụ công (nếu có)", False, [], None, {}),
    ("de_xuat", Question.Kind.TEXT, "Đề xuất khác của hộ", False, [], None, {"max_length": 1000}),
]  # fmt: skip
GENERAL_VILLAGE = "SV01"
GENERAL_ANSWERS = 120


def _general(commune: Commune, villages: dict[str, Village], officer, log) -> None:
    rng = random.Random(SEED + 1)
    campaign = Campaign.objects.filter(commune=commune, title=GENERAL_TITLE).first()
    village = villages.get(GENERAL_VILLAGE)
    if village is None:
        return
    if campaign is None:
        today = timezone.localdate()
        with transaction.atomic():
            campaign = services.campaign_create(
                commune=commune,
                kind=Campaign.Kind.GENERAL,
                title=GENERAL_TITLE,
                opens_on=today - timedelta(days=14),
                closes_on=today + timedelta(days=45),
                introduction="Ủy ban nhân dân xã tìm hiểu nhu cầu để tổ chức hướng dẫn kỹ năng số cho người dân.",
                by=officer,
            )
            created = {}
            for position, (name, kind, text, required, options, depends, extra) in enumerate(GENERAL_QUESTIONS, 1):
                question = Question(
                    campaign=campaign, position=position, name=name, kind=kind, text=text, required=required, **extra
                )
                if depends:
                    question.show_if_question, question.show_if_value = created[depends[0]], depends[1]
                created[name] = services.question_save(question=question, options=options, by=officer)
            services.campaign_open(campaign=campaign, by=officer)
            issued = services.slips_issue(campaign=campaign, village=village, by=officer, rng=rng)
            for code in sorted(issued.codes)[:GENERAL_ANSWERS]:
                services.response_submit(code=code, answers=_general_answer(rng), channel=Response.Channel.ONLINE)
        log(f"Surveys: open questionnaire “{GENERAL_TITLE}” with {GENERAL_ANSWERS} answers.")
    else:
        log("Surveys: the open questionnaire is already there.")
    _show_codes(campaign, village, log)


def _general_answer(rng: random.Random) -> dict:
    phone = rng.random() < 0.82
    answer = {
        "smartphone": "yes" if phone else "no",
        "kenh_huong_dan": rng.choice(["to_cns", "lop_thon", "video", "loa"]),
    }
    if phone:
        answer["dich_vu_so"] = rng.sample(["thanh_toan", "dvc", "mua_ban", "y_te"], rng.randint(0, 3))
        answer["de_dung"] = str(rng.choices([1, 2, 3, 4, 5], weights=[4, 10, 30, 38, 18])[0])
        answer["nguoi_dung"] = str(rng.randint(1, 4))
    if rng.random() < 0.07:
        answer["de_xuat"] = rng.choice(
            ["Mong có lớp hướng dẫn vào buổi tối.", "Cần hỗ trợ người cao tuổi dùng điện thoại."]
        )
    return answer


def _show_codes(campaign: Campaign, village: Village, log) -> None:
    """A few unused codes of the demo's slips, found again from the seed (the codes are stored nowhere)."""
    rng = random.Random(SEED + 1)
    count = Slip.objects.filter(campaign=campaign, village=village).count()
    drawn = set()
    while len(drawn) < count:
        drawn.add(codes.generate(rng))
    unused = set(
        Slip.objects.filter(
            campaign=campaign, spent=False, code_digest__in=[codes.digest(c) for c in drawn]
        ).values_list("code_digest", flat=True)
    )
    free = sorted(c for c in drawn if codes.digest(c) in unused)[:3]
    for code in free:
        log(f"  try the open questionnaire: {reports.answer_url(code)}  (code {codes.display(code)})")
