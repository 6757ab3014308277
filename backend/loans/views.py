"""
The loans API (docs/interfaces.md). POST /api/loans/ is public and CSRF-exempt: anonymous,
it uses no session. Everything else is staff-only, with CSRF on writes (accounts.permissions).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from accounts.permissions import staff_only
from core.json_api import (
    ApiError,
    api_view,
    error_response,
    form_errors,
    read_json_object,
    read_query,
)
from loans import audit, staff_actions
from loans.forms import LoanForm, ReviewForm
from loans.listing import list_page
from loans.models import LoanStatus
from loans.representation import loan_json, public_loan_json, row_json
from loans.staff_actions import DUPLICATE_PENDING, get_live_loan
from loans.submission import DuplicateOpenRequest, submit_loan_request


def _valid(form) -> dict:
    if not form.is_valid():
        raise ApiError(400, form_errors(form))
    return form.cleaned_data


def _create(request: HttpRequest) -> JsonResponse:
    fields = _valid(LoanForm(read_json_object(request)))
    try:
        loan = submit_loan_request(fields)
    except DuplicateOpenRequest:
        return error_response(409, {"dni": [DUPLICATE_PENDING]})
    return JsonResponse(public_loan_json(loan), status=201)


@staff_only
def _list(request: HttpRequest) -> JsonResponse:
    page = list_page(read_query(request))
    page["results"] = [row_json(row, mask=True) for row in page["results"]]
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
    return JsonResponse(loan_json(get_live_loan(loan_id)))


@staff_only
def _update(request: HttpRequest, loan_id: int) -> JsonResponse:
    changes = _valid(LoanForm(read_json_object(request), partial=True))
    return JsonResponse(loan_json(staff_actions.edit(loan_id, request.user, changes)))


@staff_only
def _delete(request: HttpRequest, loan_id: int) -> HttpResponse:
    staff_actions.delete(loan_id, request.user)
    return HttpResponse(status=204)


@staff_only
def _history(request: HttpRequest, loan_id: int) -> JsonResponse:
    if loan_id > staff_actions.MAX_ID or not audit.loan_exists(loan_id):
        raise ApiError.message(404, staff_actions.NOT_FOUND)
    return JsonResponse({"results": audit.history_json(loan_id)})


def _review(status: LoanStatus):
    @staff_only
    def review(request: HttpRequest, loan_id: int) -> JsonResponse:
        reason = _valid(ReviewForm(read_json_object(request, allow_empty=True)))["reason"]
        return JsonResponse(loan_json(staff_actions.review(loan_id, request.user, status, reason)))

    return review


loan_collection = csrf_exempt(api_view({"GET": _list, "POST": _create}))
loan_rules = api_view({"GET": _rules})
loan_detail = api_view({"GET": _retrieve, "PATCH": _update, "DELETE": _delete})
loan_history = api_view({"GET": _history})
loan_approve = api_view({"POST": _review(LoanStatus.APPROVED)})
loan_reject = api_view({"POST": _review(LoanStatus.REJECTED)})
