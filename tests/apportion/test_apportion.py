"""The package's front door: ``apportion`` by name, the indices, and the CSV reader."""

from pathlib import Path

import pytest

from frombelow.apportion import (
    MAX_SEATS,
    METHODS,
    ApportionmentError,
    apportion,
    gallagher,
    loosemore_hanby,
    read_populations,
)


def test_every_method_name_apportions() -> None:
    populations = {"North": 5_000, "South": 3_000, "Isles": 1_000}
    assert set(METHODS) == {"hamilton", "jefferson", "dhondt", "webster", "sainte-lague", "huntington-hill", "adams"}
    for name in METHODS:
        result = apportion(populations, 10, name)
        assert result.house_size == 10
        assert result.method == name
    assert dict(apportion(populations, 10, "webster").seats) == {"North": 6, "South": 3, "Isles": 1}


def test_gallagher_and_loosemore_hanby_by_hand() -> None:
    # Shares 45, 35, 20 % against seats 50, 40, 10 %: gaps -5, -5, +10.
    populations, seats = {"A": 45, "B": 35, "C": 20}, {"A": 5, "B": 4, "C": 1}
    assert loosemore_hanby(populations, seats) == pytest.approx(10.0)
    assert gallagher(populations, seats) == pytest.approx(75**0.5)
    perfect = apportion({"A": 50, "B": 30, "C": 20}, 10, "hamilton")
    assert perfect.gallagher == 0 and perfect.loosemore_hanby == 0


def test_result_carries_the_indices() -> None:
    result = apportion({"A": 45, "B": 35, "C": 20}, 10, "jefferson")
    assert result.gallagher == pytest.approx(gallagher(result.populations, result.seats))
    assert result.loosemore_hanby == pytest.approx(loosemore_hanby(result.populations, result.seats))


def test_read_populations_with_header_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "states.csv"
    path.write_text("name,population\nVirginia,630560\n\n Delaware , 55540\n", encoding="utf-8")
    assert read_populations(path) == {"Virginia": 630560, "Delaware": 55540}


def test_read_populations_without_header(tmp_path: Path) -> None:
    path = tmp_path / "states.csv"
    path.write_text("A,1\nB,2\n", encoding="utf-8")
    assert read_populations(path) == {"A": 1, "B": 2}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,population\nA,1\nB,lots\n", r"line 3: population 'lots' is not a whole number"),
        ("A,1\nB\n", r"line 2: expected 'name,population', found 1 fields"),
        ("A,1\nA,2\n", r"line 2: 'A' is listed twice"),
        ("A,1\nB,-4\n", r"line 2: population of 'B' is negative"),
        ("A,1\n,4\n", r"line 2: the name is empty"),
        ("name,population\n", r"no 'name,population' rows"),
        # A doubled sign once passed the digit test and then failed int() with a traceback.
        ("A,1\nB,--5\n", r"line 2: population '--5' is not a whole number"),
        ("A,1\nB,5-\n", r"line 2: population '5-' is not a whole number"),
        ("A,1\nB,-\n", r"line 2: population '-' is not a whole number"),
        ("A,1\nB,\u0665\n", r"line 2: population '\u0665' is not a whole number"),
        # 5,000 digits once reached Python's limit on int() of a string (a traceback).
        ("A,1\nB," + "9" * 5000 + "\n", r"line 2: population of 'B' has 5000 digits; at most 18 are accepted"),
        ("A,1\nB,1" + "0" * 18 + "\n", r"line 2: population of 'B' has 19 digits"),
    ],
)
def test_read_populations_names_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ApportionmentError, match=message) as err:
        read_populations(path)
    assert str(path) in str(err.value)


def test_read_populations_takes_eighteen_digits(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("A,999999999999999999\nB,1\n", encoding="utf-8")
    assert read_populations(path) == {"A": 10**18 - 1, "B": 1}


def test_seats_beyond_the_limit_are_refused() -> None:
    # The divisor methods give seats one at a time: a house of 10¹² seats would never finish.
    assert MAX_SEATS == 100_000
    populations = {"A": 2, "B": 1}
    assert dict(apportion(populations, MAX_SEATS, "webster").seats) == {"A": 66_667, "B": 33_333}
    for name in METHODS:
        with pytest.raises(ApportionmentError, match="100001 seats is more than the 100,000"):
            apportion(populations, MAX_SEATS + 1, name)


def test_read_populations_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ApportionmentError, match="cannot read"):
        read_populations(tmp_path / "nowhere.csv")
