from django import forms
from django.utils.translation import gettext_lazy as _

from smartcommune.places.models import Commune, Village

from . import units
from .models import Category, Question, ReportArea, Status


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; their content is checked by the service (core.images.clean_image)."""

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [f for f in files if f]


class ReportForm(forms.Form):
    """The resident's report. Shapes only: every rule (place, photos, answers, contacts) is the service's,
    so the web form and Open311 clients get the same checks and messages."""

    category = forms.ModelChoiceField(label=_("What is the problem about?"), queryset=Category.objects.none())
    description = forms.CharField(
        label=_("Describe the problem"),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 4000}),
        required=False,
        help_text=_("What, since when, how serious. Do not write other people's names."),
    )
    latitude = forms.CharField(widget=forms.HiddenInput, required=False)
    longitude = forms.CharField(widget=forms.HiddenInput, required=False)
    village = forms.ModelChoiceField(
        label=_("Village"),
        queryset=Village.objects.none(),
        required=False,
        help_text=_("Choose it when you cannot put a pin on the map."),
    )
    place_text = forms.CharField(
        label=_("Where exactly?"),
        max_length=300,
        required=False,
        help_text=_("For example: in front of the primary school. Only the handling unit reads this."),
    )
    photos = MultipleFileField(
        label=_("Photos (up to 3)"),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 8 MB each. The camera's location data is removed."),
    )
    reporter_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    reporter_phone = forms.CharField(
        label=_("Your phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    reporter_email = forms.CharField(
        label=_("Your e-mail"), max_length=254, required=False, widget=forms.TextInput(attrs={"type": "email"})
    )
    anonymous = forms.BooleanField(
        label=_("Send anonymously"),
        required=False,
        help_text=_(
            "Your name and contacts are then hidden from the staff too; they serve only to tell you of progress."
        ),
    )
    confirm_new = forms.BooleanField(label=_("This is a different problem: send my report"), required=False)

    def __init__(self, *args, commune: Commune, category: Category | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.commune = commune
        self.fields["category"].queryset = Category.objects.filter(commune=commune, is_active=True).order_by(
            "order", "name"
        )
        self.fields["village"].queryset = Village.objects.in_commune(commune).active()
        self.questions = list(category.questions.all()) if category else []
        for question in self.questions:
            self.fields[f"q_{question.code}"] = question_field(question)


def question_field(question: Question) -> forms.Field:
    label = question.description + (" *" if question.required and question.variable else "")
    common = {"label": label, "required": False, "help_text": question.datatype_description}
    attrs = {"aria-required": "true"} if question.required else {}
    kind = question.datatype
    choices = [(str(v["key"]), v["name"]) for v in question.values]
    if not question.variable:
        return forms.CharField(widget=forms.HiddenInput, **common)
    if kind == Question.Datatype.SINGLE:
        return forms.ChoiceField(choices=[("", "—"), *choices], widget=forms.Select(attrs=attrs), **common)
    if kind == Question.Datatype.MULTIPLE:
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    if kind == Question.Datatype.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3, **attrs}), **common)
    if kind == Question.Datatype.NUMBER:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal", **attrs}), **common)
    if kind == Question.Datatype.DATETIME:
        return forms.CharField(widget=forms.TextInput(attrs={"type": "datetime-local", **attrs}), **common)
    return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)


class RateForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Is the problem solved to your satisfaction?"),
        choices=[("yes", _("Yes, I am satisfied")), ("no", _("No, I am not satisfied"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reporter and, for public reports, everyone can read it."),
    )
    photo = forms.ImageField(label=_("Photo"), required=False)

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in allowed]


class ReassignForm(forms.Form):
    unit = forms.ChoiceField(label=_("Give to"))
    note = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, commune: Commune, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(k, v) for k, v in units.report_choices(commune) if k != current]


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Number of the report it duplicates"), max_length=20)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class InboxFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("open", _("open")),
        ("closed", _("closed")),
        ("all", _("all")),
        *Status.choices,
    ]
    q = forms.CharField(label=_("Report number"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(), required=False)
    village = forms.ModelChoiceField(label=_("Village"), queryset=Village.objects.none(), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    escalated = forms.BooleanField(label=_("Escalated only"), required=False)

    def __init__(self, *args, commune: Commune, unit_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—"), *unit_choices]
        self.fields["category"].queryset = Category.objects.filter(commune=commune)
        self.fields["village"].queryset = Village.objects.in_commune(commune)


class PublicFilterForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), ("open", _("being handled")), ("closed", _("closed"))], required=False
    )
    village = forms.ModelChoiceField(label=_("Village"), queryset=Village.objects.none(), required=False)

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(commune=commune, is_public=True)
        self.fields["village"].queryset = Village.objects.in_commune(commune).active()


class CategoryForm(forms.ModelForm):
    unit = forms.ChoiceField(label=_("Responsible unit"))

    class Meta:
        model = Category
        fields = [
            "code", "name", "description", "group", "keywords", "unit", "deadline_amount", "deadline_unit",
            "is_public", "is_active", "order",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units.category_choices(commune)

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class QuestionForm(forms.ModelForm):
    values_text = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For list questions: one choice per line, as “key: name”."),
    )

    class Meta:
        model = Question
        fields = ["code", "description", "datatype", "datatype_description", "required", "variable", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["values_text"].initial = "\n".join(f"{v['key']}: {v['name']}" for v in self.instance.values)

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class HolidayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))
    name = forms.CharField(label=_("Name"), max_length=100)


class AreaForm(forms.ModelForm):
    class Meta:
        model = ReportArea
        fields = ["latitude", "longitude", "radius_km", "needs_verification", "source"]
        localized_fields = ["radius_km"]


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Client"), max_length=100, help_text=_("The app or system that will send reports."))
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False)
    hourly_limit = forms.IntegerField(label=_("Reports per hour"), min_value=1, max_value=1_000_000, initial=300)
