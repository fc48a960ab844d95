"""``python -m offline``: preview a stack with no Pulumi CLI, no cloud account and no cluster.

Runs ``__main__.py`` in-process under Pulumi's mock engine with exactly the config the CLI would
pass, then shows what ``pulumi up`` would create or patch and checks every rendered object
against its schema. Exit codes: 0 fine, 2 invalid stack config, 3 an object breaks its schema.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from components.cluster.state import ClusterState
    from components.stack_config import StackConfig

from components.exits import EXIT_FAILED, EXIT_OK, EXIT_POLICY_VIOLATION, EXIT_SCHEMA_VIOLATION
from components.exits import EXIT_INVALID as EXIT_INVALID_CONFIG

DESCRIPTION = """\
Preview what `pulumi up` would create or patch for a stack, offline: the program runs under
Pulumi's mock engine with the stack file's config plus the defaults in Pulumi.yaml. Encrypted
(`secure:`) values cannot be decrypted here; they become placeholders marked secret. Every
Kubernetes object is validated: OpenShift resources against the vendored CRDs, core objects
against the Kubernetes schemas, unknown fields included.

exit codes: 0 success, 2 invalid stack file or config (every problem listed, each naming its
file and line or its key), 3 a rendered object violates its schema, 4 a policy of the pack is
violated (with --policy).
"""


def parser() -> argparse.ArgumentParser:
    args = argparse.ArgumentParser(
        prog="python -m offline", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    source = args.add_mutually_exclusive_group(required=True)
    source.add_argument("--stack", metavar="NAME", help="preview stacks/Pulumi.NAME.yaml")
    source.add_argument(
        "--config-file",
        metavar="PATH",
        type=Path,
        help="preview any stack file; the stack name comes from its name, Pulumi.<name>.yaml",
    )
    view = args.add_mutually_exclusive_group()
    view.add_argument("--json", action="store_true", help="print the plan as JSON (byte-identical across runs)")
    view.add_argument("--graph", action="store_true", help="print a Mermaid flowchart: resources, what waits on what")
    view.add_argument("--quiet", action="store_true", help="print no plan (only problems, --out and --policy)")
    args.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        help="write one YAML file per Kubernetes object, numbered in apply order, for review or `oc apply -f DIR` "
        "(a new or empty directory, or one an earlier run wrote)",
    )
    args.add_argument("--policy", action="store_true", help="also run the policy pack's checks (policy/) over the plan")
    args.add_argument(
        "--policy-pack-config", metavar="FILE", type=Path, help="the pack's config, e.g. policy/policy-config.json"
    )
    args.add_argument("--show-secrets", action="store_true", help="reveal secret values (shown as [secret] otherwise)")
    args.add_argument(
        "--openshift",
        choices=("latest", "4.6"),
        help="schemas to validate against (default: 4.6 for a stack whose cluster.openshiftVersion, or "
        "whose cluster, is older than 4.11; latest otherwise)",
    )
    args.add_argument(
        "--cluster",
        metavar="DIR",
        type=Path,
        help="preview against the cluster as these `oc get <kind> <name> -o yaml` dumps show it "
        "(default: a new cluster)",
    )
    return args


def main(argv: Sequence[str] | None = None, stdout: IO[str] = sys.stdout, stderr: IO[str] = sys.stderr) -> int:
    options = parser().parse_args(argv)
    # lazy: a stack file with errors, or --help, answers before the settings and the cluster reader are imported
    from components import command_kit as kit
    from components.cluster.readers import ClusterReadError, new_cluster, read_dump
    from components.cluster.rules import with_cluster_facts
    from components.errors import SettingsError

    try:
        stack_config = kit.read_stack(kit.stack_file(options.stack, options.config_file))
        try:
            cluster = read_dump(options.cluster) if options.cluster else new_cluster()
        except ClusterReadError as error:
            raise kit.CommandError([f"error: {error}"]) from None
        if not cluster.read:
            print("note: no --cluster dump given: this preview assumes a new cluster", file=stderr)
        for note in cluster.notes:
            print(f"note: {note}", file=stderr)
        try:
            # The same checks the program makes first; done here too so bad config is exit 2, not a crash.
            loaded = kit.checked_settings(stack_config, cluster)
        except SettingsError as error:
            raise kit.settings_error(stack_config.stack, error) from None
    except kit.CommandError as error:
        return kit.refuse(error, stderr)
    release = with_cluster_facts(loaded.settings, cluster).cluster.openshift_version
    if options.openshift is None:
        options.openshift = schemas_for(release)
        options.release = release
    return preview(stack_config, options, stdout, stderr, cluster)


def schemas_for(version: str | None) -> str:
    """The vendored schema set for an OpenShift version: 4.6's before 4.11 (no s3.trustedCA), else the latest."""
    # lazy: as above
    from components.settings.cluster import version_tuple

    return "4.6" if version_tuple(version) < (4, 11) else "latest"


def preview(
    stack_config: StackConfig,
    options: argparse.Namespace,
    stdout: IO[str],
    stderr: IO[str],
    cluster: ClusterState | None = None,
) -> int:
    """Evaluate valid config and show it in the views ``options`` asks for; validate what is rendered."""
    # lazy: Pulumi and the mock engine only for a valid stack
    from components.remembered import remember
    from offline.engine import evaluate
    from offline.graph import mermaid
    from offline.manifests import OutputDirectoryError, manifests, write
    from offline.plan import plan_of
    from offline.validation import validate

    policy_config = None
    if options.policy or options.policy_pack_config:
        try:
            # lazy: pulumi_policy only with --policy (requirements-dev)
            from policy.offline import read_policy_config
        except ModuleNotFoundError as exc:
            print(f"error: --policy needs {exc.name}: install requirements-dev.txt", file=stderr)
            return EXIT_FAILED
        try:
            policy_config = read_policy_config(options.policy_pack_config)
        except ValueError as exc:
            print(f"error: {exc}", file=stderr)
            return EXIT_INVALID_CONFIG

    if options.openshift is None:  # called without main (tests): the latest schemas
        options.openshift = schemas_for(None)
    evaluation = evaluate(stack_config, cluster=cluster)
    plan = plan_of(evaluation, show_secrets=options.show_secrets)
    objects = manifests(plan)
    if options.show_secrets:
        # Objects with their secret values are checked, and nothing of them is kept on the machine, not even
        # a digest (components/remembered.py).
        remember(False)
    if options.out is not None:
        try:
            written, replaced = write(objects, options.out)
        except OutputDirectoryError as exc:
            print(f"error: {exc}", file=stderr)
            return EXIT_INVALID_CONFIG
    if options.json:
        stdout.write(json.dumps(plan.as_json(), indent=2) + "\n")
    elif options.graph:
        stdout.write(mermaid(plan))
    elif options.out is None and not options.quiet:
        # lazy: rich only for the table
        from offline.table import print_table

        print_table(plan, stdout)
    if options.out is not None:
        notes = stderr if options.json or options.graph or options.quiet else stdout
        if replaced:
            print(f"replaced the {replaced} file(s) an earlier run wrote in {options.out}", file=notes)
        for path in written:
            print(f"wrote {path}", file=notes)
    if options.json or options.graph or options.quiet:
        for warning in plan.warnings:
            print(f"warning: {warning}", file=stderr)
    violations = validate(objects, options.openshift, getattr(options, "release", None))
    if violations:
        print(f"error: {len(violations)} schema violation(s) (OpenShift {options.openshift}):", file=stderr)
        for violation in violations:
            print(f"  {violation}", file=stderr)
        return EXIT_SCHEMA_VIOLATION
    if policy_config is not None:
        # lazy: as --policy above
        from policy.offline import violations as policy_violations

        environment = stack_config.config.get(f"{stack_config.project}:environment", "production")
        found = policy_violations(evaluation, policy_config, production=environment != "nonproduction")
        if found:
            print(f"error: {len(found)} policy violation(s):", file=stderr)
            for violation in found:
                print(f"  {violation}", file=stderr)
            return EXIT_POLICY_VIOLATION
        print("policy pack: every policy passes", file=stderr)
    return EXIT_OK


def run(entry: Callable[[], int] | None = None, *, brief: bool = True) -> None:
    """Run ``entry`` (the preview by default) and leave at once with its exit code.

    ``brief``: the command imports, evaluates a stack or two and leaves with ``os._exit``, so the cyclic
    garbage collector only costs time (a tenth of a preview, run over and over during the imports) and
    frees nothing that matters: it is switched off. A command that evaluates clusters by the thousand
    in one process (the fleet) keeps it.

    Every command starts lean (``components/lean_start.py``): the parts of the SDK a program run never
    reads are loaded only if something reads them. A brief command also keeps the answers of its slow
    pure checks and reuses those kept (``components/remembered.py``): the same stack asks the same again.
    """
    # lazy: run before anything imports Pulumi, which is the point
    from components.lean_start import lean_start
    from components.remembered import flush, remember

    lean_start()
    if brief:
        gc.disable()
        remember()
    try:
        code = (entry or main)()
        sys.stdout.flush()
        sys.stderr.flush()
        flush()
    except BrokenPipeError:
        # Piped into `head` or a pager that quit: what was wanted has been read.
        code = EXIT_OK
    # The mock engine can leave an event loop that complains while the interpreter shuts down;
    # everything is written by now, so leave without that noise.
    os._exit(code)


if __name__ == "__main__":
    run()
