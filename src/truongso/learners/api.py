"""API: learners, their guardians, enrolment history and enrolment actions."""

from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from truongso.academics.selectors import class_get
from truongso.core.api_errors import (
    ErrorOut,
    ValidationErrorOut,
    get_or_404,
    reference,
    renamed_fields,
)
from truongso.core.api_pagination import CursorPagination
from truongso.learners.schemas import (
    ChangeClassIn,
    EnrolmentEventOut,
    LearnerCreateIn,
    LearnerDetailOut,
    LearnerFilter,
    LearnerOut,
    LearnerUpdateIn,
    LeaveIn,
    TransferIn,
)
from truongso.learners.selectors import (
    learner_events,
    learner_get,
    learner_guardians,
    learner_list,
)
from truongso.learners.services import (
    learner_change_class,
    learner_create,
    learner_drop_out,
    learner_transfer,
    learner_update,
    learner_withdraw,
)
from truongso.units.selectors import institution_directory_get, institution_get

router = Router(tags=["learners"])

LEARNER_ORDER = ("search_name", "pk")
EVENT_ORDER = ("occurred_on", "pk")
WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _detail(actor, learner):
    learner.guardians_read = list(learner_guardians(actor=actor, learner=learner))
    return learner


@router.get(
    "/learners",
    response={200: list[LearnerOut], 422: ValidationErrorOut},
    summary="Learners I may read",
)
@paginate(CursorPagination, ordering=LEARNER_ORDER)
def learners(request, filters: Query[LearnerFilter]):
    return learner_list(
        actor=request.auth,
        query=filters.q,
        institution_id=filters.institution,
        class_id=filters.class_,
        grade=filters.grade,
        status=filters.status,
        sex=filters.sex,
        personal_id_status=filters.personal_id_status,
    )


@router.get(
    "/learners/{learner_id}",
    response={200: LearnerDetailOut, 404: ErrorOut},
    summary="One learner, with guardians",
)
def learner(request, learner_id: int):
    found = get_or_404(learner_get, actor=request.auth, pk=learner_id)
    return _detail(request.auth, found)


@router.get(
    "/learners/{learner_id}/events",
    response={200: list[EnrolmentEventOut], 404: ErrorOut},
    summary="A learner's enrolment history",
)
@paginate(CursorPagination, ordering=EVENT_ORDER)
def events(request, learner_id: int):
    found = get_or_404(learner_get, actor=request.auth, pk=learner_id)
    return learner_events(actor=request.auth, learner=found)


@router.post(
    "/learners",
    response={201: LearnerDetailOut, 403: ErrorOut, 422: ValidationErrorOut},
    summary="Admit a new learner",
)
def learner_new(request, payload: LearnerCreateIn):
    actor = request.auth
    data = payload.dict(exclude_unset=True)
    institution = reference("institution", institution_get, actor=actor, pk=data.pop("institution"))
    class_id = data.pop("current_class", None)
    school_class = None
    if class_id is not None:
        school_class = reference("current_class", class_get, actor=actor, pk=class_id)
    enrolled_on = data.pop("enrolled_on", None)
    reason = data.pop("reason", "")
    created = learner_create(
        actor=actor,
        institution=institution,
        fields=data,
        school_class=school_class,
        enrolled_on=enrolled_on,
        reason=reason,
    )
    return Status(201, _detail(actor, learner_get(actor=actor, pk=created.pk)))


@router.patch(
    "/learners/{learner_id}",
    response={200: LearnerDetailOut, **WRITE_ERRORS},
    summary="Change a learner's record",
)
def learner_change(request, learner_id: int, payload: LearnerUpdateIn):
    actor = request.auth
    found = get_or_404(learner_get, actor=actor, pk=learner_id)
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    learner_update(actor=actor, learner=found, fields=data, reason=reason)
    return _detail(actor, learner_get(actor=actor, pk=learner_id))


def _today():
    return timezone.localdate()


@router.post(
    "/learners/{learner_id}/transfer",
    response={200: LearnerOut, **WRITE_ERRORS},
    summary="Transfer a learner to another institution (chuyển trường)",
)
def transfer(request, learner_id: int, payload: TransferIn):
    actor = request.auth
    found = get_or_404(learner_get, actor=actor, pk=learner_id)
    destination = reference("to_institution", institution_directory_get, pk=payload.to_institution)
    # The record now belongs to the receiving school: answer with it as written.
    return learner_transfer(
        actor=actor,
        learner=found,
        to_institution=destination,
        on=payload.on or _today(),
        reason=payload.reason,
    )


@router.post(
    "/learners/{learner_id}/change-class",
    response={200: LearnerOut, **WRITE_ERRORS},
    summary="Move a learner to another class of the same institution (chuyển lớp)",
)
def change_class(request, learner_id: int, payload: ChangeClassIn):
    actor = request.auth
    found = get_or_404(learner_get, actor=actor, pk=learner_id)
    target = reference("to_class", class_get, actor=actor, pk=payload.to_class)
    with renamed_fields({"current_class": "to_class"}):
        learner_change_class(
            actor=actor,
            learner=found,
            school_class=target,
            on=payload.on or _today(),
            reason=payload.reason,
        )
    return learner_get(actor=actor, pk=learner_id)


@router.post(
    "/learners/{learner_id}/withdraw",
    response={200: LearnerOut, **WRITE_ERRORS},
    summary="A learner leaves on request (thôi học)",
)
def withdraw(request, learner_id: int, payload: LeaveIn):
    actor = request.auth
    found = get_or_404(learner_get, actor=actor, pk=learner_id)
    learner_withdraw(actor=actor, learner=found, on=payload.on or _today(), reason=payload.reason)
    return learner_get(actor=actor, pk=learner_id)


@router.post(
    "/learners/{learner_id}/drop-out",
    response={200: LearnerOut, **WRITE_ERRORS},
    summary="A learner stopped coming (bỏ học)",
)
def drop_out(request, learner_id: int, payload: LeaveIn):
    actor = request.auth
    found = get_or_404(learner_get, actor=actor, pk=learner_id)
    learner_drop_out(actor=actor, learner=found, on=payload.on or _today(), reason=payload.reason)
    return learner_get(actor=actor, pk=learner_id)
