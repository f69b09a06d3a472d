"""Scoping by region, in one place for every region-owned model (regions.models brings it
in; the moderation log, regions.audit, uses it without importing the models)."""

from django.db import models


class RegionOwnedQuerySet(models.QuerySet):
    """Scoping by region, in one place for every region-owned model.

    `region_lookup` is the path from the model to its Region.
    """

    region_lookup = "region"

    def in_region(self, region):
        return self.filter(**{self.region_lookup: region})

    def in_regions(self, regions):
        return self.filter(**{f"{self.region_lookup}__in": regions})
