"""Forms of the programme's pages. They check the shape of input; the rules live in services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from smartcommune.accounts.models import Department
from smartcommune.core import metrics
from smartcommune.core.forms import AmountField
from smartcommune.places.models import Commune, Village
from smartcommune.registry.models import Household, Organisation

from .models import (
    Asset,
    Coverage,
    DigitalTeam,
    DigitalTeamMember,
    FundingSource,
    Objective,
    OutreachActivity,
    Plan,
    SocialChannel,
    SpendingCategory,
    Target,
    Task,
    TrainingClass,
    UnitKind,
)

DATE = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


# Plans and targets -------------------------------------------------------------------------------


class PlanForm(forms.ModelForm):
    document_file = forms.FileField(label=_("Signed document (PDF)"), required=False)

    class Meta:
        model = Plan
        fields = ["number", "issued_on", "title", "period_from", "period_to", "legal_bases"]
        widgets = {
            "issued_on": DATE,
            "period_from": DATE,
            "period_to": DATE,
            "legal_bases": forms.Textarea({"rows": 3}),
        }


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["number", "title", "description"]
        widgets = {"description": forms.Textarea({"rows": 3})}


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["code", "name", "kind", "unit", "comparator", "target_value", "deadline", "metric_key", "note"]
        localized_fields = ["target_value"]
        widgets = {
            "deadline": DATE,
            "note": forms.Textarea({"rows": 2}),
            "metric_key": forms.TextInput({"list": "metric-keys"}),
        }

    @staticmethod
    def metric_choices() -> list[tuple[str, str]]:
        return [(m.key, str(m.label)) for m in metrics.all_metrics()]


class TargetFigureForm(forms.Form):
    value = forms.DecimalField(label=_("Value"), localize=True, max_digits=16, decimal_places=4)
    as_of = forms.DateField(label=_("Date of the figure"), widget=DATE)
    evidence = forms.FileField(label=_("Evidence (PDF or image)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2}))


# Tasks -------------------------------------------------------------------------------------------


class TaskForm(forms.ModelForm):
    """Create or edit a task; the unit is chosen among the commune's villages and organisations only."""

    class Meta:
        model = Task
        fields = [
            "objective", "code", "title", "description", "unit_kind", "department", "village", "organisation",
            "start_on", "deadline",
        ]  # fmt: skip
        widgets = {"start_on": DATE, "deadline": DATE, "description": forms.Textarea({"rows": 3})}

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = Objective.objects.filter(plan__commune=commune).select_related("plan")
        self.fields["objective"].label_from_instance = lambda o: f"{o.plan.number} — {o}"
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Leave empty for the next free code (NV-01, NV-02…).")
        # Ids of other communes' villages or organisations are accepted here and refused by the service with
        # a clear message, so a forged form gets the same answer as the rule.
        self.fields["village"].queryset = Village.objects.all()
        self.fields["village"].choices = [("", "—")] + [
            (v.pk, v.name) for v in Village.objects.in_commune(commune).active().order_by("code")
        ]
        self.fields["organisation"].queryset = Organisation.objects.all()
        self.fields["organisation"].choices = [("", "—")] + [
            (o.pk, o.name) for o in Organisation.objects.in_commune(commune).active().order_by("code")
        ]
        self.fields["department"].choices = [("", "—"), *Department.choices]

    def _post_clean(self):
        pass  # no model validation here: services.tasks checks the unit and the dates, with clear messages


class TaskUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Task.Status.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), widget=forms.NumberInput({"inputmode": "numeric"}))
    milestone_text = forms.CharField(
        label=_("Milestone: what happened"), required=False, max_length=4000, widget=forms.Textarea({"rows": 2})
    )
    happened_on = forms.DateField(label=_("Date of the milestone"), required=False, widget=DATE)
    photo = forms.FileField(label=_("Photo"), required=False, widget=forms.ClearableFileInput({"accept": "image/*"}))
    document = forms.FileField(label=_("Document (PDF)"), required=False)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea({"rows": 2}))


class TaskFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "—"), *Task.Status.choices])
    unit_kind = forms.ChoiceField(label=_("Unit"), required=False, choices=[("", "—"), *UnitKind.choices])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


# Budget ------------------------------------------------------------------------------------------


class BudgetLineForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    source = forms.ModelChoiceField(label=_("Funding source"), queryset=FundingSource.objects.none())
    category = forms.ModelChoiceField(label=_("Spending category"), queryset=SpendingCategory.objects.none())
    content = forms.CharField(label=_("Content"), max_length=300)
    planned = AmountField(label=_("Planned (đồng)"))
    decision_number = forms.CharField(label=_("Decision allocating the funds"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = FundingSource.objects.filter(is_active=True).select_related("parent")
        self.fields["source"].label_from_instance = lambda s: (
            f"{s.code}. {s.name}" if s.parent_id is None else f"— {s.code}. {s.name}"
        )
        self.fields["category"].queryset = SpendingCategory.objects.filter(is_active=True)
        self.fields["category"].label_from_instance = lambda c: f"{c.get_kind_display()}: {c.name}"


class LineChangeForm(forms.Form):
    planned = AmountField(label=_("Planned (đồng)"))
    decision_number = forms.CharField(label=_("Decision allocating the funds"), max_length=60, required=False)


class AllocationForm(forms.Form):
    task = forms.ModelChoiceField(label=_("Task"), queryset=Task.objects.none())
    amount = AmountField(label=_("Amount (đồng)"))
    allocated_on = forms.DateField(label=_("Allocated on"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = Task.objects.filter(commune=commune).exclude(status=Task.Status.CANCELLED)


class DisbursementForm(forms.Form):
    allocation = forms.IntegerField(widget=forms.HiddenInput)
    paid_on = forms.DateField(label=_("Date"), widget=DATE)
    amount = AmountField(label=_("Amount (đồng)"), required=False)
    labour_days = forms.DecimalField(
        label=_("Labour days"), required=False, localize=True, max_digits=10, decimal_places=1
    )
    daily_rate = AmountField(label=_("Value of a labour day (đồng)"), required=False)
    in_kind_value = AmountField(label=_("Value of goods given (đồng)"), required=False)
    document_number = forms.CharField(label=_("Voucher or record number"), max_length=60)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_labour_days(self):
        value = self.cleaned_data.get("labour_days")
        if value is not None and value < 0:
            raise ValidationError(_("The amount cannot be negative."))
        return value


class SettlementForm(forms.Form):
    allocation = forms.IntegerField(widget=forms.HiddenInput)
    settled_on = forms.DateField(label=_("Settled on"), widget=DATE)
    amount = AmountField(label=_("Settled amount (đồng)"))
    document_number = forms.CharField(label=_("Settlement decision number"), max_length=60)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


# Training ----------------------------------------------------------------------------------------


class TrainingClassForm(forms.ModelForm):
    class Meta:
        model = TrainingClass
        fields = ["title", "topic", "audience", "held_on", "place", "trainer", "village", "task", "note"]
        widgets = {"held_on": DATE, "note": forms.Textarea({"rows": 2})}

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.in_commune(commune).active()
        self.fields["task"].queryset = Task.objects.filter(commune=commune)


class AttendanceForm(forms.Form):
    household_code = forms.CharField(label=_("Household code"), required=False, max_length=30)
    organisation = forms.ModelChoiceField(label=_("Organisation"), required=False, queryset=Organisation.objects.none())
    group_name = forms.CharField(label=_("Or another group (e.g. a department)"), required=False, max_length=150)
    participants = forms.IntegerField(label=_("Participants"), min_value=1, max_value=1000)

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.commune = commune
        self.fields["organisation"].queryset = Organisation.objects.in_commune(commune)

    def clean_household_code(self):
        code = self.cleaned_data["household_code"].strip().upper()
        if not code:
            return None
        household = Household.objects.filter(commune=self.commune, code=code).first()
        if household is None:
            raise ValidationError(_("No household of this commune has this code."))
        return household


class MaterialForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, image, Word, Excel, PowerPoint)"))


class OutreachForm(forms.ModelForm):
    class Meta:
        model = OutreachActivity
        fields = ["held_on", "channel", "title", "village", "reach", "task"]
        widgets = {"held_on": DATE}

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.in_commune(commune).active()
        self.fields["task"].queryset = Task.objects.filter(commune=commune)


# Infrastructure ----------------------------------------------------------------------------------


class AssetForm(forms.ModelForm):
    class Meta:
        model = Asset
        fields = [
            "kind", "name", "village", "latitude", "longitude", "quantity", "installed_on", "status",
            "at_cultural_house", "free_of_charge", "meets_standard", "note",
        ]  # fmt: skip
        localized_fields = ["latitude", "longitude"]
        widgets = {"installed_on": DATE, "note": forms.Textarea({"rows": 2})}

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.in_commune(commune).active()
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"


class CoverageForm(forms.Form):
    village = forms.ModelChoiceField(label=_("Village"), queryset=Village.objects.none())
    technology = forms.ChoiceField(label=_("Technology"), choices=Coverage.Technology.choices)
    households_covered = forms.IntegerField(label=_("Households covered"), min_value=0)
    as_of = forms.DateField(label=_("As of"), widget=DATE)
    provider = forms.CharField(label=_("Reported by (operator)"), max_length=100, required=False)

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.in_commune(commune).active()


class TeamForm(forms.ModelForm):
    class Meta:
        model = DigitalTeam
        fields = ["name", "village", "decision_number", "founded_on", "is_active", "last_activity_on"]
        widgets = {"founded_on": DATE, "last_activity_on": DATE}

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.in_commune(commune).active()


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    position = forms.ChoiceField(label=_("Position"), choices=DigitalTeamMember.Position.choices)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False, widget=forms.TextInput({"type": "tel"}))


class ChannelForm(forms.ModelForm):
    class Meta:
        model = SocialChannel
        fields = ["platform", "name", "village", "members", "started_on", "is_active", "takes_feedback"]
        widgets = {"started_on": DATE}

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.in_commune(commune).active()


class TickForm(forms.Form):
    item_code = forms.CharField(widget=forms.HiddenInput)
    passed = forms.TypedChoiceField(
        label=_("Result"), choices=[("1", _("met")), ("0", _("not met"))], coerce=lambda v: v == "1"
    )
    ticked_on = forms.DateField(label=_("Date"), widget=DATE)
    evidence = forms.FileField(label=_("Evidence (PDF or image)"))
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class ReportDateForm(forms.Form):
    on = forms.DateField(label=_("Report date"), required=False, widget=DATE)
