"""
The staff list: query parameters validated by loans.forms.LoanListQuery (invalid values are
a 400 rather than being silently ignored; a page past the end is a 404), live requests only.

The page and the total count come back from one query (the count as an uncorrelated
subquery, computed once by the database), rows as plain values rather than model instances:
the list is the staff's busiest endpoint.
"""

from django.db.models import F, Func, IntegerField, Q, QuerySet, Subquery
from django.http import QueryDict

from core.json_api import ApiError, form_errors
from loans.forms import LoanListQuery
from loans.models import LoanRequest

DEFAULT_PAGE_SIZE = 20
DEFAULT_ORDERING = "-created_at"
ROW_FIELDS = (
    "id",
    "full_name",
    "dni",
    "gender",
    "email",
    "amount",
    "status",
    "decision_reason",
    "created_at",
    "updated_at",
    "reviewed_by__username",
    "reviewed_at",
)


def _filtered(status: str, search: str) -> QuerySet[LoanRequest]:
    queryset = LoanRequest.objects.live()
    if status:
        queryset = queryset.filter(status=status)
    if search:
        queryset = queryset.filter(
            Q(full_name__icontains=search) | Q(email__icontains=search) | Q(dni__startswith=search)
        )
    return queryset


def list_page(params: QueryDict) -> dict:
    """The page described by `params`, as plain data: count, page, page_size, num_pages and
    the rows (dicts with ROW_FIELDS) in `results`."""
    query = LoanListQuery(params)
    if not query.is_valid():
        raise ApiError(400, form_errors(query))
    page = query.cleaned_data["page"] or 1
    page_size = query.cleaned_data["page_size"] or DEFAULT_PAGE_SIZE
    ordering = query.cleaned_data["ordering"] or DEFAULT_ORDERING
    filtered = _filtered(query.cleaned_data["status"], query.cleaned_data["search"])
    # A plain COUNT function (not Django's Count aggregate, which would add a GROUP BY):
    # one row, the number of filtered requests.
    total = Subquery(
        filtered.order_by().annotate(n=Func(F("id"), function="COUNT")).values("n")[:1],
        output_field=IntegerField(),
    )
    tie_breaker = "-id" if ordering.startswith("-") else "id"
    offset = (page - 1) * page_size
    rows = list(
        filtered.order_by(ordering, tie_breaker).values(*ROW_FIELDS, total=total)[
            offset : offset + page_size
        ]
    )
    if rows:
        count = rows[0]["total"]
    elif page == 1:
        count = 0
    else:
        raise ApiError(404, {"page": ["La página solicitada no existe."]})
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "num_pages": max(1, -(-count // page_size)),
        "results": rows,
    }
