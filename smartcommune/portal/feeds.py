"""RSS 2.0 and Atom feeds of a commune's published articles (Django's syndication framework)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from smartcommune.places.models import Commune
from smartcommune.places.shortcuts import commune_or_404

from . import news


class ArticlesRss(Feed):
    feed_type = Rss201rev2Feed
    language = "vi"

    def get_object(self, request, commune_code: str):
        return commune_or_404(commune_code)

    def title(self, commune: Commune) -> str:
        return f"Tin tức — {commune.name}"

    def link(self, commune: Commune) -> str:
        return reverse("portal:news", args=[commune.code])

    def description(self, commune: Commune) -> str:
        return f"Tin tức và thông báo của {commune.name}, {commune.province.full_name}."

    def items(self, commune: Commune):
        return news.public_articles(commune)[:30]

    def item_title(self, article) -> str:
        return article.title

    def item_description(self, article) -> str:
        return news.excerpt(article, 60)

    def item_link(self, article) -> str:
        return reverse("portal:article", args=[article.commune.code, article.slug])

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_categories(self, article):
        return [str(article.get_category_display())]


class ArticlesAtom(ArticlesRss):
    feed_type = Atom1Feed
    subtitle = ArticlesRss.description
