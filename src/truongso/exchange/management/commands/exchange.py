"""``manage.py exchange``: push to the parent, register child nodes, show the state.

manage.py exchange push [--dry-run] [--every SECONDS] [--max-batches N]
manage.py exchange register-node NODE_ID --institutions CODE[,CODE...] [--name NAME]
manage.py exchange status
"""

from __future__ import annotations

import json
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from truongso.exchange import conf
from truongso.exchange.models import OutboxRecord, OutgoingBatch
from truongso.exchange.services.nodes import child_node_register
from truongso.exchange.services.outbox import batch_preview
from truongso.exchange.services.push import exchange_push


class Command(BaseCommand):
    help = "Exchange with the parent node (sector database): push, register nodes, status."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        push = sub.add_parser("push", help="send pending records to the parent")
        push.add_argument("--dry-run", action="store_true", help="show what would be sent")
        push.add_argument("--every", type=int, default=0, help="repeat every SECONDS")
        push.add_argument("--max-batches", type=int, default=1000)
        register = sub.add_parser("register-node", help="register a child node (prints token)")
        register.add_argument("node_id")
        register.add_argument("--institutions", required=True, help="comma-separated codes")
        register.add_argument("--name", default="")
        sub.add_parser("status", help="this node's sync state")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "push":
            return self._push(options)
        if action == "register-node":
            codes = [c.strip() for c in options["institutions"].split(",") if c.strip()]
            try:
                node, token = child_node_register(
                    actor=None, node_id=options["node_id"], name=options["name"],
                    institution_codes=codes,
                )  # fmt: skip
            except ValidationError as error:
                raise CommandError("; ".join(error.messages))
            self.stdout.write(f"node {node.node_id}: {', '.join(sorted(codes))}")
            self.stdout.write(f"token: {token}")
            return None
        self._status()
        return None

    def _push(self, options):
        if options["dry_run"]:
            entries = batch_preview()
            for entry in entries:
                self.stdout.write(
                    f"{entry['type']:16} {entry['event']:7} v{entry['version']:<4} "
                    f"{entry['institution_code']:10} {entry['record_id']}"
                )
            self.stdout.write(f"{len(entries)} record(s) would be sent; nothing was sent.")
            return
        while True:
            report = exchange_push(max_batches=options["max_batches"])
            self.stdout.write(
                f"batches {report.batches}, records {report.sent}, applied {report.applied}, "
                f"skipped {report.skipped}, deferred {report.deferred}, "
                f"conflicts {report.conflicts}, identifiers {report.identifiers}"
            )
            if report.error:
                self.stderr.write(report.error)
            if not options["every"]:
                if report.error:
                    raise CommandError("push not finished; run it again to resume")
                return
            time.sleep(options["every"])

    def _status(self):
        from django.db.models import F

        waiting = OutgoingBatch.objects.filter(acknowledged_at__isnull=True).first()
        state = {
            "node_id": conf.node_id(),
            "role": conf.role(),
            "parent_url": conf.parent_url(),
            "records": OutboxRecord.objects.count(),
            "pending": OutboxRecord.objects.filter(version__gt=F("sent_version")).count(),
            "refused": OutboxRecord.objects.exclude(conflict_message="").count(),
            "waiting_batch": waiting.cursor if waiting else None,
            "waiting_error": waiting.last_error if waiting else "",
        }
        self.stdout.write(json.dumps(state, ensure_ascii=False, indent=2))
