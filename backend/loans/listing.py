"""
Query parameters of the staff list: page, page_size (1–100), ordering (one of
ORDERING_FIELDS, optionally prefixed with "-"), status and search. Invalid values are a 400
rather than being silently ignored; a page past the end is a 404.
"""

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import QueryDict

from core.json_api import ApiError
from loans.models import LoanRequest, LoanStatus

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
DEFAULT_ORDERING = "-created_at"
ORDERING_FIELDS = ("full_name", "created_at", "amount", "dni", "status")
MAX_SEARCH_LENGTH = 100


def _positive_int(params: QueryDict, name: str, default: int, maximum: int | None) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise ApiError(400, {name: ["Debe ser un número entero positivo."]})
    value = int(raw)
    if maximum is not None and value > maximum:
        raise ApiError(400, {name: [f"No puede ser mayor que {maximum}."]})
    return value


def _ordering(params: QueryDict) -> list[str]:
    raw = params.get("ordering", "").strip() or DEFAULT_ORDERING
    if raw.removeprefix("-") not in ORDERING_FIELDS:
        allowed = ", ".join(ORDERING_FIELDS)
        raise ApiError(400, {"ordering": [f"Orden inválido. Valores permitidos: {allowed}."]})
    tie_breaker = "-id" if raw.startswith("-") else "id"
    return [raw, tie_breaker]


def _filtered(params: QueryDict) -> QuerySet[LoanRequest]:
    queryset = LoanRequest.objects.select_related("reviewed_by")
    status = params.get("status", "").strip()
    if status:
        if status not in LoanStatus.values:
            raise ApiError(400, {"status": ["Estado inválido. Use pending, approved o rejected."]})
        queryset = queryset.filter(status=status)
    search = " ".join(params.get("search", "").split())
    if len(search) > MAX_SEARCH_LENGTH:
        raise ApiError(400, {"search": [f"Máximo {MAX_SEARCH_LENGTH} caracteres."]})
    if search:
        queryset = queryset.filter(
            Q(full_name__icontains=search) | Q(email__icontains=search) | Q(dni__startswith=search)
        )
    return queryset


def list_page(params: QueryDict) -> dict:
    """The page described by `params`, as plain data: count, page, page_size, num_pages and
    the LoanRequest objects in `results`."""
    page_number = _positive_int(params, "page", 1, None)
    page_size = _positive_int(params, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    queryset = _filtered(params).order_by(*_ordering(params))
    paginator = Paginator(queryset, page_size)
    if page_number > paginator.num_pages:
        raise ApiError(404, {"page": ["La página solicitada no existe."]})
    page = paginator.page(page_number)
    return {
        "count": paginator.count,
        "page": page_number,
        "page_size": page_size,
        "num_pages": paginator.num_pages,
        "results": list(page.object_list),
    }
