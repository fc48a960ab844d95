"""Every ``Checker`` names all the code its answers come from (components/remembered.py): a remembered answer
is only as good as its key, and the key covers exactly the modules and packages a checker lists.

Each checker's work runs in a fresh interpreter under a tracer, once its imports are done and its caches
emptied (so the code that builds validators runs again); every Python function it calls must live in one
of its modules, one of its packages, or the standard library. A checker that starts to call other code
(a new helper module, a library) fails here until its list says so.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

_TRACE = textwrap.dedent(
    """
    import json, os, sys
    os.environ["OPENSHIFT_REGISTRY_NO_CACHE"] = "1"
    from components import crd, crd_quick, formats
    from components.resources import provider_object
    from components.settings import pem
    from offline import validation
    from tests import certs

    config = crd.crd_schema("configs")
    bad_spec = {"managementState": "Bogus", "logLevel": "Loud", "logging": 2**70, "replicas": 2**40,
                "disableRedirect": "yes", "requests": {"read": {"maxWaitInQueue": "10d"}}, "unknown": 1}
    bad = {"apiVersion": "imageregistry.operator.openshift.io/v1", "kind": "Config", "metadata": {"name": "cluster"},
           "spec": bad_spec}
    good = {**bad, "spec": {"managementState": "Managed", "replicas": 2}}
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "n"}, "type": "Opaque"}
    version = validation.kubernetes_version("latest")
    bundle = certs.make(ca=True).certificate
    cases = {
        "crd-violations": (crd.VIOLATIONS, lambda: (crd._checked(bad, config), crd._checked(good, config)),
                           [crd._validator_class, crd._compiled, crd_quick._COMPILED.clear]),
        "kubernetes-violations": (
            validation.KUBERNETES_VIOLATIONS,
            lambda: (validation._kubernetes_problems({**secret, "bogus": 1}, version, "Secret", "v1"),
                     validation._kubernetes_problems(secret, version, "Secret", "v1")),
            [validation._kubernetes_validator, validation._definitions]),
        "kubernetes-releases": (validation.KUBERNETES_RELEASES, validation._kubernetes_releases, []),
        "cron": (formats.CRON,
                 lambda: (formats._croniter_accepts("0 2 * * *"), formats._croniter_accepts("61 2 * * *")), []),
        "pem-certificates": (pem.CERTIFICATES,
                             lambda: (pem.certificates(bundle), pem.certificates(bundle.replace("M", "N", 3))), []),
        "provider-versions": (provider_object.PROVIDER_VERSIONS,
                              lambda: provider_object.importlib.metadata.version("pulumi_kubernetes"), []),
    }
    found = {}
    for name, (checker, work, caches) in cases.items():
        work()
        for cached in caches:
            getattr(cached, "cache_clear", cached)()
        files = set()
        def tracer(frame, event, arg):
            files.add(frame.f_code.co_filename)
        sys.setprofile(tracer)
        try:
            work()
        finally:
            sys.setprofile(None)
        found[name] = {"files": sorted(files), "modules": checker.modules, "packages": checker.packages}
    print(json.dumps(found))
    """
)


@pytest.fixture(scope="module")
def traced() -> dict[str, dict[str, list[str]]]:
    done = subprocess.run([sys.executable, "-c", _TRACE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _owner(path: str) -> tuple[str, str] | None:
    """("module", name) for the program's own files, ("package", name) for an installed one; None for the
    standard library and code made at run time (attrs' generated methods, ``<string>``)."""
    if path.startswith("<"):
        return None
    file = Path(path)
    if file.is_relative_to(ROOT) and "site-packages" not in file.parts:
        return ("module", ".".join(file.relative_to(ROOT).with_suffix("").parts))
    if "site-packages" in file.parts:
        inside = file.parts[file.parts.index("site-packages") + 1 :]
        return ("package", inside[0].removesuffix(".py"))
    assert file.is_relative_to(sysconfig.get_paths()["stdlib"]), f"code from neither the program nor a package: {path}"
    return None


CHECKERS = [
    "crd-violations",
    "kubernetes-violations",
    "kubernetes-releases",
    "cron",
    "pem-certificates",
    "provider-versions",
]


@pytest.mark.parametrize("name", CHECKERS)
def test_a_checker_lists_every_module_and_package_its_answers_run(traced: dict, name: str) -> None:
    found = traced[name]
    owners = {owner for owner in map(_owner, found["files"]) if owner is not None}
    modules = {owner for kind, owner in owners if kind == "module"}
    packages = {owner for kind, owner in owners if kind == "package"}
    assert modules <= set(found["modules"]), f"{name} runs modules it does not list: {modules - set(found['modules'])}"
    assert packages <= set(found["packages"]), (
        f"{name} runs packages it does not list: {packages - set(found['packages'])}"
    )


def test_the_tracer_sees_the_checkers_libraries_run() -> None:
    """The test above cannot pass for want of seeing anything: jsonschema and croniter code does run."""
    done = subprocess.run([sys.executable, "-c", _TRACE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    traced = json.loads(done.stdout)
    owners = {name: {_owner(f) for f in found["files"]} for name, found in traced.items()}
    assert ("package", "jsonschema") in owners["crd-violations"] and ("module", "components.crd") in owners[
        "crd-violations"
    ]
    assert ("package", "croniter") in owners["cron"]
    # (cryptography parses in Rust, out of a Python tracer's sight: its package is listed all the same)
