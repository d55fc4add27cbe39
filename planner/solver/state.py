"""The search state: routes with their schedules and cached insertion costs.

Each route keeps the earliest-start schedule plus, per position, the wait and the maxShift
(how far service could start later without breaking anything downstream). With these an
insertion is checked in O(1); the checks of all free nodes against all positions of a route
are one vectorised numpy pass, redone only for the routes that changed.

maxShift is taken inside the window a node is currently served in, which is conservative
when a node has several windows (a delay may jump to its next window and still be fine).
Positions followed by such a node are therefore re-checked exactly by simulation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from planner.solver.instance import Instance
from planner.solver.stop import never

INF = np.int64(2**60)


@dataclass
class Snapshot:
    """A solution kept aside (the best, or an elite one): visits per route and its value."""

    routes: list[list[int]]
    value: int


class Problem:
    """Read-only arrays derived from the instance once per solve."""

    def __init__(self, instance: Instance, alpha: float = 2.0) -> None:
        self.instance = instance
        n = instance.num_nodes
        self.n = n
        self.R = instance.num_routes
        self.T: list[list[int]] = [list(row) for row in instance.travel]
        tn = np.array(instance.travel, dtype=np.int64).reshape(n, n)
        self.svc: list[int] = list(instance.service)
        terminals = instance.terminals
        mandatory = instance.mandatory
        # Mandatory nodes outrank any amount of ordinary score (lexicographic objective).
        self.bonus = sum(instance.scores) + 1
        self.value: list[int] = [
            s + (self.bonus if i in mandatory else 0) for i, s in enumerate(instance.scores)
        ]
        self.specs = [(s.start_node, s.end_node, s.start_time, s.end_time) for s in instance.routes]
        cand = [
            i
            for i in range(n)
            if i not in terminals
            and (instance.scores[i] > 0 or i in mandatory)
            and any(instance.windows[i][r] for r in range(self.R))
        ]
        self.cand = np.array(cand, dtype=np.int64)
        self.cand_list = cand
        self.U = len(cand)
        self.cidx = [-1] * n
        for u, i in enumerate(cand):
            self.cidx[i] = u
        # win[r][i]: the windows of node i in route r, as a list of pairs.
        self.win: list[list[list[tuple[int, int]]]] = [
            [list(instance.windows[i][r]) for i in range(n)] for r in range(self.R)
        ]
        self.multi: list[list[bool]] = [[len(w) > 1 for w in self.win[r]] for r in range(self.R)]
        # E[r][k][u], L[r][k][u]: k-th window of cand[u] in route r (padded: never open).
        self.K: list[int] = []
        self.E: list[np.ndarray] = []
        self.L: list[np.ndarray] = []
        for r in range(self.R):
            k = max([len(self.win[r][i]) for i in cand] + [1])
            e = np.full((k, self.U), INF, dtype=np.int64)
            la = np.full((k, self.U), -1, dtype=np.int64)
            for u, i in enumerate(cand):
                for w, (a, b) in enumerate(self.win[r][i]):
                    e[w, u] = a
                    la[w, u] = b
            self.K.append(k)
            self.E.append(e)
            self.L.append(la)
        # to_cand[i, u] = travel i -> cand[u]; from_cand[k, u] = service of cand[u] + travel
        # cand[u] -> k. Row gathers of these are contiguous, hence fast.
        svc_c = np.array([self.svc[i] for i in cand], dtype=np.int64)
        self.to_cand = np.ascontiguousarray(tn[:, self.cand])
        self.from_cand = np.ascontiguousarray(tn[self.cand, :].T) + svc_c
        self.arange = np.arange(self.U)
        self.val2 = np.array([float(self.value[i]) ** alpha for i in cand], dtype=np.float64)
        self.val_c = np.array([float(self.value[i]) for i in cand], dtype=np.float64)
        horizon = max([t1 - t0 for _, _, t0, t1 in self.specs] + [1])
        # One unit of time is worth less than any score difference in move comparisons.
        self.time_weight = 1.0 / (4.0 * horizon + 4.0)
        self.is_mandatory = [i in mandatory for i in range(n)]
        # Added to the ratio of a mandatory node: more than any ordinary ratio can reach.
        top = float(self.val2.max()) if cand else 0.0
        self.prio = np.array(
            [2.0 * top + 1.0 if i in mandatory else 0.0 for i in cand], dtype=np.float64
        )


class Routes:
    """The mutable solution: visits per route with their schedule and insertion tables."""

    def __init__(self, problem: Problem) -> None:
        self.p = problem
        R = problem.R
        self.nodes: list[list[int]] = []
        for start, end, _, _ in problem.specs:
            self.nodes.append([start, end])
        self.arr: list[list[int]] = [[] for _ in range(R)]
        self.st: list[list[int]] = [[] for _ in range(R)]
        self.dep: list[list[int]] = [[] for _ in range(R)]
        self.lat: list[list[int]] = [[] for _ in range(R)]  # latest start, current window
        self.slack: list[list[int]] = [[] for _ in range(R)]  # wait + maxShift
        self.multi_after: list[list[bool]] = [[] for _ in range(R)]
        self.where: list[int] = [-1] * problem.n
        self.value = 0
        # cost[r][u]: cheapest feasible insertion shift of cand[u] into route r (INF if none).
        self.cost: list[np.ndarray] = [np.full(problem.U, INF) for _ in range(R)]
        # costmat[r][pos, u]: insertion shift of cand[u] after position pos (INF: infeasible).
        self.costmat: list[np.ndarray] = [np.full((1, problem.U), INF) for _ in range(R)]
        self.free = np.ones(problem.U, dtype=bool)
        # version[r] changes with every new schedule of route r; caches compare against it.
        self.version: list[int] = [0] * R
        self.rep_version: list[int] = [-1] * R
        self.rep_key: list[np.ndarray] = [np.zeros(0) for _ in range(R)]
        for r in range(R):
            self.schedule(r)
            self.table(r)

    # -- schedule -------------------------------------------------------------------------
    def schedule(self, r: int, first: int = 1) -> bool:
        """Earliest-start schedule, then the backward maxShift pass; False if infeasible.

        Positions before `first` are known unchanged (same nodes as when last scheduled),
        so the forward pass starts there.
        """
        p = self.p
        T = p.T
        svc = p.svc
        win = p.win[r]
        multi = p.multi[r]
        nd = self.nodes[r]
        _, _, t0, t1 = p.specs[r]
        if first > 1:
            arr = self.arr[r][:first]
            st = self.st[r][:first]
            dep = self.dep[r][:first]
            lat = self.lat[r][:first]
        else:
            first = 1
            arr = [t0]
            st = [t0]
            dep = [t0]
            lat = [t1]
        ok = True
        prev = nd[first - 1]
        t = dep[-1]
        last = len(nd) - 1
        for idx in range(first, last):
            j = nd[idx]
            a = t + T[prev][j]
            begin = -1
            latest = -1
            for e, la in win[j]:
                if a <= la:
                    begin = a if a > e else e
                    latest = la
                    break
            if begin < 0:
                ok = False
                begin = a
                latest = a
            arr.append(a)
            st.append(begin)
            lat.append(latest)
            t = begin + svc[j]
            dep.append(t)
            prev = j
        a = t + T[prev][nd[last]]
        arr.append(a)
        st.append(a)
        dep.append(a)
        lat.append(t1)
        if a > t1:
            ok = False
        slack = [0] * (last + 1)
        ms = t1 - a
        slack[last] = ms
        flags = [False] * (last + 1)
        seen_multi = False
        for idx in range(last - 1, 0, -1):
            nxt = slack[idx + 1]
            room = lat[idx] - st[idx]
            ms = room if room < nxt else nxt
            slack[idx] = st[idx] - arr[idx] + ms
            flags[idx] = seen_multi
            if multi[nd[idx]]:
                seen_multi = True
        flags[0] = seen_multi
        self.arr[r] = arr
        self.st[r] = st
        self.dep[r] = dep
        self.lat[r] = lat
        self.slack[r] = slack
        self.multi_after[r] = flags
        self.version[r] += 1
        return ok

    def table(self, r: int) -> None:
        """Cheapest feasible insertion of every candidate into every position of route r.

        Arrays are (positions x candidates) so that gathers are whole contiguous rows.
        Entries of nodes that are not free are meaningless and masked wherever read.
        """
        p = self.p
        if p.U == 0:
            return
        nd = self.nodes[r]
        dep_prev = np.array(self.dep[r][:-1], dtype=np.int64)[:, None]
        arr_next = np.array(self.arr[r][1:], dtype=np.int64)[:, None]
        slack_next = np.array(self.slack[r][1:], dtype=np.int64)[:, None]
        a = p.to_cand[nd[:-1]] + dep_prev
        begin, ok = _earliest_begin(p, r, a)
        shift = begin + p.from_cand[nd[1:]]
        shift -= arr_next
        feas = shift <= slack_next
        feas &= ok
        cost = shift
        if any(self.multi_after[r]):
            maybe = ok & ~feas
            cost[~feas] = INF
            self._exact_fallback(r, cost, maybe, begin)
        else:
            cost[~feas] = INF
        # The position is only needed for the node actually inserted: found then, in its column.
        self.costmat[r] = cost
        self.cost[r] = cost.min(axis=0)

    def _exact_fallback(
        self, r: int, cost: np.ndarray, maybe: np.ndarray, begin: np.ndarray
    ) -> None:
        """Re-check by simulation the positions where a later multi-window node may still fit."""
        flags = self.multi_after[r]
        cols = [i for i in range(len(flags) - 1) if flags[i]]
        if not cols:
            return
        sub = maybe[cols] & self.free
        for c, u in zip(*np.nonzero(sub), strict=True):
            pos = cols[int(c)]
            j = self.p.cand_list[int(u)]
            shift = self.simulate_insert(r, pos, j, int(begin[pos, u]))
            if shift is not None:
                cost[pos, u] = shift

    def simulate_insert(self, r: int, pos: int, j: int, begin: int) -> int | None:
        """Exact check of j served from `begin` after position pos; returns the shift or None."""
        p = self.p
        T = p.T
        win = p.win[r]
        nd = self.nodes[r]
        t = begin + p.svc[j]
        prev = j
        arr = self.arr[r]
        last = len(nd) - 1
        first_shift = t + T[j][nd[pos + 1]] - arr[pos + 1]
        for idx in range(pos + 1, last):
            k = nd[idx]
            a = t + T[prev][k]
            if a <= arr[idx]:
                return first_shift  # not later than before: the rest is unchanged
            found = False
            for e, la in win[k]:
                if a <= la:
                    t = (a if a > e else e) + p.svc[k]
                    found = True
                    break
            if not found:
                return None
            prev = k
        a = t + T[prev][nd[last]]
        return first_shift if a <= p.specs[r][3] else None

    # -- moves ----------------------------------------------------------------------------
    def insert(self, r: int, u: int) -> None:
        """Insert candidate index u at its cheapest feasible position of route r."""
        j = self.p.cand_list[u]
        at = int(self.costmat[r][:, u].argmin()) + 1
        self.nodes[r].insert(at, j)
        self.where[j] = r
        self.free[u] = False
        self.value += self.p.value[j]
        self.schedule(r, at)
        self.table(r)

    def remove_many(self, removals: dict[int, list[int]]) -> list[int]:
        """Remove the given positions from each route, refresh the touched routes, and return
        the candidate indices of the removed nodes."""
        p = self.p
        removed: list[int] = []
        first: dict[int, int] = {}
        for r, positions in removals.items():
            nd = self.nodes[r]
            first[r] = min(positions)
            for idx in sorted(positions, reverse=True):
                j = nd.pop(idx)
                removed.append(p.cidx[j])
                self.where[j] = -1
                self.free[p.cidx[j]] = True
                self.value -= p.value[j]
        # Tables hold every candidate, assigned or not, so untouched routes stay valid.
        for r in removals:
            self.schedule(r, first[r])
            self.table(r)
        return removed

    def fill(
        self,
        factor: np.ndarray | None = None,
        order: list[int] | None = None,
        halt: Callable[[], bool] = never,
    ) -> int:
        """Greedy insertion by value^2 / shift until nothing fits; returns how many went in.

        `factor` (one per candidate) perturbs the ratios, so repeated repairs differ.
        `order` fills those routes one after the other instead of taking the best insertion
        over all routes: a different repair that moves visits between routes.
        `halt` is asked before each insertion; when it says so the fill stops where it is
        (every state it leaves is feasible).
        """
        p = self.p
        if p.U == 0:
            return 0
        count = 0
        groups = [[r] for r in order] if order is not None else [list(range(p.R))]
        ratios: list[np.ndarray | None] = [None] * p.R
        for group in groups:
            while not halt():
                best_ratio = 0.0
                best_r = -1
                best_u = -1
                for r in group:
                    ratio = ratios[r]
                    if ratio is None:
                        cost = self.cost[r]
                        ratio = p.val2 / np.maximum(cost, 1)
                        if factor is not None:
                            ratio *= factor
                        ratio += p.prio
                        ratio[~self.free] = 0.0
                        ratio[cost >= INF] = 0.0
                        ratios[r] = ratio
                    u = int(ratio.argmax())
                    if ratio[u] > best_ratio:
                        best_ratio = float(ratio[u])
                        best_r = r
                        best_u = u
                if best_r < 0:
                    break
                self.insert(best_r, best_u)
                ratios[best_r] = None
                for ratio in ratios:
                    if ratio is not None:
                        ratio[best_u] = 0.0
                count += 1
        return count

    def best_replace(self, r: int) -> tuple[float, int, int] | None:
        """Best swap of a visit of route r for a free node served in its place.

        Checked in O(1) per pair with the same schedule data as insertions; a move counts
        when it gains score, or keeps the score and saves time (key > 0).
        Returns (key, position, candidate index) or None.
        """
        p = self.p
        nd = self.nodes[r]
        if len(nd) < 3 or p.U == 0:
            return None
        if self.rep_version[r] != self.version[r]:
            self.rep_key[r] = self._replace_keys(r)
            self.rep_version[r] = self.version[r]
        key = np.where(self.free, self.rep_key[r], -1.0)
        flat = int(key.argmax())
        i, u = divmod(flat, p.U)
        best = float(key[i, u])
        if best <= 0.0:
            return None
        return best, i + 1, u

    def _replace_keys(self, r: int) -> np.ndarray:
        """Value of serving each candidate in place of each visit (-1: infeasible or a
        mandatory visit), ignoring whether the candidate is free; cached until route r changes.

        A positive key never lowers the state's value: the time term is worth less than one
        point of score (`Problem.time_weight`), so it only breaks ties between equal values.
        """
        p = self.p
        nd = self.nodes[r]
        dep_prev = np.array(self.dep[r][:-2], dtype=np.int64)[:, None]
        arr_next = np.array(self.arr[r][2:], dtype=np.int64)[:, None]
        slack_next = np.array(self.slack[r][2:], dtype=np.int64)[:, None]
        a = p.to_cand[nd[:-2]] + dep_prev
        begin, ok = _earliest_begin(p, r, a)
        shift = begin + p.from_cand[nd[2:]]
        shift -= arr_next
        ok &= shift <= slack_next
        visits = nd[1:-1]
        # A mandatory visit is never given up: its whole row is masked out, whatever it scores.
        ok[[p.is_mandatory[v] for v in visits]] = False
        out_val = np.array([float(p.value[v]) for v in visits], dtype=np.float64)[:, None]
        key = p.val_c - out_val - shift * p.time_weight
        key[~ok] = -1.0
        return key

    def replace(self, r: int, pos: int, u: int) -> None:
        """Put candidate u at position pos of route r, freeing the visit that was there."""
        p = self.p
        nd = self.nodes[r]
        old = nd[pos]
        j = p.cand_list[u]
        nd[pos] = j
        self.where[old] = -1
        self.free[p.cidx[old]] = True
        self.value -= p.value[old]
        self.where[j] = r
        self.free[u] = False
        self.value += p.value[j]
        self.schedule(r, pos)
        self.table(r)

    def snapshot(self) -> Snapshot:
        return Snapshot([nd[1:-1] for nd in self.nodes], self.value)

    def restore(self, snap: Snapshot) -> None:
        p = self.p
        self.where = [-1] * p.n
        self.free[:] = True
        self.value = snap.value
        for r, visits in enumerate(snap.routes):
            start, end, _, _ = p.specs[r]
            self.nodes[r] = [start, *visits, end]
            for j in visits:
                self.where[j] = r
                self.free[p.cidx[j]] = False
        for r in range(p.R):
            self.schedule(r)
            self.table(r)


def _earliest_begin(p: Problem, r: int, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Earliest service start of each candidate arriving at `a` in route r, and whether any
    of its windows there is still open (vectorised over the arrival array)."""
    if p.K[r] == 1:
        return np.maximum(a, p.E[r][0]), a <= p.L[r][0]
    begin = np.full(a.shape, INF, dtype=np.int64)
    for k in range(p.K[r] - 1, -1, -1):
        begin = np.where(a <= p.L[r][k], np.maximum(a, p.E[r][k]), begin)
    return begin, begin < INF
