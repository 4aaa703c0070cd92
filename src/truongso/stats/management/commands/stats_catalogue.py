"""Bring the indicator catalogue in line with its data file and the modules' figures."""

from django.core.management.base import BaseCommand

from truongso.stats.catalogue import catalogue_sync


class Command(BaseCommand):
    help = "Load the indicator catalogue (stats/catalogue/indicators.json and module figures)."

    def handle(self, *args, **options):
        written = catalogue_sync()
        self.stdout.write(f"{written} indicator(s) written.")
