"""The demo (`make run`) has an inquiry of each kind that offers a document, and the demo
member can download one of their own."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q
from django.test import Client

from agreements.documents import documents_for
from inquiries.models import Inquiry

pytestmark = pytest.mark.django_db


def test_demo_has_an_inquiry_offering_each_document_in_both_regions(upload_dirs):
    call_command("load_demo")

    offered = {
        (inquiry.region.slug, document.kind)
        for inquiry in Inquiry.objects.select_related(
            "region", "listing", "organisation", "listing_organisation"
        )
        for document in documents_for(inquiry)
    }
    kinds = ("loan-agreement", "rental-agreement", "donation-receipt")
    assert offered >= {(region, kind) for region in ("pm", "ohv") for kind in kinds}

    person = get_user_model().objects.get(email="mitglied@example.org")
    member = Client(HTTP_HOST="pm.localhost")
    member.force_login(person)
    own = next(
        inquiry
        for inquiry in Inquiry.objects.filter(
            Q(listing_organisation__memberships__user=person)
            | Q(organisation__memberships__user=person)
        ).distinct()
        if documents_for(inquiry)
    )
    url = f"/inquiries/{own.pk}/documents/{documents_for(own)[0].kind}.pdf"
    assert member.get(url).status_code == 200
