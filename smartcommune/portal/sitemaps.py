"""The sitemap: every public page of the communes on the platform (Django's sitemaps framework)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import selectors
from .models import Article, Document
from .opendata import registry

PUBLIC_COMMUNE_PAGES = ("portal:commune", "portal:news", "portal:documents", "portal:transparency", "portal:opendata")


class StaticPages(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["portal:home"]

    def location(self, item):
        return reverse(item)


class CommunePages(Sitemap):
    changefreq = "daily"

    def items(self):
        return [(name, c.code) for c in selectors.active_communes() for name in PUBLIC_COMMUNE_PAGES]

    def location(self, item):
        return reverse(item[0], args=[item[1]])


class ProvincePages(Sitemap):
    changefreq = "monthly"

    def items(self):
        return list(selectors.provinces_with_counts().values_list("code", flat=True))

    def location(self, code):
        return reverse("portal:province", args=[code])


class Articles(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Article.objects.public().select_related("commune").order_by("-published_at")[:5000]

    def location(self, article):
        return reverse("portal:article", args=[article.commune.code, article.slug])

    def lastmod(self, article):
        return article.updated_at


class Datasets(Sitemap):
    changefreq = "daily"

    def items(self):
        return [(c.code, d.slug) for c in selectors.active_communes() for d in registry.all_datasets()]

    def location(self, item):
        return reverse("portal:dataset", args=list(item))


class DocumentFiles(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Document.objects.public().select_related("commune").order_by("-issued_on")[:5000]

    def location(self, document):
        return reverse("portal:document_file", args=[document.commune.code, document.pk])

    def lastmod(self, document):
        return document.updated_at


SITEMAPS = {
    "pages": StaticPages,
    "provinces": ProvincePages,
    "communes": CommunePages,
    "articles": Articles,
    "documents": DocumentFiles,
    "datasets": Datasets,
}
