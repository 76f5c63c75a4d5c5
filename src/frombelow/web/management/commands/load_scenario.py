"""``frombelow manage load_scenario N``: build ``scenarios.build(N)`` into an empty database, print it as JSON."""

from __future__ import annotations

import dataclasses
import json

from django.core.management.base import BaseCommand, CommandParser

from frombelow.web import scenarios


class Command(BaseCommand):
    help = "Build the load scenario (N members voting, signing and in a roll call at once); --close POLL counts a vote"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("members", nargs="?", type=int, default=200)
        parser.add_argument("--close", metavar="POLL", help="count this vote now (everyone has voted in it)")

    def handle(self, *args: object, **options: object) -> None:
        if options["close"]:
            scenarios.close(str(options["close"]))
            return
        self.stdout.write(json.dumps(dataclasses.asdict(scenarios.build(int(options["members"])))))
