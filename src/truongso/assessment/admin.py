"""Administrators correct a rule set's parameters here; saving creates a new version
(the one edited is never changed) and is audited. The gradebook and its results are
shown read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from truongso.assessment.models import (
    AbsenceRecord,
    CommentPhrase,
    ConductRating,
    LearnerTermResult,
    LearnerYearResult,
    RuleSet,
    ScoreEntry,
    SubjectResult,
    TermClosure,
)
from truongso.assessment.selectors import rule_set_get
from truongso.assessment.services import rule_set_check_revision, rule_set_revise
from truongso.web.admin_base import ReadOnlyAdmin


class RuleSetForm(forms.ModelForm):
    note = forms.CharField(
        label=gettext_lazy("Lý do thay đổi"),
        max_length=500,
        help_text=gettext_lazy("Lưu sẽ tạo phiên bản mới; phiên bản đang xem giữ nguyên."),
    )

    class Meta:
        model = RuleSet
        fields = ["parameters", "note"]

    def clean_parameters(self):
        parameters = self.cleaned_data["parameters"]
        try:
            rule_set_check_revision(self.instance, parameters)
        except ValidationError as error:
            raise ValidationError(error.message_dict["parameters"])
        return parameters


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    form = RuleSetForm
    list_display = ["label", "regulation", "education_level", "first_school_year", "created_at",
                    "created_by"]  # fmt: skip
    list_filter = ["education_level", "code"]
    readonly_fields = ["code", "version", "regulation", "education_level", "first_school_year",
                       "created_at", "created_by"]  # fmt: skip
    fields = [*readonly_fields, "parameters", "note"]

    def has_add_permission(self, request) -> bool:
        return False  # rule sets come with the software (manage.py assessment load-rule-sets)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # past results name the version they were computed with

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.base_fields["note"].initial = ""
        return form

    def save_model(self, request, obj, form, change) -> None:
        original = rule_set_get(obj.label)
        request._assessment_new_version = rule_set_revise(
            actor=request.user,
            rule_set=original,
            parameters=form.cleaned_data["parameters"],
            note=form.cleaned_data["note"],
        )

    def log_change(self, request, obj, message):
        new = getattr(request, "_assessment_new_version", None)
        return self.log_addition(request, new or obj, message)

    def response_change(self, request, obj):
        new = getattr(request, "_assessment_new_version", None)
        if new is None:
            return super().response_change(request, obj)
        self.message_user(
            request,
            _("Đã lưu phiên bản mới %(label)s; phiên bản %(old)s giữ nguyên.")
            % {"label": new.label, "old": obj.label},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:assessment_ruleset_change", args=[new.pk]))


# --- the gradebook: read-only here; it is changed through its pages (audited) -------


@admin.register(ScoreEntry)
class ScoreEntryAdmin(ReadOnlyAdmin):
    list_display = ["learner", "subject", "term", "school_class", "mid_term", "end_of_term",
                    "rating", "version", "updated_at"]  # fmt: skip
    list_filter = ["term"]
    search_fields = ["learner__search_name", "learner__education_id"]
    list_select_related = ["learner", "subject", "term", "term__school_year", "school_class"]


@admin.register(ConductRating)
class ConductRatingAdmin(ReadOnlyAdmin):
    list_display = ["learner", "term", "school_class", "level", "version", "updated_at"]
    search_fields = ["learner__search_name", "learner__education_id"]
    list_select_related = ["learner", "term", "term__school_year", "school_class"]


@admin.register(AbsenceRecord)
class AbsenceRecordAdmin(ReadOnlyAdmin):
    list_display = ["learner", "term", "school_class", "days_excused", "days_unexcused"]
    search_fields = ["learner__search_name", "learner__education_id"]
    list_select_related = ["learner", "term", "term__school_year", "school_class"]


@admin.register(TermClosure)
class TermClosureAdmin(ReadOnlyAdmin):
    list_display = ["institution", "term", "school_class", "closed_at", "closed_by"]
    list_select_related = ["institution", "term", "term__school_year", "school_class",
                           "closed_by"]  # fmt: skip


@admin.register(CommentPhrase)
class CommentPhraseAdmin(ReadOnlyAdmin):
    list_display = ["text", "subject", "institution"]
    search_fields = ["text"]
    list_select_related = ["subject", "institution"]


@admin.register(SubjectResult)
class SubjectResultAdmin(ReadOnlyAdmin):
    list_display = ["learner", "subject", "school_year", "period", "average", "rating",
                    "rule_set", "computed_at"]  # fmt: skip
    list_filter = ["period", "rule_set"]
    search_fields = ["learner__search_name", "learner__education_id"]
    list_select_related = ["learner", "subject", "school_year"]


@admin.register(LearnerTermResult)
class LearnerTermResultAdmin(ReadOnlyAdmin):
    list_display = ["learner", "term", "learning", "conduct", "days_absent", "rule_set"]
    search_fields = ["learner__search_name", "learner__education_id"]
    list_select_related = ["learner", "term", "term__school_year"]


@admin.register(LearnerYearResult)
class LearnerYearResultAdmin(ReadOnlyAdmin):
    list_display = ["learner", "school_year", "learning", "conduct", "days_absent",
                    "promotion", "award", "rule_set"]  # fmt: skip
    list_filter = ["promotion", "award"]
    search_fields = ["learner__search_name", "learner__education_id"]
    list_select_related = ["learner", "school_year"]
