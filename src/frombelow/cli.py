"""The ``frombelow`` command.

Bad input (a malformed file, an unknown candidate, impossible seats) ends with exit
status 2 and one line naming the file, line and problem, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from frombelow.apportion import METHODS as APPORTIONMENT_METHODS
from frombelow.apportion import Apportionment
from frombelow.tally.errors import TallyError
from frombelow.tally.tiebreak import TieBreak

if TYPE_CHECKING:
    from frombelow.ledger import recounts

EXIT_BAD_INPUT = 2


class InputError(Exception):
    """A problem with what the user gave us; reported in one line, exit 2."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except InputError as error:
        return _fail(str(error))
    except TallyError as error:  # the engine's own errors are bad input: say what, exit 2
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader (e.g. `head`) stopped listening: nothing more to say
        sys.stderr.close()
        return 0


def _fail(message: str) -> int:
    print(f"frombelow: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _parser() -> argparse.ArgumentParser:
    from frombelow.tally.formats import READERS
    from frombelow.tally.methods import METHODS
    from frombelow.tally.options import DUPLICATE_RULES, OVERVOTE_RULES, QUOTAS

    parser = argparse.ArgumentParser(prog="frombelow", description="Democracy from below: count, share seats, verify.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    tally = commands.add_parser(
        "tally",
        help="count an election from a ballot file",
        description="Count an election from a ballot file and explain every round.",
        epilog="Methods: " + "; ".join(f"{m.name}: {m.summary}" for m in METHODS.values()),
    )
    tally.add_argument(
        "file", type=Path, nargs="?", help="ballot file (BLT, PrefLib, CSV, NIST CDF JSON, party,votes CSV)"
    )
    tally.add_argument(
        "--rctab-config", type=Path, metavar="CONFIG", help="count the contest an RCTab config describes"
    )
    tally.add_argument("--report-dir", type=Path, metavar="DIR", help="with --rctab-config: write RCTab-style reports")
    tally.add_argument("--format", choices=list(READERS), help="force the file format (default: detect from content)")
    tally.add_argument("--contest", help="cdf-json: the contest to count (its @id or Name; default: the first ranked)")
    tally.add_argument("--method", choices=list(METHODS), metavar="METHOD", help="counting method (required with FILE)")
    tally.add_argument("--seats", type=_positive, help="seats to fill (default: the file's, else 1)")
    tally.add_argument("--json", action="store_true", help="print the result as one JSON object")
    tally.add_argument(
        "--tiebreak",
        nargs="+",
        metavar=("RULE", "ORDER"),
        default=["previous-rounds"],
        help="previous-rounds (default) | random (with --seed) | list A,B,C (first listed is strongest) | "
        "previous-rounds-then-list A,B,C | java-random, previous-rounds-then-java-random, java-permutation "
        "(RCTab's seeded modes, with --seed) | ask, previous-rounds-then-ask (stop at a tie)",
    )
    tally.add_argument("--seed", type=int, default=0, help="seed for random tie-breaks (default 0)")
    tally.add_argument("--overvote", choices=OVERVOTE_RULES, default="exhaust", help="what an overvoted rank does")
    tally.add_argument("--max-skipped-ranks", type=_count, help="a ballot skipping more ranks in a row is exhausted")
    tally.add_argument("--duplicates", choices=DUPLICATE_RULES, default="skip", help="a candidate ranked again")
    tally.add_argument("--max-rankings", type=_positive, help="ranks beyond this are ignored")
    tally.add_argument("--batch-elimination", action="store_true", help="exclude all hopeless candidates at once")
    tally.add_argument("--continue-until-two", action="store_true", help="IRV: go on until two remain")
    tally.add_argument("--quota", choices=QUOTAS, default="droop", help="STV quota (default droop)")
    tally.add_argument("--threshold", type=_percentage, default=Fraction(0), help="party list: legal threshold in %%")
    tally.add_argument("--decimals", type=_count, default=5, help="STV: decimal places of vote arithmetic")
    rctab_rules = tally.add_argument_group("RCTab's rules (irv, stv-rctab, bottoms-up, sequential-irv)")
    rctab_rules.add_argument("--rctab", action="store_true", help="irv: count with RCTab's round structure")
    rctab_rules.add_argument("--first-round-threshold", action="store_true", help="the first round fixes the threshold")
    rctab_rules.add_argument("--minimum-votes", type=_count, default=0, help="fewer votes: eliminated at once")
    rctab_rules.add_argument("--stop-after-round", type=_positive, help="stop the count after this round")
    rctab_rules.add_argument("--one-winner-per-round", action="store_true", help="stv-rctab: elect one per round")
    rctab_rules.add_argument("--bottoms-up-share", type=_percentage, help="bottoms-up: until all have this %%")
    tally.add_argument(
        "-o",
        "--output",
        type=Path,
        action="append",
        default=[],
        help="also write FILE: .json result, .csv round table, .blt the ballots (repeatable)",
    )
    tally.set_defaults(run=_tally)

    apportion = commands.add_parser(
        "apportion",
        help="share seats among units by population",
        description="Share seats among units (councils, states, lists) in proportion to their population.",
    )
    apportion.add_argument("file", type=Path, help="CSV with name,population rows")
    apportion.add_argument("--seats", type=_positive, required=True, help="seats to share")
    apportion.add_argument(
        "--method",
        required=True,
        choices=list(APPORTIONMENT_METHODS),
    )
    apportion.add_argument("--min-seats", type=_count, default=0, help="seats every unit gets at least")
    apportion.add_argument("--max-seats", type=_positive, help="seats no unit gets more than")
    apportion.add_argument("--json", action="store_true", help="print the result as one JSON object")
    apportion.set_defaults(run=_apportion)
    _record_commands(commands)
    return parser


def _record_commands(commands: argparse._SubParsersAction) -> None:
    """verify, recount, proof, export: checking the record, offline, by anyone."""
    verify = commands.add_parser(
        "verify",
        help="check a bundle: hash chain, Merkle roots, signatures, every count",
        description="Check everything in a bundle offline: the hash chain, every checkpoint's Merkle root and "
        "signature, each checkpoint consistent with the next, and every published count recomputed from its "
        "ballots. Exit 0 if intact; 1 naming the first bad entry.",
    )
    verify.add_argument("bundle", type=Path)
    verify.add_argument(
        "--key", help="the instance's key id, as published elsewhere (else the bundle's key is trusted)"
    )
    verify.add_argument("--thorough", action="store_true", help="also decode every event and check it is canonical")
    verify.add_argument(
        "--kept",
        type=Path,
        metavar="FILE",
        help="checkpoints you kept from before (lines of a checkpoints.jsonl): the bundle must extend each",
    )
    verify.set_defaults(run=_verify)

    recount = commands.add_parser(
        "recount",
        help="recount one vote of a bundle from its published ballots",
        description="Recount a vote (an election, a motion, a recall, a referendum) from the ballots the bundle "
        "publishes, print its rounds, and say whether it agrees with the published count. Without ELECTION, "
        "list the counted votes.",
    )
    recount.add_argument("bundle", type=Path)
    recount.add_argument("election", nargs="?", help="an election id, or a poll id such as 'vote on m1'")
    recount.add_argument(
        "--receipt", help="COMMITMENT:NONCE (or the commitment alone): say whether that ballot is in the count"
    )
    recount.add_argument("--json", action="store_true", help="print the recount as one JSON object")
    recount.set_defaults(run=_recount)

    proof = commands.add_parser(
        "proof",
        help="print an inclusion proof of one entry, or check one",
        description="Print, as JSON, the proof that entry INDEX is in the log the bundle's last checkpoint signs "
        "(RFC 6962 audit path); with --check FILE, check such a proof.",
    )
    proof.add_argument("bundle", type=Path, nargs="?")
    proof.add_argument("index", type=_count, nargs="?")
    proof.add_argument("--check", type=Path, metavar="FILE", help="check the proof in FILE instead")
    proof.add_argument("--key", help="with --check: the instance's key id, as published elsewhere")
    proof.set_defaults(run=_proof)

    export = commands.add_parser(
        "export",
        help="write a bundle anyone can check (--demo: a simulated federation's)",
        description="Write a bundle: events.jsonl, checkpoints.jsonl, public_key.pem and the published ballots. "
        "--demo simulates a federation through two terms (thousands of events, many elections) so anyone can "
        "try verify, recount and proof without a server.",
    )
    export.add_argument("directory", type=Path)
    export.add_argument("--demo", action="store_true", help="export a simulated federation's record")
    export.add_argument("--seed", type=int, default=1917, help="with --demo: the simulation's seed")
    export.set_defaults(run=_export)

    serve = commands.add_parser(
        "serve",
        help="run the web platform (--demo: load the demo federation into an empty database first)",
        description="Run the platform on DATABASE_URL (default: SQLite in $FROMBELOW_DATA, ./var). "
        "A development server: in production run frombelow.web.wsgi under gunicorn (docs/operating.md).",
    )
    serve.add_argument("address", nargs="?", default="127.0.0.1:8000")
    serve.add_argument("--demo", action="store_true", help="load the demo federation if the database is empty")
    serve.set_defaults(run=lambda args: _platform().serve(args.address, args.demo))
    rebuild = commands.add_parser(
        "rebuild", help="write the platform's projection tables again from its ledger table alone"
    )
    rebuild.set_defaults(run=lambda args: _platform().rebuild())
    restore = commands.add_parser(
        "restore",
        help="load a bundle into an empty database and rebuild the projections (disaster recovery)",
        description="Verify BUNDLE, then load its entries and checkpoints, byte for byte, into an empty database "
        "and rebuild the projection tables from them. The signing key in FROMBELOW_SIGNING_KEY must be the key "
        "that signed the bundle. Refused, changing nothing, if the database is not empty, the bundle does not "
        "verify, or a secret vote still open has ballots the bundle cannot hold (docs/operating.md).",
    )
    restore.add_argument("bundle", type=Path)
    restore.add_argument(
        "--accounts", type=Path, metavar="FILE", help="also restore the logins a frombelow export-accounts wrote"
    )
    restore.add_argument(
        "--new-key",
        action="store_true",
        help="sign from now on with another key than the bundle's: only if its key is lost or leaked (verifiers "
        "see the key change, and the bundles exported afterwards do not pass verify as one key's)",
    )
    restore.set_defaults(
        run=lambda args: _refusable(lambda: _platform().restore(args.bundle, args.accounts, args.new_key))
    )
    export_accounts = commands.add_parser(
        "export-accounts",
        help="write the logins (password hashes, names) to a new file readable by you alone, for restore --accounts",
    )
    export_accounts.add_argument("file", type=Path)
    export_accounts.set_defaults(run=lambda args: _refusable(lambda: _platform().export_accounts(args.file)))
    tick = commands.add_parser("tick", help="count the polls whose time is up, bring decisions into effect (cron)")
    tick.set_defaults(run=lambda args: _platform().tick())
    manage = commands.add_parser("manage", help="Django's management commands on the platform's settings")
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    manage.set_defaults(run=lambda args: _platform().manage(args.arguments))


EXIT_NOT_INTACT = 1


def _bundle(path: Path) -> Path:
    if not path.is_dir():
        raise InputError(f"{path}: no such bundle (a directory with events.jsonl, checkpoints.jsonl, public_key.pem)")
    return path


def _verify(args: argparse.Namespace) -> int:
    from frombelow.ledger.verifying import VerificationFailed, verify

    kept = _kept_checkpoints(args.kept) if args.kept else ()
    try:
        report = verify(_bundle(args.bundle), thorough=args.thorough, key=args.key, kept=kept)
    except VerificationFailed as failure:
        print(f"frombelow verify: {args.bundle}: NOT INTACT: {failure}", file=sys.stderr)
        return EXIT_NOT_INTACT
    print(f"{args.bundle}: {report.summary()}")
    return 0


def _kept_checkpoints(path: Path) -> list:
    from frombelow.ledger import checkpoints

    try:
        lines = path.read_bytes().splitlines()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    kept = []
    for number, line in enumerate(lines, start=1):
        try:
            kept.append(checkpoints.read(line))
        except ValueError as error:
            raise InputError(f"{path}, line {number}: not a checkpoint: {error}") from None
    return kept


def _recount(args: argparse.Namespace) -> int:
    import json

    from frombelow.ledger import recounts

    bundle = _bundle(args.bundle)
    if args.election is None:
        if args.receipt:
            raise InputError("--receipt needs the ELECTION whose count to look in")
        for opened, counted in recounts.votes(bundle):
            winners = f": {', '.join(counted.elected)}" if counted.elected else ""
            print(f"{opened.poll!r} ({opened.purpose}, {opened.method}) {counted.outcome}{winners}")
        return 0
    try:
        done = recounts.recount(*recounts.find(bundle, args.election))
    except recounts.NoSuchVote as error:
        raise InputError(str(error)) from None
    if args.json:
        print(json.dumps(_recount_data(done), ensure_ascii=False))
    else:
        print(_recount_text(done), end="")
    if not done.agrees:
        print(
            f"frombelow recount: the published count of {done.opened.poll!r} is NOT what its ballots give",
            file=sys.stderr,
        )
        return EXIT_NOT_INTACT
    if args.receipt:
        from frombelow.ballotbox import check_receipt

        ballot = check_receipt(done.published.ballots, args.receipt)
        if ballot is None:
            print(
                f"frombelow recount: receipt {args.receipt} is NOT in the count of {done.opened.poll!r}",
                file=sys.stderr,
            )
            return EXIT_NOT_INTACT
        if not args.json:
            print(f"receipt {args.receipt}: in the count, as the ballot {' > '.join(ballot.marks) or '(blank)'}")
    return 0


def _recount_data(done: recounts.Recount) -> dict[str, object]:
    from frombelow.federation.codec import to_data
    from frombelow.tally.writers.json import result_dict

    return {
        "poll": done.opened.poll,
        "question": done.opened.question,
        "method": done.opened.method,
        "agrees": done.agrees,
        "published": to_data(done.published),
        "rounds": result_dict(done.rounds) if done.rounds is not None else None,
    }


def _proof(args: argparse.Namespace) -> int:
    import json

    from frombelow.ledger import proofs

    if args.check is not None:
        if args.bundle is not None or args.index is not None:
            raise InputError("proof --check FILE takes no BUNDLE or INDEX")
        try:
            proof = json.loads(args.check.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise InputError(f"{args.check}: cannot read a proof: {error}") from None
        try:
            print(f"{args.check}: holds: {proofs.check(proof, key=args.key)}")
        except proofs.BadProof as error:
            print(f"frombelow proof: {args.check}: does NOT hold: {error}", file=sys.stderr)
            return EXIT_NOT_INTACT
        return 0
    if args.bundle is None or args.index is None:
        raise InputError("proof needs a BUNDLE and an entry INDEX (or --check FILE)")
    try:
        print(json.dumps(proofs.inclusion(_bundle(args.bundle), args.index), indent=2))
    except proofs.BadProof as error:
        raise InputError(f"{args.bundle}: {error}") from None
    return 0


def _platform():  # Django is loaded only for the platform's own commands
    from frombelow.web import operations

    return operations


def _refusable(command: Callable[[], int]) -> int:
    """Run a platform command; its refusal (nothing changed) is bad input: one line, exit 2."""
    platform = _platform()
    try:
        return command()
    except platform.Refused as refusal:
        raise InputError(str(refusal)) from None


def _export(args: argparse.Namespace) -> int:
    if args.directory.exists() and any(args.directory.iterdir()):
        raise InputError(f"{args.directory}: not empty; export writes a fresh bundle")
    if not args.demo:
        return _platform().export(args.directory)
    from frombelow.demo import RECEIPTS_FILE, write_demo_bundle

    print(f"simulating a federation (seed {args.seed}) and signing its record…", file=sys.stderr)
    written = write_demo_bundle(args.directory, seed=args.seed)
    events, checkpoints = (
        len((written / name).read_bytes().splitlines()) for name in ("events.jsonl", "checkpoints.jsonl")
    )
    print(f"{written}: {events:,} events, {checkpoints:,} signed checkpoints; try: frombelow verify {written}")
    poll, receipt = (written / RECEIPTS_FILE).read_text(encoding="utf-8").splitlines()[0].split("\t")
    print(
        f"a simulated voter's receipt (more in {RECEIPTS_FILE}): frombelow recount {written} '{poll}' --receipt {receipt}"
    )
    return 0


def _recount_text(done: recounts.Recount) -> str:
    from frombelow.tally.writers import text

    opened, published = done.opened, done.published
    lines = [f"{opened.question} ({opened.poll}, {opened.method}, {len(published.ballots):,} ballots)", ""]
    if done.rounds is not None:
        lines.append(text.render(done.rounds, opened.question).rstrip("\n"))
    else:
        for choice, votes in published.totals:
            lines.append(f"  {choice:<10} {votes}")
        lines.append(f"  turnout    {published.turnout} of {opened.total_weight} (quorum {opened.quorum})")
    lines += ["", f"outcome: {published.outcome}" + (f": {', '.join(published.elected)}" if published.elected else "")]
    lines.append(
        "the published count is recomputed exactly from its ballots"
        if done.agrees
        else "the published count DIFFERS from what its ballots give"
    )
    if published.tiebreak:
        lines.append(f"ties: {published.tiebreak}")
    return "\n".join(lines) + "\n"


def _tally(args: argparse.Namespace) -> int:
    if args.rctab_config:
        options = {"FILE": args.file, "--method": args.method, "--seats": args.seats, "--format": args.format}
        options |= {"-o": args.output, "--contest": args.contest}
        given = [name for name, value in options.items() if value]
        if given:
            raise InputError(f"--rctab-config takes ballots, method and rules from the config: drop {', '.join(given)}")
        return _rctab(args)
    if args.report_dir:
        raise InputError("--report-dir goes with --rctab-config; use -o to write a result")
    if not args.file or not args.method:
        raise InputError("tally needs a ballot FILE and --method (or --rctab-config CONFIG)")
    from frombelow.tally import Ballots, CountError, Options, count, read
    from frombelow.tally.writers import blt, json, rounds_csv, text

    writers = {".json": lambda result: json.dumps(result) + "\n", ".csv": rounds_csv.dumps}
    for path in args.output:  # refuse a bad output before any work, so nothing is half-written
        suffix = path.suffix.lower()
        if suffix not in (*writers, ".blt"):
            raise InputError(f"{path}: cannot write {suffix or 'a file without suffix'}; use .json, .csv or .blt")
    reader_options = {"contest": args.contest} if args.contest else {}
    election = read(args.file, args.format, progress=True, **reader_options)
    options = Options(
        tiebreak=_tiebreak(args, getattr(election, "candidates", ())),
        overvote=args.overvote,
        max_skipped_ranks=args.max_skipped_ranks,
        duplicates=args.duplicates,
        max_rankings=args.max_rankings,
        batch_elimination=args.batch_elimination,
        continue_until_two=args.continue_until_two,
        quota=args.quota,
        threshold=args.threshold,
        decimals=args.decimals,
        rctab=args.rctab,
        first_round_threshold=args.first_round_threshold,
        minimum_votes=args.minimum_votes,
        stop_after_round=args.stop_after_round,
        one_winner_per_round=args.one_winner_per_round,
        bottoms_up_share=args.bottoms_up_share,
    )
    try:
        result = count(election, args.method, args.seats, options)
    except CountError as error:
        raise InputError(f"{args.file}: {error}") from None
    for path in args.output:
        suffix = path.suffix.lower()
        if suffix == ".blt":
            if not isinstance(election, Ballots):
                raise InputError(f"{path}: {args.file} holds party vote totals, not ballots to write as BLT")
            content = blt.dumps(election, result.seats)
        else:
            content = writers[suffix](result)
        try:
            path.write_text(content, encoding="utf-8")
        except OSError as error:
            raise InputError(f"{path}: cannot write: {error.strerror or error}") from None
    print(json.dumps(result) if args.json else text.render(result, election.title), end="\n" if args.json else "")
    return 0


def _rctab(args: argparse.Namespace) -> int:
    from frombelow.tally import rctab
    from frombelow.tally.writers import json, text

    contest = rctab.load(args.rctab_config)
    # A --tiebreak given here overrides the config's (e.g. the order drawn when it says "ask").
    names = [c.name for c in contest.candidates]
    tiebreak = _tiebreak(args, names) if args.tiebreak != ["previous-rounds"] else None
    try:
        tabulation = rctab.tabulate(contest, tiebreak)
    except TallyError as error:
        message = str(error)
        raise InputError(message if str(args.rctab_config) in message else f"{args.rctab_config}: {message}") from None
    if args.report_dir:
        try:
            rctab.write_reports(tabulation, args.report_dir)
        except OSError as error:
            raise InputError(f"{args.report_dir}: cannot write reports: {error.strerror or error}") from None
    if args.json:
        print(json.dumps(tabulation.result))
    else:
        print(text.render(tabulation.result, contest.name), end="")
    return 0


def _tiebreak(args: argparse.Namespace, candidates: Sequence[str]) -> TieBreak:
    rule, *rest = args.tiebreak
    if rule in ("list", "previous-rounds-then-list"):
        if len(rest) != 1:
            raise InputError(f"--tiebreak {rule} needs the order of candidates, e.g. --tiebreak {rule} 'Ann,Bob,Cy'")
        order = tuple(name.strip() for name in rest[0].split(",") if name.strip())
        return TieBreak(mode=rule, order=order, seed=args.seed)
    if rest:
        raise InputError(f"--tiebreak {rule} takes no further value (got {' '.join(rest)!r})")
    # RCTab's generatePermutation shuffles the candidates in the file's order.
    order = tuple(candidates) if rule == "java-permutation" else ()
    return TieBreak(mode=rule, order=order, seed=args.seed)


def _apportion(args: argparse.Namespace) -> int:
    import json

    from frombelow.apportion import ApportionmentError, apportion, read_populations

    try:
        populations = read_populations(args.file)
        result = apportion(populations, args.seats, args.method, min_seats=args.min_seats, max_seats=args.max_seats)
    except ApportionmentError as error:
        raise InputError(str(error)) from None
    if args.json:
        print(
            json.dumps(
                {
                    "method": args.method,
                    "seats": dict(result.seats),
                    "gallagher": result.gallagher,
                    "loosemore_hanby": result.loosemore_hanby,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(_apportionment_table(populations, result, args.method))
    return 0


def _apportionment_table(populations: dict[str, int], result: Apportionment, method: str) -> str:
    seats = result.seats
    total_population = sum(populations.values())
    total_seats = sum(seats.values())
    width = max(len(name) for name in populations)
    top = max(seats.values(), default=0) or 1
    lines = [f"{method}: {total_seats} seats among {len(populations)} units", ""]
    lines.append(f"{'Unit'.ljust(width)}  {'population':>12}  {'share %':>8}  {'seats':>5}  {'seats %':>8}")
    for name, population in populations.items():
        n = seats.get(name, 0)
        bar = "█" * round(30 * n / top)
        lines.append(
            f"{name.ljust(width)}  {population:>12,}  {100 * population / total_population:>8.2f}"
            f"  {n:>5}  {100 * n / total_seats:>8.2f}  {bar}"
        )
    lines.append("")
    lines.append(f"Gallagher index {result.gallagher:.3f}; Loosemore–Hanby index {result.loosemore_hanby:.3f}")
    return "\n".join(lines)


def _positive(text: str) -> int:
    value = _count(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, not {value}")
    return value


def _percentage(text: str) -> Fraction:
    try:
        value = Fraction(text.rstrip("%"))
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 100")
    return value


if __name__ == "__main__":
    sys.exit(main())
