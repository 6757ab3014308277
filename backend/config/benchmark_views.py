"""
The least a create and a staff list can cost on this stack (config.settings.benchmark):

- insert-floor: POST of the same JSON body as a loan request, parsed with json.loads and
  stored with one ORM INSERT; no validation, rules, audit or locking.
- select-floor: the staff check (session and user, as every staff endpoint) and one SELECT
  of 20 rows as values, returned as JSON; no filters, count or masking.

Both go through the full middleware stack, like the real endpoints.
"""

import json

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import staff_only
from loans.models import LoanRequest, LoanStatus


@csrf_exempt
@require_POST
def insert_floor(request: HttpRequest) -> JsonResponse:
    data = json.loads(request.body)
    loan = LoanRequest.objects.create(
        full_name=data["full_name"],
        dni=data["dni"],
        gender=data["gender"],
        email=data["email"],
        amount=data["amount"],
        status=LoanStatus.APPROVED,
    )
    return JsonResponse({"id": loan.pk, "status": loan.status}, status=201)


@require_GET
@staff_only
def select_floor(request: HttpRequest) -> JsonResponse:
    rows = LoanRequest.objects.order_by("-created_at", "-id").values()[:20]
    return JsonResponse({"results": list(rows)})
