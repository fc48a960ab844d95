"""The lock files: every package pinned with hashes, and the app's lock a subset of the dev lock."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)", re.M)


def pins(name: str) -> dict[str, str]:
    return {package.lower(): version for package, version in PIN.findall((ROOT / name).read_text(encoding="utf-8"))}


def test_every_requirement_is_pinned_with_a_hash() -> None:
    for name in ("requirements.txt", "requirements-dev.txt"):
        text = (ROOT / name).read_text(encoding="utf-8")
        entries = [block for block in re.split(r"\n(?=\S)", text) if block.strip() and not block.startswith("#")]
        assert entries and all(PIN.match(block) and "--hash=sha256:" in block for block in entries), name


def test_installing_the_dev_set_changes_no_app_version() -> None:
    app, dev = pins("requirements.txt"), pins("requirements-dev.txt")
    differ = {package: (version, dev.get(package)) for package, version in app.items() if dev.get(package) != version}
    assert differ == {}


def test_the_app_lock_holds_every_top_level_requirement() -> None:
    wanted = re.findall(r"^([A-Za-z0-9_.-]+)[<>=]", (ROOT / "requirements.in").read_text(encoding="utf-8"), re.M)
    assert {name.lower().replace("_", "-") for name in wanted} <= set(pins("requirements.txt"))


def test_azurite_is_locked_with_integrity_hashes_and_installed_as_the_readme_says() -> None:
    import json

    folder = ROOT / "tests" / "azurite"
    wanted = json.loads((folder / "package.json").read_text(encoding="utf-8"))["dependencies"]
    lock = json.loads((folder / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", wanted["azurite"]), "an exact version, not a range"
    assert lock["node_modules/azurite"]["version"] == wanted["azurite"]
    installed = {path: entry for path, entry in lock.items() if path and not entry.get("link")}
    assert installed and all(entry.get("integrity", "").startswith("sha512-") for entry in installed.values())
    command = "npm ci --prefix tests/azurite --ignore-scripts"
    assert command in (ROOT / "README.md").read_text(encoding="utf-8").split("\n## ", 1)[0]
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
