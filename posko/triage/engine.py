"""The Triager: normalise, locate, classify (rules + learned model), group incidents."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache

from .decide import rule_category, rule_priority, rule_tone
from .incidents import (
    EMPTY,
    GROUP,
    EventFeatures,
    LinkModel,
    best_incident_key,
    cluster,
    content_words,
    grown_incidents,
    has_referring_cue,
    is_followup,
    same_event_score,
    shipped_link_model,
)
from .model import BATCH_BLOCK, ModelBundle, load_shipped
from .places import Gazetteer
from .rules import Evidence, evidence
from .text import NormText, normalize
from .types import (
    CATEGORIES,
    PRIORITIES,
    TONES,
    IncidentCandidate,
    Landmark,
    TriageInput,
    TriageResult,
    unit_for,
)

_HEAD = re.compile(r"\s*([A-Za-z][A-Za-z .'-]{1,40}):")  # "Gantung: …" (officer's note)
STRONG_CRITIC = 2.5  # criticism cues this strong are not overridden by the model
# Praise a report needs before its tone is apresiasi (a polite closing thanks scores 1.5).
APPRECIATION_PRAISE = 2.5
# messages analysed at once by batch(): whole model blocks (the same scores)
FEATURE_CHUNK = 2 * BATCH_BLOCK
REQUEST_WORDS = frozenset({"mohon", "tolong", "minta", "harap"})
PLACE_TOKEN = "_tempat_"  # noqa: S105 (a marker word, not a secret)


def _aware(at: datetime | None, now: datetime) -> datetime:
    if at is None:
        return now
    if at.tzinfo is None:
        return at.replace(tzinfo=UTC)
    return at


def _pick(scores: list[float], labels: tuple[str, ...], rule_label: str, weight: float) -> str:
    """The model's best label after adding `weight` to the label the rules chose."""
    best = scores.index(max(scores))
    rule_idx = labels.index(rule_label)
    if best != rule_idx and scores[best] - scores[rule_idx] <= weight:
        return rule_label
    return labels[best]


# How many analysed incident candidates a triager keeps (about a day of a busy Polres).
CANDIDATE_CACHE = 4096


class Triager:
    def __init__(
        self,
        kabupaten_code: str = "19.06",
        landmarks: Sequence[Landmark] = (),
        model: ModelBundle | None = None,
        use_model: bool = True,
        link: LinkModel | None = None,
    ) -> None:
        self.kabupaten_code = kabupaten_code
        self.landmarks = tuple(landmarks)
        self.gazetteer = Gazetteer(kabupaten_code, self.landmarks)
        self.model = model if model is not None else (load_shipped() if use_model else None)
        self.link = link  # the incident link score (None: the shipped one)
        # Incident candidates are the recent messages, compared again with every new one:
        # what linking compares of each is kept (bounded; a plain dict keeps insertion order).
        self._candidates: dict[tuple[object, ...], EventFeatures] = {}

    # -- single message -------------------------------------------------------------------
    def _analyse(self, text: str) -> tuple[NormText, list[str], str | None, str | None]:
        norm, tokens, kec, desa, _ = self._analyse_places(text)
        return norm, tokens, kec, desa

    def _analyse_places(
        self, text: str
    ) -> tuple[NormText, list[str], str | None, str | None, frozenset[str]]:
        """Normalised text, place-masked tokens, kecamatan, desa, and the other desa the
        message names ("antara Mempaya dan Sukamandi"), used only for incident matching."""
        norm = normalize(text)
        tokens = list(norm.tokens)
        head = _HEAD.match(text)
        head_len = len(normalize(head.group(1)).tokens) if head else 0
        matches = self.gazetteer.find(tokens, head_len)
        kec, desa = self.gazetteer.locate_matches(matches)
        also = frozenset(
            m.entry.code
            for m in matches
            if m.entry.level in ("desa", "landmark") and m.entry.code != desa and not m.directional
        )
        # place names are not evidence for a category ("Batu Penyu", "Air Kelik")
        masked = list(tokens)
        for m in matches:
            masked[m.start : m.end] = [PLACE_TOKEN] + [""] * (m.end - m.start - 1)
        return norm, [t for t in masked if t], kec, desa, also

    def _candidate_features(self, cand: IncidentCandidate, now: datetime) -> EventFeatures:
        key: tuple[object, ...] = (cand.key, cand.text, cand.category, cand.received_at)
        key += (cand.kecamatan_code, cand.desa_code)
        hit = self._candidates.get(key)
        if hit is None:
            c_norm, c_tokens, _, _, c_also = self._analyse_places(cand.text)
            hit = event_features(
                cand.category,
                cand.kecamatan_code,
                cand.desa_code,
                _aware(cand.received_at, now),
                c_norm,
                c_tokens,
                c_also,
            )
            if len(self._candidates) >= CANDIDATE_CACHE:
                self._candidates.pop(next(iter(self._candidates), key), None)
            self._candidates[key] = hit
        return hit

    def tokens_for_model(self, text: str) -> list[str]:
        """The token list the learned model sees: normalised, place names masked."""
        return self._analyse(text)[1]

    def _labels(self, tokens: list[str], raw: list[float] | None = None) -> tuple[str, str, str]:
        ev = evidence(tokens)
        if self.model is None:
            category = rule_category(ev)[0]
            return category, rule_priority(category, ev), rule_tone(category, ev)
        model = self.model
        # the heads are a few dozen numbers: plain Python is faster than numpy here
        if raw is None:
            raw = model.raw(tokens).tolist()
        sl = model.head_slices
        rw = model.rule_weight
        evc = ev.category
        cat_scores = [s + rw * evc[c] for s, c in zip(raw[sl["category"]], CATEGORIES, strict=True)]
        if ev.boost:
            # frames count fully: undo the scaling their share of ev.category got
            for name, b in ev.boost.items():
                cat_scores[CATEGORIES.index(name)] += b * (1.0 - rw / 0.35)
        category = CATEGORIES[cat_scores.index(max(cat_scores))]
        if (
            category == "apresiasi"
            and ev.praise < APPRECIATION_PRAISE
            and (
                REQUEST_WORDS.intersection(tokens)
                or (
                    max(ev.injury, ev.hazard, ev.weapon) >= 3.0
                    and ev.ongoing >= 1.5
                    and ev.past < 2.0
                )
            )
        ):
            # "mohon ditindaklanjuti, ada pencurian motor, terima kasih": a request closing
            # with a polite thanks is the report it asks about, not praise; so is an account
            # of victims or a fire closing with a wish ("... semoga cepat pulih 🙏")
            others = [
                (score, c)
                for score, c in zip(cat_scores, CATEGORIES, strict=True)
                if c != "apresiasi" and evc[c] >= 1.0
            ]
            if others:
                category = max(others)[1]
        rule_pri = rule_priority(category, ev)
        if rule_pri == "darurat":
            # danger cues are kept (recall on darurat comes first) unless the model is sure
            priority = _pick(self._priority_scores(raw), PRIORITIES, rule_pri, model.darurat_veto)
        else:
            priority = _pick(
                self._priority_scores(raw), PRIORITIES, rule_pri, model.priority_rule_weight
            )
        if priority == "darurat" and category == "orang_hilang" and ev.child < 0:
            priority = "tinggi"  # taxonomy: a missing adult (age given, no dementia) is tinggi
        tone_rule = rule_tone(category, ev)
        if tone_rule == "provokatif":
            tone = tone_rule  # insults and incitement are lexical: the rules are precise
        elif tone_rule == "kritik" and ev.critic >= STRONG_CRITIC:
            tone = tone_rule  # "aparat kemana", "kebal hukum", "tidak ada tindak lanjut"
        else:
            tone = _pick(raw[sl["tone"]], TONES, tone_rule, model.tone_rule_weight)
        if tone == "apresiasi" and category != "apresiasi" and ev.praise < APPRECIATION_PRAISE:
            tone = tone_rule  # a report closing with a polite "terima kasih" is not praise
        if category == "apresiasi" and tone in ("kritik", "provokatif"):
            category, priority = self._topic_of_sarcasm(cat_scores, raw, ev)
        return category, priority, tone

    def _topic_of_sarcasm(
        self, cat_scores: list[float], raw: list[float], ev: Evidence
    ) -> tuple[str, str]:
        """Taxonomy: sarcastic praise is never `apresiasi`; it takes the topic's category."""
        assert self.model is not None
        best = max(
            (score, c) for score, c in zip(cat_scores, CATEGORIES, strict=True) if c != "apresiasi"
        )[1]
        rule_pri = rule_priority(best, ev)
        pri = _pick(
            self._priority_scores(raw), PRIORITIES, rule_pri, self.model.priority_rule_weight
        )
        return best, pri

    def _priority_scores(self, raw: list[float]) -> list[float]:
        assert self.model is not None
        scores = raw[self.model.head_slices["priority"]]
        if self.model.darurat_bias:
            scores = [scores[0] + self.model.darurat_bias, *scores[1:]]  # darurat is first
        return scores

    def classify(self, inp: TriageInput) -> TriageResult:
        _, tokens, kec, desa = self._analyse(inp.text)
        category, priority, tone = self._labels(tokens)
        return TriageResult(
            id=inp.id,
            category=category,
            priority=priority,
            tone=tone,
            kecamatan_code=kec,
            desa_code=desa,
            unit=unit_for(category, priority),
            incident=None,
        )

    # -- batch ----------------------------------------------------------------------------
    def batch(self, inputs: Sequence[TriageInput]) -> list[TriageResult]:
        with _gc_paused():
            return self._batch(inputs)

    def _batch(self, inputs: Sequence[TriageInput]) -> list[TriageResult]:
        results, feats = self.batch_features(inputs)
        keys = cluster(feats, self.link)
        _adopt_incident_labels(results, keys, feats)
        grown = grown_incidents(feats, keys)
        for res, key in zip(results, keys, strict=True):
            res.incident = key
            if key in grown and res.priority != "darurat":
                # growth rule: >= 5 reports of one incident within 10 minutes
                res.priority = "darurat"
                res.unit = unit_for(res.category, res.priority)
        return results

    def batch_features(
        self, inputs: Sequence[TriageInput]
    ) -> tuple[list[TriageResult], list[EventFeatures]]:
        """Each message's labels and what incident linking compares of it (no incidents)."""
        now = datetime.now(UTC)
        results: list[TriageResult] = []
        feats: list[EventFeatures] = []
        # a chunk at a time: a message's normalised text, tokens and scores are dropped
        # once its result and features are built (a whole batch's took ~80 MB at 20,000);
        # chunks are whole model blocks, so the scores are the ones of one raw_batch call
        for start in range(0, len(inputs), FEATURE_CHUNK):
            self._chunk_features(inputs[start : start + FEATURE_CHUNK], now, results, feats)
        return results, feats

    def _chunk_features(
        self,
        inputs: Sequence[TriageInput],
        now: datetime,
        results: list[TriageResult],
        feats: list[EventFeatures],
    ) -> None:
        analysed = [self._analyse_places(inp.text) for inp in inputs]
        raws: list[list[float]] | list[None] = [None] * len(analysed)
        if self.model is not None and analysed:
            raws = self.model.raw_batch([a[1] for a in analysed]).tolist()
        for inp, (norm, tokens, kec, desa, also), raw in zip(inputs, analysed, raws, strict=True):
            category, priority, tone = self._labels(tokens, raw)
            results.append(
                TriageResult(
                    inp.id, category, priority, tone, kec, desa, unit_for(category, priority), None
                )
            )
            at = _aware(inp.received_at, now)
            timed = inp.received_at is not None
            feats.append(
                event_features(
                    category, kec, desa, at, norm, tokens, also, channel=inp.channel, timed=timed
                )
            )

    def match_incident(
        self,
        result: TriageResult,
        text: str,
        received_at: datetime,
        candidates: Sequence[IncidentCandidate],
    ) -> str | None:
        now = datetime.now(UTC)
        norm, tokens, _, _, also = self._analyse_places(text)
        mine = event_features(
            result.category,
            result.kecamatan_code,
            result.desa_code,
            _aware(received_at, now),
            norm,
            tokens,
            also,
        )
        link = self.link or shipped_link_model()
        if link.incident_weights is not None:
            # the candidates' reports grouped by incident, each incident scored as a whole
            groups: dict[str, list[EventFeatures]] = {}
            for cand in candidates:
                groups.setdefault(cand.key, []).append(self._candidate_features(cand, now))
            return best_incident_key(mine, groups, link)
        best: str | None = None
        best_score = 0.0
        for cand in candidates:
            s = same_event_score(mine, self._candidate_features(cand, now), self.link)
            if s >= 0 and (best is None or s > best_score):
                best, best_score = cand.key, s
        return best


PRIORITY_RANK = {p: i for i, p in enumerate(PRIORITIES)}  # darurat = 0


def event_features(
    category: str,
    kecamatan: str | None,
    desa: str | None,
    at: datetime,
    norm: NormText,
    tokens: list[str],
    also: frozenset[str],
    channel: str | None = None,
    timed: bool = True,
) -> EventFeatures:
    """What incident linking compares: event type, place, time, content words and cues."""
    return EventFeatures(
        GROUP.get(category),
        kecamatan,
        desa,
        at,
        content_words(tokens),
        is_followup(norm.tokens),
        also_desa=also if desa and also else EMPTY,
        category=category,
        channel=channel,
        cue=has_referring_cue(norm.tokens),
        timed=timed,
    )


def _adopt_incident_labels(
    results: list[TriageResult], keys: Sequence[str | None], feats: Sequence[EventFeatures]
) -> None:
    """A witness follow-up in an incident takes the incident's category and (most urgent)
    priority: "saya juga lihat asapnya" is about the fire, whatever its own words say."""
    members: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if key is not None:
            members.setdefault(key, []).append(i)
    for idx in members.values():
        follow = [i for i in idx if feats[i].followup]
        if not follow:
            continue
        base = [i for i in idx if not feats[i].followup] or idx
        counts: dict[str, int] = {}
        for i in base:
            counts[results[i].category] = counts.get(results[i].category, 0) + 1
        category = max(
            counts, key=lambda c: (counts[c], -min(i for i in base if results[i].category == c))
        )
        priority = min(
            (results[i].priority for i in base if results[i].category == category),
            key=PRIORITY_RANK.__getitem__,
        )
        for i in follow:
            res = results[i]
            if res.category != category:
                res.category = category
                res.priority = priority
                res.unit = unit_for(category, priority)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a batch runs: what it builds stays alive until it
    returns (there is nothing for a collection to free), and each collection the batch's
    allocations trigger walks those objects and the caches again (about a tenth of a
    batch's CPU, issue 10). The collector's state before is restored; batch() is used by
    the command line and the benchmark, not by the web process."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@lru_cache(maxsize=32)
def _cached(kabupaten_code: str, landmarks: tuple[Landmark, ...]) -> Triager:
    return Triager(kabupaten_code, landmarks)


def get_triager(kabupaten_code: str = "19.06", landmarks: Sequence[Landmark] = ()) -> Triager:
    """A shared Triager per (kabupaten, landmarks); building one loads the gazetteer."""
    return _cached(kabupaten_code, tuple(landmarks))
