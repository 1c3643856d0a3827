"""The organizations' match index: where it lives, how it is built, updated and loaded.

The index (analytics.retrieval.HybridIndex) is persisted under CLUSTERHUB_INDEX_DIR. Writers
(the background tasks, `manage.py rebuild_match_index`, the lazy first build) take a file
lock, load the index from disk, change it and save it atomically; vectors are also stored
with each organization (OrganizationEmbedding), so a rebuild only encodes changed profiles.
Web processes keep the loaded index in memory and load it again when its on-disk version
changes.
"""

import fcntl
import logging
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings
from django.utils import timezone
from numpy.typing import NDArray

from analytics.embeddings import DEFAULT_ENCODERS, get_encoder
from clusterhub.matchmaking.documents import iter_documents
from clusterhub.matchmaking.engine import Document, HybridIndex
from clusterhub.matchmaking.models import OrganizationEmbedding
from clusterhub.registry.models import Organization

logger = logging.getLogger(__name__)

INDEX_NAME = "organizations"
CHUNK = 64  # documents per upsert while rebuilding (one progress step)


def fast_encoder() -> str:
    return DEFAULT_ENCODERS[0]


def index_directory() -> Path:
    return Path(settings.CLUSTERHUB_INDEX_DIR) / INDEX_NAME


@contextmanager
def writer_lock() -> Iterator[None]:
    """One writer at a time across processes (workers, commands, the lazy first build)."""
    root = Path(settings.CLUSTERHUB_INDEX_DIR)
    root.mkdir(parents=True, exist_ok=True)
    with (root / f"{INDEX_NAME}.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def index_exists() -> bool:
    return HybridIndex.disk_version(index_directory()) is not None


# --- Stored vectors ------------------------------------------------------------------------


def _to_bytes(row: NDArray[np.float32]) -> bytes:
    return np.ascontiguousarray(row, dtype="<f4").tobytes()


def _from_bytes(data: bytes | memoryview, dim: int) -> NDArray[np.float32] | None:
    raw = bytes(data)
    if len(raw) != 4 * dim:
        return None
    return np.frombuffer(raw, dtype="<f4").astype(np.float32)


def _stored_vectors(
    hashes: dict[int, str], encoders: Sequence[str]
) -> dict[tuple[int, str], NDArray[np.float32]]:
    """Stored vectors still valid for the current text of these organizations."""
    found: dict[tuple[int, str], NDArray[np.float32]] = {}
    rows = OrganizationEmbedding.objects.filter(
        organization_id__in=list(hashes), encoder__in=list(encoders)
    ).values_list("organization_id", "encoder", "text_hash", "dim", "vector")
    for organization_id, encoder, stored_hash, dim, vector in rows:
        if stored_hash != hashes.get(organization_id):
            continue
        row = _from_bytes(vector, dim)
        if row is not None:
            found[(organization_id, encoder)] = row
    return found


def _store_vectors(
    docs: Sequence[Document],
    hashes: dict[int, str],
    vectors: dict[str, NDArray[np.float32]],
    skip: set[tuple[int, str]],
) -> int:
    """Keep the vectors the index used with their organizations; returns how many were new."""
    now = timezone.now()
    existing = set(
        Organization.objects.filter(pk__in=[d.id for d in docs]).values_list("pk", flat=True)
    )
    rows = []
    for encoder, matrix in vectors.items():
        for position, doc in enumerate(docs):
            if (doc.id, encoder) in skip or doc.id not in existing:
                continue
            row = matrix[position]
            rows.append(
                OrganizationEmbedding(
                    organization_id=doc.id,
                    encoder=encoder,
                    text_hash=hashes[doc.id],
                    dim=int(row.shape[0]),
                    vector=_to_bytes(row),
                    updated_at=now,
                )
            )
    if rows:
        OrganizationEmbedding.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["organization", "encoder"],
            update_fields=["text_hash", "dim", "vector", "updated_at"],
        )
    return len(rows)


@dataclass
class IndexReport:
    """What a build or an update did."""

    documents: int = 0
    reused: int = 0  # vectors taken from the database
    encoded: int = 0  # vectors computed now
    removed: int = 0
    seconds: float = 0.0
    encoders: tuple[str, ...] = field(default_factory=tuple)  # the encoders computed
    incomplete: list[int] = field(default_factory=list)  # ids still without a strong vector

    def summary(self) -> str:
        later = f", {len(self.incomplete)} left for the background" if self.incomplete else ""
        return (
            f"{self.documents} organizations indexed ({', '.join(self.encoders)}): "
            f"{self.reused} stored vectors reused, {self.encoded} computed, "
            f"{self.removed} removed{later}, in {self.seconds:.1f} s."
        )


def strong_encoders() -> tuple[str, ...]:
    """The encoders computed in the background, after the fast one."""
    return tuple(DEFAULT_ENCODERS[1:])


def _upsert(
    index: HybridIndex,
    pairs: Sequence[tuple[Document, str]],
    encode: Sequence[str],
    report: IndexReport,
    *,
    merge: bool = True,
) -> None:
    """Add these documents: stored vectors that still match their text are reused, the
    encoders in `encode` compute the missing ones, other encoders wait (set_vectors later)."""
    if not pairs:
        return
    hashes = {doc.id: digest for doc, digest in pairs}
    stored = _stored_vectors(hashes, DEFAULT_ENCODERS)
    # The index takes, per encoder, rows for all the documents of a call: group the
    # documents by which encoders already have a valid stored vector.
    groups: dict[tuple[str, ...], list[Document]] = {}
    for doc, _digest in pairs:
        have = tuple(e for e in DEFAULT_ENCODERS if (doc.id, e) in stored)
        groups.setdefault(have, []).append(doc)
    for have, docs in groups.items():
        given = {e: np.stack([stored[(d.id, e)] for d in docs]) for e in have}
        used = index.upsert(docs, vectors=given or None, encode=list(encode), merge=merge)
        skip = {(d.id, e) for d in docs for e in have}
        report.reused += len(skip)
        report.encoded += _store_vectors(docs, hashes, dict(used), skip)
    report.documents += len(pairs)


def _incomplete(index: HybridIndex, ids: Collection[int] | None = None) -> list[int]:
    missing: set[int] = set()
    for encoder in strong_encoders():
        missing.update(index.missing_vectors(encoder))
    if ids is not None:
        missing &= set(ids)
    return sorted(missing)


def schedule_completion(organization_ids: Sequence[int]) -> None:
    """Compute the strong encoder's vectors of these organizations in the background."""
    if not organization_ids or not strong_encoders():
        return
    from clusterhub.matchmaking.tasks import match_index_complete

    try:
        match_index_complete.enqueue(organization_ids=list(organization_ids))
    except Exception:
        logger.exception("Could not enqueue the strong vectors of %s", organization_ids[:20])


def index_rebuild(
    *,
    progress: Callable[[int, int], None] | None = None,
    encoders: Sequence[str] | None = None,
) -> IndexReport:
    """Build the whole index again from the database and save it.

    `encoders`: those to compute now (default: all). With only the fast one, the others are
    computed by a background task afterwards (see `schedule_completion`).
    """
    started = time.perf_counter()
    encode = tuple(encoders or DEFAULT_ENCODERS)
    report = IndexReport(encoders=encode)
    with writer_lock():
        # Encoder objects, not names: the index then knows every encoder's dimension and
        # keeps a (still empty) matrix for the ones computed later.
        index = HybridIndex(encoders=[get_encoder(name) for name in DEFAULT_ENCODERS])
        total = Organization.objects.count()
        chunk: list[tuple[Document, str]] = []
        done = 0
        if progress:
            progress(0, total)
        for pair in iter_documents():
            chunk.append(pair)
            if len(chunk) >= CHUNK:
                _upsert(index, chunk, encode, report, merge=False)
                done += len(chunk)
                chunk = []
                if progress:
                    progress(done, max(total, done))
        _upsert(index, chunk, encode, report, merge=False)
        done += len(chunk)
        if progress and chunk:
            progress(done, max(total, done))
        index.merge()
        index.save(index_directory())
        report.incomplete = _incomplete(index)
    report.seconds = time.perf_counter() - started
    logger.info("Match index rebuilt: %s", report.summary())
    return report


def index_update(
    organization_ids: Collection[int], *, encoders: Sequence[str] | None = None
) -> IndexReport:
    """Bring these organizations up to date in the saved index (removing deleted ones).

    Computes only `encoders` (default: the fast one); the others are stored vectors that
    still match, or wait for `index_complete`. Does nothing when there is no index yet: the
    first search builds it from the database.
    """
    started = time.perf_counter()
    encode = tuple(encoders or (fast_encoder(),))
    report = IndexReport(encoders=encode)
    ids = sorted({int(i) for i in organization_ids})
    if not ids:
        return report
    with writer_lock():
        directory = index_directory()
        if HybridIndex.disk_version(directory) is None:
            logger.info(
                "No match index yet: %d changed profiles wait for the first build.", len(ids)
            )
            return report
        index = HybridIndex.load(directory)
        pairs = list(iter_documents(ids))
        present = {doc.id for doc, _ in pairs}
        gone = [i for i in ids if i not in present and i in index]
        if gone:
            index.remove(gone)
            report.removed = len(gone)
        _upsert(index, pairs, encode, report)
        index.save(directory)
        report.incomplete = _incomplete(index, present)
    report.seconds = time.perf_counter() - started
    logger.info("Match index updated for %s: %s", ids[:20], report.summary())
    return report


def index_complete(organization_ids: Collection[int]) -> IndexReport:
    """Compute every encoder's missing vectors of these organizations (the background step
    after `index_update` or a fast first build)."""
    started = time.perf_counter()
    report = IndexReport(encoders=tuple(DEFAULT_ENCODERS))
    with writer_lock():
        directory = index_directory()
        if HybridIndex.disk_version(directory) is None:
            return report
        index = HybridIndex.load(directory)
        wanted = _incomplete(index, {int(i) for i in organization_ids})
        for start in range(0, len(wanted), CHUNK):
            pairs = list(iter_documents(wanted[start : start + CHUNK]))
            _upsert(index, pairs, DEFAULT_ENCODERS, report)
        if wanted:
            index.save(directory)
    report.seconds = time.perf_counter() - started
    if wanted:
        logger.info("Match index completed: %s", report.summary())
    return report


# --- The loaded index of this process ------------------------------------------------------


@dataclass
class _Loaded:
    directory: Path
    index: HybridIndex
    version: object


# One slot: the index of the configured directory, as this process last loaded it.
_loaded: _Loaded | None = None
_load_lock = threading.Lock()


def _cached(directory: Path, version: object) -> HybridIndex | None:
    loaded = _loaded
    if loaded is not None and loaded.directory == directory and loaded.version == version:
        return loaded.index
    return None


def _build_now(reason: str) -> None:
    logger.warning(
        "%s: building the match index now from %d organizations "
        "(run `manage.py rebuild_match_index` to build it ahead of time).",
        reason,
        Organization.objects.count(),
    )
    report = index_rebuild(encoders=(fast_encoder(),))
    schedule_completion(report.incomplete)


def current_index() -> HybridIndex:
    """The index as saved on disk, loaded once per process and again when it changes.

    With no index on disk yet (a new or small registry), or one that cannot be read, it is
    built now from the database (with the fast encoder; the strong one follows in the
    background).
    """
    global _loaded
    directory = index_directory()
    version = HybridIndex.disk_version(directory)
    index = _cached(directory, version) if version is not None else None
    if index is not None:
        return index
    with _load_lock:
        version = HybridIndex.disk_version(directory)
        if version is None:
            _build_now(f"No match index in {directory}")
            version = HybridIndex.disk_version(directory)
        index = _cached(directory, version)
        if index is None:
            try:
                index = HybridIndex.load(directory)
            except Exception:
                logger.exception("The match index in %s cannot be read", directory)
                _build_now(f"Unreadable match index in {directory}")
                version = HybridIndex.disk_version(directory)
                index = HybridIndex.load(directory)
            _loaded = _Loaded(directory=directory, index=index, version=version)
            logger.info("Match index loaded from %s (%d organizations).", directory, len(index))
        return index


def forget_loaded_indexes() -> None:
    """Drop the index this process holds (tests switch CLUSTERHUB_INDEX_DIR)."""
    global _loaded
    with _load_lock:
        _loaded = None


def warm_encoders() -> None:
    """Load the encoders now rather than on the first search."""
    for name in DEFAULT_ENCODERS:
        get_encoder(name)
