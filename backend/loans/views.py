"""
The loans API (docs/interfaces.md). POST /api/loans/ is public and CSRF-exempt: anonymous,
it uses no session. Everything else is staff-only, with CSRF on writes (accounts.permissions).
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from accounts.permissions import staff_only
from core.json_api import ApiError, api_view, error_response, read_json_object
from loans.listing import list_page
from loans.models import LoanRequest, LoanStatus
from loans.representation import loan_json
from loans.review import clean_reason, review_loan_request
from loans.submission import DuplicateOpenRequest, has_pending_request, submit_loan_request
from loans.validation import validate_loan_fields

# Ids above the largest BigAutoField value cannot exist (and would overflow the query).
MAX_ID = 2**63 - 1
DUPLICATE_PENDING = "Ya existe una solicitud pendiente para este DNI."


def _get_loan(loan_id: int) -> LoanRequest:
    loan = None
    if loan_id <= MAX_ID:
        loan = LoanRequest.objects.select_related("reviewed_by").filter(pk=loan_id).first()
    if loan is None:
        raise ApiError.message(404, "La solicitud no existe.")
    return loan


def _create(request: HttpRequest) -> JsonResponse:
    fields = validate_loan_fields(read_json_object(request), partial=False)
    try:
        loan = submit_loan_request(fields)
    except DuplicateOpenRequest:
        return error_response(409, {"dni": [DUPLICATE_PENDING]})
    return JsonResponse(loan_json(loan), status=201)


@staff_only
def _list(request: HttpRequest) -> JsonResponse:
    page = list_page(request.GET)
    page["results"] = [loan_json(loan, mask=True) for loan in page["results"]]
    return JsonResponse(page)


def _rules(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "min_amount": f"{settings.LOAN_MIN_AMOUNT:.2f}",
            "max_amount": f"{settings.LOAN_MAX_AMOUNT:.2f}",
        }
    )


@staff_only
def _retrieve(request: HttpRequest, loan_id: int) -> JsonResponse:
    return JsonResponse(loan_json(_get_loan(loan_id)))


@staff_only
def _update(request: HttpRequest, loan_id: int) -> JsonResponse:
    loan = _get_loan(loan_id)
    changes = validate_loan_fields(read_json_object(request), partial=True)
    moving_pending_dni = (
        loan.status == LoanStatus.PENDING
        and changes.get("dni", loan.dni) != loan.dni
        and has_pending_request(changes["dni"])
    )
    if moving_pending_dni:
        return error_response(409, {"dni": [DUPLICATE_PENDING]})
    for field, value in changes.items():
        setattr(loan, field, value)
    try:
        with transaction.atomic():
            loan.save(update_fields=[*changes, "updated_at"])
    except IntegrityError:  # lost a race against another pending request for that DNI
        return error_response(409, {"dni": [DUPLICATE_PENDING]})
    return JsonResponse(loan_json(loan))


@staff_only
def _delete(request: HttpRequest, loan_id: int) -> HttpResponse:
    _get_loan(loan_id).delete()
    return HttpResponse(status=204)


def _review(status: LoanStatus):
    @staff_only
    def review(request: HttpRequest, loan_id: int) -> JsonResponse:
        reason = clean_reason(read_json_object(request, allow_empty=True))
        _get_loan(loan_id)  # 404 for ids out of range before locking
        loan = review_loan_request(loan_id, request.user, status, reason)
        return JsonResponse(loan_json(loan))

    return review


loan_collection = csrf_exempt(api_view({"GET": _list, "POST": _create}))
loan_rules = api_view({"GET": _rules})
loan_detail = api_view({"GET": _retrieve, "PATCH": _update, "DELETE": _delete})
loan_approve = api_view({"POST": _review(LoanStatus.APPROVED)})
loan_reject = api_view({"POST": _review(LoanStatus.REJECTED)})
