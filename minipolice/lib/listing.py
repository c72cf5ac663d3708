"""Search, sort and paginate a list page in one place, so every list behaves the same."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet


@dataclass
class Listing:
    page: Page
    query: str
    sort: str
    columns: list[dict]
    querystring: str

    @property
    def rows(self):
        return self.page.object_list


def build_listing(
    request,
    queryset: QuerySet,
    *,
    search_fields: list[str],
    sort_fields: dict[str, tuple[str, str]],
    default_sort: str,
    per_page: int | None = None,
) -> Listing:
    """`sort_fields` maps a sort key to (column heading, order_by expression)."""
    query = request.GET.get("q", "").strip()[:100]
    if query:
        terms = query.split()
        for term in terms:
            queryset = queryset.filter(
                reduce(or_, (Q(**{f"{field}__icontains": term}) for field in search_fields))
            )
    sort = request.GET.get("sort", default_sort)
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in sort_fields:
        key, descending = default_sort.lstrip("-"), default_sort.startswith("-")
        sort = default_sort
    order = sort_fields[key][1]
    queryset = queryset.order_by(f"-{order}" if descending else order, "pk")
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    columns = [
        {
            "key": k,
            "label": label,
            "sorted": k == key,
            "descending": k == key and descending,
            "next_sort": k if (k != key or descending) else f"-{k}",
        }
        for k, (label, _) in sort_fields.items()
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return Listing(
        page=page, query=query, sort=sort, columns=columns, querystring=params.urlencode()
    )
