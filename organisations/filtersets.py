import django_filters
from django.utils.translation import gettext_lazy as _

from regions.models import Place

from .models import Organisation, OrganisationType, Sector


class OrganisationFilter(django_filters.FilterSet):
    """The region's directory: search by name, narrow by type, sector and place."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    type = django_filters.ChoiceFilter(
        choices=OrganisationType.choices, label=_("Type"), empty_label=_("All types")
    )
    sector = django_filters.ChoiceFilter(
        choices=Sector.choices, label=_("Sector"), empty_label=_("All sectors")
    )
    place = django_filters.ModelChoiceFilter(
        queryset=Place.objects.none(), label=_("Place"), empty_label=_("All places")
    )

    class Meta:
        model = Organisation
        fields = ["q", "type", "sector", "place"]

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["place"].queryset = Place.objects.in_region(region).order_by("name")
