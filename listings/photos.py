"""A listing's photos: adding, ordering and deleting them, and the sizes pages show.

`card` fills the 4:3 tile of result lists and similar listings; `large` is the
photo on the listing page. Both are WebP, made once after upload by the
background job (listings.tasks.queue_photo_sizes), never while a page is shown.
Pages fall back to the (re-encoded, at most 2400 px) original until then.
"""

import io
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from .models import MAX_PHOTOS, Listing, ListingPhoto
from .services import ListingError

CARD_SIZE = (480, 360)
LARGE_SIDE = 1200
ORIGINAL_SIDE = 2400


def _webp(image) -> bytes:
    output = io.BytesIO()
    image.save(output, format="WEBP", quality=80, method=4)
    return output.getvalue()


def make_sizes(photo) -> None:
    """Renders `card` and `large` for a saved ListingPhoto and stores them."""
    with photo.image.open("rb") as source, Image.open(source) as image:
        image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
        card = ImageOps.fit(image, CARD_SIZE, method=Image.Resampling.LANCZOS)
        large = image.copy()
        large.thumbnail((LARGE_SIDE, LARGE_SIDE), Image.Resampling.LANCZOS)
    stem = Path(photo.image.name).stem
    photo.card.save(f"{stem}-card.webp", ContentFile(_webp(card)), save=False)
    photo.large.save(f"{stem}-large.webp", ContentFile(_webp(large)), save=False)
    photo.save(update_fields=["card", "large"])


def delete_files(photo) -> None:
    """Removes the stored files of a photo that is being deleted."""
    for field in (photo.image, photo.card, photo.large):
        if field:
            field.delete(save=False)


@transaction.atomic
def add_photos(listing, uploads) -> list:
    """Stores (picture, alt text) pairs after the listing's last photo. The listing's row
    is locked while counting, so two uploads at once cannot pass MAX_PHOTOS together."""
    Listing.objects.select_for_update().filter(pk=listing.pk).first()
    existing = listing.photos.aggregate(count=Count("pk"), last=Max("position"))
    if existing["count"] + len(uploads) > MAX_PHOTOS:
        raise ListingError(
            _("A listing has at most %(max)s photos; you can add %(room)s more.")
            % {"max": MAX_PHOTOS, "room": max(0, MAX_PHOTOS - existing["count"])}
        )
    position = existing["last"] + 1 if existing["last"] is not None else 0
    added = []
    for offset, (picture, alt_text) in enumerate(uploads):
        photo = ListingPhoto(listing=listing, alt_text=alt_text, position=position + offset)
        photo.image.save(picture.name, picture, save=False)
        photo.save()
        added.append(photo)
    return added


@transaction.atomic
def move_photo(listing, photo, step: int) -> None:
    """Moves a photo one place up (step -1) or down (+1); the first photo is the cover."""
    ordered = list(listing.photos.select_for_update().order_by("position", "pk"))
    index = next(i for i, candidate in enumerate(ordered) if candidate.pk == photo.pk)
    target = index + step
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, candidate in enumerate(ordered):
        if candidate.position != position:
            candidate.position = position
            candidate.save(update_fields=["position"])


@transaction.atomic
def delete_photo(photo) -> None:
    """Deletes the photo and, once that is committed, its files."""
    photo.delete()
    transaction.on_commit(lambda: delete_files(photo))
