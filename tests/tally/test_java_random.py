"""java.util.Random reproduced: values Java itself prints for these seeds."""

from __future__ import annotations

from frombelow.tally.java_random import JavaRandom, hash_set_order, java_sorted, string_hash


def test_next_int_matches_java() -> None:
    assert JavaRandom(0).next_int() == -1155484576
    assert JavaRandom(42).next_int() == -1170105035


def test_next_double_matches_java() -> None:
    assert JavaRandom(0).next_double() == 0.730967787376657


def test_bounded_ints_match_java() -> None:
    zero = JavaRandom(0)
    assert [zero.next_int(10) for _ in range(10)] == [0, 8, 9, 7, 5, 3, 1, 1, 9, 4]
    forty_two = JavaRandom(42)
    assert [forty_two.next_int(10) for _ in range(10)] == [0, 3, 8, 4, 0, 5, 5, 8, 9, 3]


def test_power_of_two_bound_takes_the_high_bits() -> None:
    # nextInt(16) is (16 * next(31)) >> 31: the top four bits of the first 31-bit draw.
    assert JavaRandom(0).next_int(16) == (16 * JavaRandom(0).next(31)) >> 31


def test_shuffle_is_collections_shuffle() -> None:
    items = list(range(5))
    JavaRandom(7).shuffle(items)
    assert sorted(items) == list(range(5))
    expected = list(range(5))
    generator = JavaRandom(7)
    for i in range(5, 1, -1):
        j = generator.next_int(i)
        expected[i - 1], expected[j] = expected[j], expected[i - 1]
    assert items == expected


def test_string_hash_and_hash_set_order() -> None:
    assert string_hash("hello") == 99162322
    assert string_hash("Aa") == string_hash("BB") == 2112
    # "a" (97) and "b" (98) fall in buckets 1 and 2 of 16; "q" (113) in bucket 1 after "a".
    assert hash_set_order(["b", "q", "a"]) == ["q", "a", "b"]
    assert java_sorted(["b", "B", "a"]) == ["B", "a", "b"]


def test_rctab_tie_break_modes() -> None:
    from frombelow.tally.tiebreak import TieBreak

    names = ("Ann", "Bob", "Cy")
    # generatePermutation: the sorted names shuffled by Collections.shuffle(Random(seed)).
    expected = ["Ann", "Bob", "Cy"]
    JavaRandom(3).shuffle(expected)
    assert TieBreak("java-permutation", seed=3, order=names).permutation() == tuple(expected)
    # random: floor(nextDouble() * tied) into the sorted tied names, one generator per count.
    rule = TieBreak("java-random", seed=0).for_count()
    first, _ = rule.choose(["Cy", "Ann"], lowest=True, round=1, purpose="exclude")
    assert first == ["Ann", "Cy"][int(JavaRandom(0).next_double() * 2)]
    # previous rounds first, then the lot; then the list.
    chosen, tie = TieBreak("previous-rounds-then-list", order=names).choose(
        ["Ann", "Bob"], lowest=True, round=3, purpose="exclude", history=[{"Ann": 1, "Bob": 1}, {"Ann": 2, "Bob": 1}]
    )
    assert chosen == "Bob" and "round 2" in tie.rule
    chosen, _ = TieBreak("previous-rounds-then-list", order=names).choose(
        ["Ann", "Bob"], lowest=True, round=2, purpose="exclude", history=[{"Ann": 1, "Bob": 1}]
    )
    assert chosen == "Bob"
