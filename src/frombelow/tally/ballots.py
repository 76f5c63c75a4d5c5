"""Ballots as the engine counts them: unique markings with how many voters cast each.

A ranked ballot is a row of rank positions. Each position holds one code:

* ``c >= 0``: the candidate with index ``c`` is marked at this rank;
* ``EMPTY``: nothing is marked (a skipped rank, or the end of the ballot);
* ``OVERVOTE_BASE - g``: several candidates share this rank; ``g`` indexes
  ``Ballots.overvotes``, the set of candidates marked there.

Rows are padded with ``EMPTY``. Identical rows may be merged (``compress``), adding
their weights, so a national election of millions of ballots is a matrix of its
distinct markings and counts in numpy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from frombelow.tally.errors import CountError

EMPTY = -1
# RCTab's name for the write-ins nobody declared: counted, never elected.
UNDECLARED_WRITE_IN = "Undeclared Write-ins"
OVERVOTE_BASE = -16
RANK_DTYPE = np.int32


def overvote_code(group: int) -> int:
    return OVERVOTE_BASE - group


def overvote_group(code: int) -> int:
    return OVERVOTE_BASE - code


@dataclass(frozen=True, eq=False)
class Ballots:
    """An election's ranked (or approval) ballots, compressed or not."""

    candidates: tuple[str, ...]
    ranks: np.ndarray
    weights: np.ndarray
    overvotes: tuple[frozenset[int], ...] = ()
    withdrawn: frozenset[int] = frozenset()
    seats: int | None = None
    title: str = ""
    # Per-row labels a count can be sliced by, e.g. {"precinct": array of str}; rows with
    # different labels are never merged.
    tags: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ranks = np.ascontiguousarray(self.ranks, dtype=RANK_DTYPE)
        if ranks.ndim != 2:
            ranks = ranks.reshape(len(ranks), -1)
        weights = np.ascontiguousarray(self.weights, dtype=np.int64)
        if len(weights) != len(ranks):
            raise CountError(f"{len(ranks)} ballots but {len(weights)} weights")
        if len(set(self.candidates)) != len(self.candidates):
            seen: set[str] = set()
            twice = next(c for c in self.candidates if c in seen or seen.add(c))
            raise CountError(f"candidate {twice!r} is named twice")
        ranks.flags.writeable = False
        weights.flags.writeable = False
        object.__setattr__(self, "ranks", ranks)
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "overvotes", tuple(frozenset(g) for g in self.overvotes))
        object.__setattr__(self, "withdrawn", frozenset(self.withdrawn))
        tags = {}
        for name, labels in self.tags.items():
            labels = np.asarray(labels, dtype=object)
            if labels.shape != (len(ranks),):
                raise CountError(f"tag {name!r} has {len(labels)} labels for {len(ranks)} ballots")
            labels.flags.writeable = False
            tags[name] = labels
        object.__setattr__(self, "tags", MappingProxyType(tags))

    @classmethod
    def from_rankings(
        cls,
        candidates: Sequence[str],
        rankings: Iterable[Sequence[str | Iterable[str] | None]],
        weights: Iterable[int] | None = None,
        **kwargs: object,
    ) -> Ballots:
        """Build from rankings written with names.

        Each ranking is a sequence of rank positions; a position is a name, a set of
        names (an overvote or an equal ranking), or ``None`` (a skipped rank).
        """
        index = {name: i for i, name in enumerate(candidates)}
        groups: dict[frozenset[int], int] = {}
        rows: list[list[int]] = []
        for ranking in rankings:
            row = []
            for mark in ranking:
                if mark is None:
                    row.append(EMPTY)
                elif isinstance(mark, str):
                    row.append(_index_of(index, mark))
                else:
                    members = frozenset(_index_of(index, m) for m in mark)
                    if not members:
                        row.append(EMPTY)
                    elif len(members) == 1:
                        row.append(next(iter(members)))
                    else:
                        row.append(overvote_code(groups.setdefault(members, len(groups))))
            rows.append(row)
        w = np.ones(len(rows), dtype=np.int64) if weights is None else np.fromiter(weights, np.int64)
        return cls(
            tuple(candidates),
            pad_rows(rows),
            w,
            overvotes=tuple(sorted(groups, key=groups.__getitem__)),
            **kwargs,  # type: ignore[arg-type]
        )

    @property
    def total(self) -> int:
        """Number of voters (sum of weights)."""
        return int(self.weights.sum())

    @property
    def depth(self) -> int:
        return self.ranks.shape[1]

    def marks(self, row: int) -> list[frozenset[int]]:
        """Rank positions of one row, each as the set of candidates marked there."""
        out = []
        for code in self.ranks[row]:
            code = int(code)
            if code >= 0:
                out.append(frozenset((code,)))
            elif code == EMPTY:
                out.append(frozenset())
            else:
                out.append(self.overvotes[overvote_group(code)])
        while out and not out[-1]:
            out.pop()
        return out

    def rankings(self) -> Iterable[tuple[list[frozenset[int]], int]]:
        """Each row's rank positions (as sets of candidate indices) with its weight."""
        for row in range(len(self.ranks)):
            yield self.marks(row), int(self.weights[row])

    def select(self, rows: np.ndarray) -> Ballots:
        """The ballots of the given rows (indices or a boolean mask), with their tags."""
        return self.replace(
            ranks=self.ranks[rows],
            weights=self.weights[rows],
            tags={name: labels[rows] for name, labels in self.tags.items()},
        )

    def slices(self, tag: str) -> dict[str, Ballots]:
        """The ballots split by one tag's labels (e.g. by precinct), in label order."""
        if tag not in self.tags:
            raise CountError(f"the ballots carry no {tag} labels")
        labels = self.tags[tag]
        return {str(label): self.select(labels == label) for label in sorted(set(labels.tolist()), key=str)}

    def compress(self) -> Ballots:
        """Merge identical rows, adding their weights (rows come out in a fixed, sorted order).

        Tags are dropped: a compressed row may stand for ballots of several slices.
        """
        if self.tags:
            return self.replace(tags={}).compress()
        if len(self.ranks) < 2:
            return self
        packed = _pack_rows(self.ranks)
        if packed is None:
            return self._compress_by_bytes()
        keys, low, base = packed
        if (self.weights == 1).all():
            # One voter per row: counting equal keys needs only a sort.
            unique, counts = np.unique(keys, return_counts=True)
            weights = counts.astype(np.int64)
        else:
            order = np.argsort(keys, kind="stable")
            sorted_keys = keys[order]
            starts = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
            unique = sorted_keys[starts]
            weights = np.add.reduceat(self.weights[order], starts)
        return self.replace(ranks=_unpack_rows(unique, self.depth, low, base), weights=weights)

    def _compress_by_bytes(self) -> Ballots:
        keyed = (
            np.ascontiguousarray(self.ranks)
            .view(np.dtype((np.void, self.ranks.dtype.itemsize * self.ranks.shape[1])))
            .ravel()
        )
        _, first, inverse = np.unique(keyed, return_index=True, return_inverse=True)
        weights = np.bincount(inverse.ravel(), weights=self.weights, minlength=len(first))
        return self.replace(ranks=self.ranks[first], weights=weights.astype(np.int64))

    def replace(self, **changes: object) -> Ballots:
        fields = {
            "candidates": self.candidates,
            "ranks": self.ranks,
            "weights": self.weights,
            "overvotes": self.overvotes,
            "withdrawn": self.withdrawn,
            "seats": self.seats,
            "title": self.title,
            "tags": self.tags,
        }
        fields.update(changes)
        return Ballots(**fields)  # type: ignore[arg-type]


def _pack_rows(ranks: np.ndarray) -> tuple[np.ndarray, int, int] | None:
    """Each row as one int64 (its codes as digits in base ``base``), when that fits."""
    low, high = int(ranks.min()), int(ranks.max())
    base = high - low + 1
    if base ** ranks.shape[1] >= 2**63:
        return None
    keys = np.zeros(len(ranks), dtype=np.int64)
    for column in range(ranks.shape[1]):
        keys *= base
        keys += ranks[:, column] - low
    return keys, low, base


def _unpack_rows(keys: np.ndarray, depth: int, low: int, base: int) -> np.ndarray:
    ranks = np.empty((len(keys), depth), dtype=RANK_DTYPE)
    rest = keys.copy()
    for column in range(depth - 1, -1, -1):
        rest, digit = np.divmod(rest, base)
        ranks[:, column] = digit + low
    return ranks


def pad_rows(rows: Sequence[Sequence[int]], depth: int | None = None) -> np.ndarray:
    """A rank matrix from ragged rows, padded with EMPTY."""
    width = depth if depth is not None else max((len(r) for r in rows), default=0)
    out = np.full((len(rows), max(width, 1)), EMPTY, dtype=RANK_DTYPE)
    for i, row in enumerate(rows):
        out[i, : len(row)] = row
    return out


def _index_of(index: dict[str, int], name: str) -> int:
    try:
        return index[name]
    except KeyError:
        raise CountError(f"unknown candidate {name!r} on a ballot") from None


@dataclass(frozen=True)
class PartyVotes:
    """Votes per party (or list), as party-list methods count them."""

    parties: tuple[str, ...]
    votes: tuple[int, ...]
    seats: int | None = None
    title: str = ""


def combine(parts: Sequence[Ballots]) -> Ballots:
    """The ballots of several files as one election (e.g. one CVR export per precinct).

    Candidates are the union in order of first appearance; marks, overvote groups and
    tags are renumbered to match. Seats and title are the first file's.
    """
    if not parts:
        raise CountError("no ballots to combine")
    if len(parts) == 1:
        return parts[0]
    candidates = list(dict.fromkeys(name for part in parts for name in part.candidates))
    index = {name: i for i, name in enumerate(candidates)}
    groups: dict[frozenset[int], int] = {}
    depth = max(part.depth for part in parts)
    blocks = []
    for part in parts:
        mapping = np.array([index[name] for name in part.candidates], dtype=RANK_DTYPE)
        group_codes = np.array(
            [
                overvote_code(groups.setdefault(frozenset(int(mapping[m]) for m in members), len(groups)))
                for members in part.overvotes
            ],
            dtype=RANK_DTYPE,
        )
        block = np.full((len(part.ranks), depth), EMPTY, dtype=RANK_DTYPE)
        ranks = part.ranks
        block[:, : part.depth] = np.where(ranks >= 0, mapping[np.maximum(ranks, 0)], ranks)
        grouped = ranks <= OVERVOTE_BASE
        if grouped.any():
            block[:, : part.depth][grouped] = group_codes[overvote_group(ranks[grouped])]
        blocks.append(block)
    tag_names = set.intersection(*(set(part.tags) for part in parts))
    withdrawn = {index[part.candidates[c]] for part in parts for c in part.withdrawn}
    return Ballots(
        tuple(candidates),
        np.concatenate(blocks),
        np.concatenate([part.weights for part in parts]),
        overvotes=tuple(sorted(groups, key=groups.__getitem__)),
        withdrawn=frozenset(withdrawn),
        seats=parts[0].seats,
        title=parts[0].title,
        tags={name: np.concatenate([part.tags[name] for part in parts]) for name in tag_names},
    )
