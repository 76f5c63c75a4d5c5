"""The command line as people (and the acceptance checks) use it: real processes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "src" / "frombelow" / "examples" / "council_delegates.blt"
NSW = ROOT.parent / "shared" / "conformance" / "preflib" / "nswla"


def frombelow(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "frombelow.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


SMALL_BLT = '3 1\n8 1 0\n7 2 0\n4 3 2 0\n1 3 0\n0\n"Ann"\n"Bob"\n"Cy"\n"Small"\n'


def test_json_has_the_promised_shape(tmp_path: Path) -> None:
    done = frombelow("tally", write(tmp_path, "small.blt", SMALL_BLT), "--method", "irv", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert {"method", "seats", "winners", "ranking", "rounds", "ties"} <= set(result)
    assert result["method"] == "irv" and result["seats"] == 1 and result["winners"] == ["Bob"]
    first = result["rounds"][0]
    assert {"round", "tally", "quota", "elected", "eliminated", "transfers", "exhausted"} <= set(first)
    assert first["tally"] == {"Ann": 8, "Bob": 7, "Cy": 5}
    assert first["eliminated"] == ["Cy"]
    assert {"from": "Cy", "to": "Bob", "votes": 4} in first["transfers"]
    assert result["rounds"][1]["exhausted"] == 1


def test_readable_output_shows_rounds_and_winner(tmp_path: Path) -> None:
    done = frombelow("tally", write(tmp_path, "small.blt", SMALL_BLT), "--method", "irv")
    assert done.returncode == 0, done.stderr
    assert "R1: excluded Cy" in done.stdout
    assert "Elected: Bob" in done.stdout
    assert "█" in done.stdout  # the chart of the last round


def test_outputs_round_table_json_and_blt(tmp_path: Path) -> None:
    source = write(tmp_path, "small.blt", SMALL_BLT)
    out_json, out_csv, out_blt = tmp_path / "r.json", tmp_path / "r.csv", tmp_path / "copy.blt"
    done = frombelow("tally", source, "--method", "irv", "-o", out_json, "-o", out_csv, "-o", out_blt)
    assert done.returncode == 0, done.stderr
    assert json.loads(out_json.read_text())["winners"] == ["Bob"]
    assert out_csv.read_text().splitlines()[0] == "candidate,round 1,round 2,outcome"
    again = frombelow("tally", out_blt, "--method", "irv", "--json")
    assert json.loads(again.stdout)["rounds"] == json.loads(out_json.read_text())["rounds"]


@pytest.mark.skipif(not NSW.is_dir(), reason="shared conformance material not present")
def test_counts_a_real_election() -> None:
    done = frombelow("tally", NSW / "00058-00000003.soi", "--method", "irv", "--json")
    assert json.loads(done.stdout)["winners"] == ["SMITH Tamara"]


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ('3 1\n1 1 4 0\n0\n"A"\n"B"\n"C"\n"t"\n', ["--method", "irv"], "bad.blt, line 2: preference"),
        ('3 1\n1 1 2\n0\n"A"\n"B"\n"C"\n"t"\n', ["--method", "irv"], "line 2: ballot does not end with 0"),
        ('3 1\n0\n"A"\n"B"\n"C"\n"t"\n', ["--method", "irv"], "no ballots"),
        (SMALL_BLT, ["--method", "stv", "--seats", "4"], "bad.blt: 4 seats but only 3 candidates"),
        (SMALL_BLT, ["--method", "irv", "-o", "/no/such/folder/r.json"], "/no/such/folder/r.json: cannot write"),
        (SMALL_BLT, ["--method", "irv", "--contest", "x"], "the blt format takes no option contest"),
        (SMALL_BLT, ["--method", "irv", "--tiebreak", "list", "Ann,Zed"], "unknown candidate(s): Zed"),
        (SMALL_BLT, ["--method", "irv", "--tiebreak", "list"], "--tiebreak list needs the order"),
        (SMALL_BLT, ["--method", "irv", "-o", "x.txt"], "cannot write .txt"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(tmp_path: Path, content: str, args: list[str], message: str) -> None:
    path = write(tmp_path, "bad.blt", content)
    done = frombelow("tally", path, *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_usage_errors_exit_2() -> None:
    assert frombelow("tally", EXAMPLE, "--method", "nonsense").returncode == 2
    assert frombelow("tally", EXAMPLE).returncode == 2  # --method is required
    assert frombelow("tally", EXAMPLE, "--method", "irv", "--seats", "0").returncode == 2
    missing = frombelow("tally", "/no/such/file.blt", "--method", "irv")
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_party_totals_cannot_be_written_as_ballots(tmp_path: Path) -> None:
    parties = write(tmp_path, "parties.csv", "party,votes\nRed,340\nBlue,250\n")
    done = frombelow("tally", parties, "--method", "dhondt", "--seats", "5", "-o", tmp_path / "x.blt")
    assert done.returncode == 2 and "holds party vote totals" in done.stderr
    assert not (tmp_path / "x.blt").exists()
    table = tmp_path / "seats.csv"
    assert frombelow("tally", parties, "--method", "dhondt", "--seats", "5", "-o", table).returncode == 0
    assert table.read_text().splitlines() == ["party,votes,seats", "Red,340,3", "Blue,250,2"]


def test_apportion_prints_seats_and_indices(tmp_path: Path) -> None:
    units = write(tmp_path, "units.csv", "name,population\nVirginia,630560\nDelaware,55540\nGeorgia,70835\n")
    done = frombelow("apportion", units, "--seats", "20", "--method", "webster", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["method"] == "webster" and sum(result["seats"].values()) == 20
    assert set(result) == {"method", "seats", "gallagher", "loosemore_hanby"}
    table = frombelow("apportion", units, "--seats", "20", "--method", "webster")
    assert "Gallagher index" in table.stdout and "█" in table.stdout


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("name,population\nA,--5\n", ["--seats", "3", "--method", "adams"], "line 2"),
        (
            "name,population\nA,5\nB,7\n",
            ["--seats", "3", "--method", "adams", "--min-seats", "2"],
            "need 4 seats, not 3",
        ),
        ("name,population\nA,5\n", ["--seats", "3", "--method", "nonsense"], "invalid choice"),
    ],
)
def test_apportion_bad_input_exits_2(tmp_path: Path, content: str, args: list[str], message: str) -> None:
    done = frombelow("apportion", write(tmp_path, "units.csv", content), *args)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


RCTAB = ROOT.parent / "shared" / "conformance" / "rctab"


@pytest.mark.skipif(not RCTAB.is_dir(), reason="shared conformance material not present")
def test_rctab_config_counts_and_writes_reports(tmp_path: Path) -> None:
    config = RCTAB / "test_set_4_skipped_choice_next" / "test_set_4_skipped_choice_next_config.json"
    done = frombelow("tally", "--rctab-config", config, "--json", "--report-dir", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["winners"] == ["Candidate B Name"]
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == [
        "test_set_4_skipped_choice_next_detailed_report.csv",
        "test_set_4_skipped_choice_next_detailed_report.json",
    ]
    report = json.loads((tmp_path / "out" / written[1]).read_text())
    assert report["results"][-1]["tallyResults"][0]["elected"] == "Candidate B Name"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('{"rules": {}}', "outputSettings: missing"),
        ("{not json", "line 1: not valid JSON"),
    ],
)
def test_a_config_rctab_would_refuse_exits_2(tmp_path: Path, config: str, message: str) -> None:
    path = write(tmp_path, "bad_config.json", config)
    done = frombelow("tally", "--rctab-config", path)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_rctab_config_and_a_ballot_file_do_not_mix(tmp_path: Path) -> None:
    done = frombelow("tally", EXAMPLE, "--method", "irv", "--rctab-config", tmp_path / "c.json")
    assert done.returncode == 2 and "from the config: drop FILE, --method" in done.stderr


def test_rctab_rules_are_options_of_the_methods(tmp_path: Path) -> None:
    ballots = write(tmp_path, "b.blt", '3 2\n5 1 0\n4 2 1 0\n3 3 2 0\n0\n"A"\n"B"\n"C"\n"t"\n')
    stv = json.loads(frombelow("tally", ballots, "--method", "stv-rctab", "--decimals", "4", "--json").stdout)
    assert stv["winners"] == ["A", "B"] and stv["rounds"][0]["quota"] == 5
    stopped = frombelow("tally", ballots, "--method", "irv", "--stop-after-round", "1", "--json")
    assert stopped.returncode == 0, stopped.stderr
    assert json.loads(stopped.stdout)["winners"] == [] and len(json.loads(stopped.stdout)["rounds"]) == 1
    permuted = frombelow("tally", ballots, "--method", "irv", "--tiebreak", "java-permutation", "--seed", "3")
    assert permuted.returncode == 0 and "shuffled by java.util.Random, seed 3" in permuted.stdout


@pytest.mark.skipif(not RCTAB.is_dir(), reason="shared conformance material not present")
@pytest.mark.parametrize(("case", "detail"), [("precinct_example", "slices"), ("sequential_with_batch", "passes")])
def test_rctab_json_holds_slices_and_passes(case: str, detail: str) -> None:
    done = frombelow("tally", "--rctab-config", RCTAB / case / f"{case}_config.json", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["details"][detail]


@pytest.mark.skipif(not RCTAB.is_dir(), reason="shared conformance material not present")
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c["candidates"][0].update(excluded="false"), "candidates[0].excluded: must be true or false"),
        (lambda c: c["candidates"][2].update(aliases=[c["candidates"][0]["name"]]), "stands for both"),
        (lambda c: c["outputSettings"].update(tabulateByPrecinct="no"), "tabulateByPrecinct: must be true or false"),
        (lambda c: c["rules"].update(numberOfWinners="two"), "numberOfWinners: must be a whole number"),
        (lambda c: c["cvrFileSources"][0].update(provider="abacus"), "unknown provider 'abacus'"),
    ],
)
def test_config_fields_rctab_would_refuse_exit_2(tmp_path: Path, change, message: str) -> None:
    case = "tiebreak_seed_test"
    config = json.loads((RCTAB / case / f"{case}_config.json").read_text())
    for source in config["cvrFileSources"]:  # keep the CVR where it is
        source["filePath"] = str((RCTAB / case / source["filePath"]).resolve())
    change(config)
    path = write(tmp_path, "config.json", json.dumps(config))
    done = frombelow("tally", "--rctab-config", path)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(not RCTAB.is_dir(), reason="shared conformance material not present")
def test_a_tie_the_rules_leave_to_the_administrator_stops_and_a_drawn_order_settles_it() -> None:
    config = RCTAB / "tiebreak_seed_test" / "tiebreak_seed_test_config.json"
    asked = frombelow("tally", "--rctab-config", config, "--tiebreak", "ask")
    assert asked.returncode == 2 and "draw lots among them" in asked.stderr
    drawn = frombelow(
        "tally", "--rctab-config", config, "--tiebreak", "list", "George Gervin,Mookie Blaylock,Yinka Dare"
    )
    assert drawn.returncode == 0, drawn.stderr
    assert "list: George Gervin,Mookie Blaylock,Yinka Dare" in drawn.stdout


@pytest.mark.skipif(not RCTAB.is_dir(), reason="shared conformance material not present")
@pytest.mark.parametrize("mode", ["stopCountingAndAsk", "previousRoundCountsThenAsk"])
def test_a_config_that_says_ask_stops_at_the_tie(tmp_path: Path, mode: str) -> None:
    case = "tiebreak_seed_test"
    config = json.loads((RCTAB / case / f"{case}_config.json").read_text())
    for source in config["cvrFileSources"]:
        source["filePath"] = str((RCTAB / case / source["filePath"]).resolve())
    config["rules"]["tiebreakMode"] = mode
    done = frombelow("tally", "--rctab-config", write(tmp_path, "config.json", json.dumps(config)))
    assert done.returncode == 2 and "draw lots among them" in done.stderr
