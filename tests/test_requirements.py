"""The lock files say what the requirement files pin (``make lock`` writes them).

The Makefile installs from the locks with ``--require-hashes``; a pin changed in
``requirements*.txt`` without ``make lock`` would be silently ignored, so it fails here.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)


def _name(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path, seen=None):
    """``{name: version}`` of a requirements file, following ``-r`` includes."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("-r "):
            pins.update(_pins(path.parent / line[3:].strip()))
            continue
        found = PIN.match(line)
        if found:
            pins[_name(found.group(1))] = found.group(2)
    return pins


def _locked(path):
    """``{name: (version, number of hashes)}`` of a lock file."""
    text = path.read_text()
    locked = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        found = PIN.match(block)
        if found:
            locked[_name(found.group(1))] = (found.group(2), block.count("--hash=sha256:"))
    return locked


@pytest.mark.parametrize(
    ("requirements", "lock"),
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_every_pin_is_in_its_lock_at_the_same_version(requirements, lock):
    pins = _pins(ROOT / requirements)
    locked = _locked(ROOT / lock)
    assert pins, f"{requirements} pins nothing"
    stale = {
        name: (version, locked.get(name, ("missing", 0))[0])
        for name, version in pins.items()
        if locked.get(name, (None,))[0] != version
    }
    assert not stale, f"run make lock: {lock} disagrees with {requirements}: {stale}"


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_package_has_hashes(lock):
    unhashed = [name for name, (_, hashes) in _locked(ROOT / lock).items() if not hashes]
    assert not unhashed, f"{lock}: no hashes for {unhashed}"


def test_the_two_locks_agree_on_shared_packages():
    runtime = _locked(ROOT / "requirements.lock")
    development = _locked(ROOT / "requirements-dev.lock")
    differ = {
        name: (version, development[name][0])
        for name, (version, _) in runtime.items()
        if name in development and development[name][0] != version
    }
    assert not differ, f"run make lock: the runtime and development locks differ: {differ}"
    missing = sorted(set(runtime) - set(development))
    assert not missing, f"the development lock lacks runtime packages: {missing}"
