"""The fast encoding paths give the reference's vectors, in every script, and the query path
keeps torch out of the process."""
from __future__ import annotations

import copy
import json
import subprocess
import sys

import numpy as np
import pytest

from search_index.model_encoder import ModelEncoder
from search_index.model_folder import ModelMissing, prepare

# One sentence in each of 10 scripts (Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari,
# Thai, Han, Hangul, Ethiopic), plus text with tatweel, spaces to strip and more tokens than
# the window holds (the cut must match the reference's).
TEXTS = [
    "Our pupils grow vegetables in the school garden to learn about the climate.",
    "Школьники выращивают овощи в школьном саду, чтобы узнать о климате.",
    "Οι μαθητές μας καλλιεργούν λαχανικά στον σχολικό κήπο.",
    "يزرع تلاميذنا الخضروات في حديقة المدرســة للتعرف على المناخ.",
    "התלמידים שלנו מגדלים ירקות בגינת בית הספר.",
    "हमारे विद्यार्थी जलवायु के बारे में जानने के लिए स्कूल के बगीचे में सब्ज़ियाँ उगाते हैं।",
    "นักเรียนของเราปลูกผักในสวนของโรงเรียนเพื่อเรียนรู้เรื่องสภาพภูมิอากาศ",
    "我们的学生在学校菜园里种蔬菜，以了解气候。",
    "우리 학생들은 기후에 대해 배우기 위해 학교 정원에서 채소를 기릅니다.",
    "ተማሪዎቻችን ስለ አየር ንብረት ለመማር በትምህርት ቤቱ የአትክልት ስፍራ አትክልቶችን ያመርታሉ።",
    "   bullying   ",
    "Students map the trees around their school. " * 80,
]
PATHS = {"query": ("onnx", "torch-fp32"), "passage": ("onnx", "torch-bf16", "torch-fp32")}


@pytest.fixture(scope="module")
def forced(real_encoder):
    """The product's encoder with paths each test sets: a shallow copy shares its tokenizer
    and loaded paths (each path is loaded once per run, when first used)."""
    encoder = copy.copy(real_encoder)
    encoder.paths = dict(real_encoder.paths)
    return encoder


@pytest.mark.model
@pytest.mark.parametrize("kind,path", [(k, p) for k, ps in PATHS.items() for p in ps])
def test_each_path_gives_the_reference_vectors_in_every_script(forced, reference_encoder,
                                                               kind, path):
    forced.paths[kind] = path
    method = {"query": "encode_queries", "passage": "encode_passages"}[kind]
    found = getattr(forced, method)(TEXTS)
    expected = getattr(reference_encoder, method)(TEXTS)
    cosines = np.sum(found * expected, axis=1)
    assert found.dtype == np.float32 and found.shape == (len(TEXTS), 384)
    assert cosines.min() >= 0.999, dict(zip(TEXTS, cosines.round(5), strict=True))


@pytest.mark.model
def test_the_model_gets_the_ids_sentence_transformers_gives_it(real_encoder,
                                                               reference_encoder):
    model = reference_encoder._model
    for text in TEXTS:
        for prompt in ("query", "passage"):
            given = model.prompts[prompt] + prepare(text)  # as the reference encoder does
            theirs = model.preprocess([given])["input_ids"][0].tolist()
            assert real_encoder.tokenizer.ids(text, prompt) == theirs, (prompt, text[:30])


@pytest.mark.model
def test_a_process_that_only_encodes_queries_never_imports_torch(real_encoder):
    script = (
        "import sys, json\n"
        "from search_index.model_encoder import ModelEncoder\n"
        f"e = ModelEncoder({str(real_encoder.folder)!r}, passage_path='onnx')\n"
        "v = e.encode_queries(['jardin scolaire'])\n"
        "spans = e.token_spans('jardin scolaire')\n"
        "print(json.dumps([v.shape[1], len(spans), 'torch' in sys.modules,"
        " 'transformers' in sys.modules]))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, timeout=120)
    assert json.loads(done.stdout) == [384, len(real_encoder.token_spans("jardin scolaire")),
                                       False, False]


def test_a_folder_without_its_onnx_export_asks_for_make_model(tmp_path):
    folder = _fake_folder(tmp_path)
    with pytest.raises(ModelMissing, match="make model"):
        ModelEncoder(folder, query_path="onnx")


def test_an_export_made_from_other_weights_is_refused(tmp_path):
    folder = _fake_folder(tmp_path)
    (folder / "onnx").mkdir()
    (folder / "onnx" / "model.onnx").write_bytes(b"")
    (folder / "onnx" / "provenance.json").write_text(json.dumps({"source": "0" * 64}))
    with pytest.raises(ModelMissing, match="other weights"):
        ModelEncoder(folder, query_path="onnx")


def _fake_folder(tmp_path):
    """A model folder with its configuration but no weights and no export."""
    folder = tmp_path / "model"
    files = {"modules.json": [], "provenance.json": {"model_id": "intfloat/multilingual-e5-small",
                                                     "outputs": {"model.safetensors": "1" * 64}},
             "config_sentence_transformers.json": {"prompts": {"query": "query: "}},
             "sentence_bert_config.json": {"max_seq_length": 512},
             "1_Pooling/config.json": {"word_embedding_dimension": 384}}
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(json.dumps(content))
    return folder
