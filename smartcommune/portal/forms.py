"""Forms of the portal's staff pages. They check shape only; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField

from .models import Category, Document
from .news import EXTENSIONS


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        required=False,
        help_text=_("One or two sentences shown in lists and when shared."),
    )
    body = ProseEditorFormField(label=_("Text"), config={"extensions": EXTENSIONS}, required=False)
    cover = forms.ImageField(label=_("Cover photo"), required=False, help_text=_("JPEG, PNG or WebP, at most 10 MB."))
    cover_alt = forms.CharField(label=_("Cover photo description"), max_length=200, required=False)


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at (leave empty to publish now)"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class SendBackForm(forms.Form):
    note = forms.CharField(label=_("What should the author change?"), max_length=300)


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Photo"), help_text=_("JPEG, PNG or WebP, at most 10 MB; resized to 1600 px."))
    alt = forms.CharField(label=_("Description of the photo"), max_length=200)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word, Excel or OpenDocument, at most 20 MB."))


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices)
    number = forms.CharField(label=_("Number"), max_length=60, help_text=_("e.g. 125/KH-UBND"))
    issued_on = forms.DateField(label=_("Date of issue"), help_text=_("dd/mm/yyyy"))
    issuer = forms.CharField(label=_("Issuer"), max_length=200)
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF, Word, Excel or OpenDocument, at most 20 MB.")
    )
    is_public = forms.BooleanField(label=_("Public"), required=False, initial=True)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
