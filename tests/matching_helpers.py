"""Helpers shared by the matching and watch list tests."""

from core import jobs
from core.models import Job
from regions.models import Place


def place(name):
    """A place of Potsdam-Mittelmark by name (the `places` fixture imports them)."""
    return Place.objects.get(district_key="12069", name=name)


def run_jobs() -> int:
    """Runs every due job as the worker would, the jobs they queue (mails) too."""
    return jobs.run_due()


def waiting(name) -> int:
    return Job.objects.filter(name=name, state=Job.State.WAITING).count()
