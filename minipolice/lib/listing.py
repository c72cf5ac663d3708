"""Search, sort and paginate a list page in one place, so every list behaves the same.

A list page also answers `?format=csv|xlsx` (lib.exports) with every row its search, filters
and sort match, not only the page shown: the view passes the columns it shows, as
(heading, attribute path or callable of the row), to `export_listing`.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from itertools import islice
from operator import or_

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse, QueryDict
from django.utils import timezone

from minipolice.lib.exports import ExportTable, export_response, wants_export

# Rows fetched at a time for an export: each chunk costs one query per prefetch, so a list of
# any length up to this many rows takes the same number of queries.
EXPORT_CHUNK = 2000
# Parameters of a list page that are not filters.
NOT_FILTERS = {"q", "sort", "page", "format"}

Column = tuple[str, str | Callable]


@dataclass
class Listing:
    page: Page
    query: str
    sort: str
    columns: list[dict]
    querystring: str
    params: QueryDict
    page_param: str = "page"
    queryset: QuerySet | None = field(default=None, repr=False)

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
        queryset=queryset,
    )


def export_listing(
    request,
    listing: Listing,
    *,
    title: str,
    columns: Sequence[Column],
    prepare: Callable[[list], Iterable] | None = None,
    audit: Callable[..., object] | None = None,
) -> HttpResponse | None:
    """The download a list page was asked for with `?format=csv|xlsx`, or None for the page.

    Every row of `listing` (its search, filters and sort, all pages) becomes a row of
    `columns`. `prepare` turns each chunk of rows into what the columns read (e.g. adds counts
    in one query a chunk). `audit`, the audit service of a list of personal data
    (audit.services.record_list_export), is called once before the download with the
    downloader, the list's title, the format, the number of rows and the search and filters
    used: never the rows.
    """
    fmt = wants_export(request)
    if fmt is None:
        return None
    getters = [_getter(spec) for _, spec in columns]
    rows = [[get(item) for get in getters] for item in _chunked(listing.queryset, prepare)]
    if audit is not None:
        audit(
            acting_user=request.user,
            list_name=title,
            fmt=fmt,
            rows=len(rows),
            search=listing.query,
            filters={k: v for k, v in listing.params.items() if k not in NOT_FILTERS and v != ""},
        )
    return export_response(
        filename=f"{title} {timezone.localdate().isoformat()}",
        fmt=fmt,
        tables=[ExportTable(title=title, headings=[h for h, _ in columns], rows=rows)],
    )


def _chunked(queryset: QuerySet, prepare):
    items = queryset.iterator(chunk_size=EXPORT_CHUNK)
    while chunk := list(islice(items, EXPORT_CHUNK)):
        yield from (prepare(chunk) if prepare else chunk)


def _getter(spec: str | Callable) -> Callable:
    """A column's reader: the callable itself, or one following a dotted path ("school.area.name",
    empty past a null foreign key) and calling a method at its end ("get_status_display")."""
    if callable(spec):
        return spec
    names = spec.split(".")

    def get(item):
        value = item
        for name in names:
            if value is None:
                return None
            value = getattr(value, name)
        return value() if callable(value) else value

    return get


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
