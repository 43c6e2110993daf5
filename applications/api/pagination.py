"""Pages of 50 objects, up to 200 with `?per_pagina=`."""

from rest_framework.pagination import PageNumberPagination


class Paginering(PageNumberPagination):
    page_size = 50
    page_query_param = "pagina"
    page_size_query_param = "per_pagina"
    max_page_size = 200
