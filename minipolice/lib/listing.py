"""Search, sort and paginate a list page in one place, so every list behaves the same."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import QueryDict


@dataclass
class Listing:
    page: Page
    query: str
    sort: str
    columns: list[dict]
    querystring: str
    params: QueryDict
    page_param: str = "page"

    @property
    def rows(self):
        return self.page.object_list

    def querystring_without(self, *names: str) -> str:
        """The current GET parameters (less `page`) without `names`, ready to append `&name=`."""
        params = self.params.copy()
        for name in names:
            params.pop(name, None)
        return params.urlencode()

    def hidden_params(self, *names: str) -> list[tuple[str, str]]:
        """(name, value) of every current parameter except `page` and `names`, for hidden inputs."""
        return [(k, v) for k, values in self.params.lists() if k not in names for v in values]

    @property
    def search_hidden(self) -> list[tuple[str, str]]:
        return self.hidden_params("q")

    @property
    def sort_querystring(self) -> str:
        return self.querystring_without("sort")


def build_listing(
    request,
    queryset: QuerySet,
    *,
    search_fields: list[str],
    sort_fields: dict[str, tuple[str, str | tuple[str, ...]]],
    default_sort: str,
    per_page: int | None = None,
) -> Listing:
    """`sort_fields` maps a sort key to (column heading, order_by field or fields in turn)."""
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
    fields = (order,) if isinstance(order, str) else order
    queryset = queryset.order_by(*(f"-{f}" if descending else f for f in fields), "pk")
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
        page=page,
        query=query,
        sort=sort,
        columns=columns,
        querystring=params.urlencode(),
        params=params,
    )


def paginate(request, queryset: QuerySet, *, param: str = "page", per_page: int | None = None):
    """One paginated list of a page that shows several (each has its own page parameter)."""
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    page = paginator.get_page(request.GET.get(param))
    params = request.GET.copy()
    params.pop(param, None)
    return Listing(
        page=page,
        query="",
        sort="",
        columns=[],
        querystring=params.urlencode(),
        params=params,
        page_param=param,
    )
