"""``manage.py facilities load_equipment_list FILE``: load (a new version of) the minimum
teaching-equipment lists from a .csv or .xlsx file; ``--sample`` loads the sample file
shipped with the app. Nothing is loaded when the file has a problem."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from truongso.facilities.files import UnreadableFile, read_rows
from truongso.facilities.services import EquipmentListError, equipment_list_load

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "minimum_equipment_sample.csv"


class Command(BaseCommand):
    help = "Facilities: load the minimum teaching-equipment lists."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load_equipment_list", help="Load a list file (.csv or .xlsx).")
        load.add_argument("file", nargs="?", help="The file to load.")
        load.add_argument("--sample", action="store_true", help="Load the sample file.")

    def handle(self, *args, **options):
        if options["sample"]:
            path = SAMPLE
        elif options.get("file"):
            path = Path(options["file"])
        else:
            raise CommandError("Give a FILE or --sample.")
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            loaded = equipment_list_load(
                actor=None, rows=read_rows(path, path.name), source_file=path.name
            )
        except UnreadableFile as error:
            raise CommandError(str(error))
        except EquipmentListError as error:
            raise CommandError("\n".join(["Nothing was loaded:", *error.messages]))
        for item in loaded:
            state = "loaded" if item.created else "unchanged"
            self.stdout.write(
                f"{item.equipment_list.code} v{item.equipment_list.version}: "
                f"{item.items} items, {state}"
            )
