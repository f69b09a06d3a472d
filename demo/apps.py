from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo of `make run` (`manage.py load_demo`); it plays every step through the apps'
    own services, and no app imports it."""

    name = "demo"
    verbose_name = "Demo"
