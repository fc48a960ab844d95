"""``python -m verify --stack NAME``: does the deployed registry work, and is it as the stack meant?

Three views: the operator's (its conditions; the live Config against the stack), the registry's own
access to its storage with the credentials the registry uses (read from its credential secret in
the cluster, never shown), and the storage as the stack set it, read with the caller's own cloud
credentials. ``--cluster DIR`` takes ``oc get -o yaml`` dumps instead of the live cluster (the
credential secret's values included). Exit 0 only when every check ran and held.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID = 2


def parser() -> argparse.ArgumentParser:
    args = argparse.ArgumentParser(prog="python -m verify", description=__doc__.splitlines()[0])
    source = args.add_mutually_exclusive_group(required=True)
    source.add_argument("--stack", metavar="NAME", help="verify against stacks/Pulumi.NAME.yaml")
    source.add_argument("--config-file", metavar="PATH", type=Path, help="any stack file")
    args.add_argument("--cluster", metavar="DIR", type=Path, help="`oc get -o yaml` dumps instead of the live cluster")
    args.add_argument("--json", action="store_true", help="the results as JSON, for scripts")
    return args


def main(argv: Sequence[str] | None = None, stdout: IO[str] = sys.stdout, stderr: IO[str] = sys.stderr) -> int:
    from components.cluster.readers import ClusterReadError, kubernetes_getter, read_dump, read_live
    from components.cluster.state import ClusterState
    from components.errors import SettingsError
    from components.settings import load_settings
    from components.stack_config import StackFileError, load_stack_file, missing_stack, stack_path
    from verify import operator_view, results, storage

    options = parser().parse_args(argv)
    path = options.config_file or stack_path(options.stack)
    if not path.is_file():
        print(f"error: {missing_stack(path)}", file=stderr)
        return EXIT_INVALID
    try:
        stack_config = load_stack_file(path)
        settings = load_settings(
            stack_config.config, stack_config.secret_keys, project=stack_config.project, stack=stack_config.stack
        ).settings
    except (StackFileError, SettingsError, OSError, ValueError) as error:
        print(f"error: {error}", file=stderr)
        return EXIT_INVALID
    secret_key = storage.SECRET
    try:
        if options.cluster is not None:
            state = read_dump(options.cluster, keep_values=frozenset({secret_key}))
            for note in state.notes:
                print(f"note: {note}", file=stderr)
        else:
            config = stack_config.config
            get = kubernetes_getter(
                config.get("kubernetes:kubeconfig"), config.get("kubernetes:context"), values=frozenset({secret_key})
            )
            live = read_live(get)
            wanted = (operator_view.CLUSTER_OPERATOR, secret_key, storage.trusted_ca_key(settings))
            extra = {key: body for key in wanted if key and (body := get(key))}
            state = ClusterState({**live.objects, **extra}, source=live.source, read=True)
    except ClusterReadError as error:
        print(f"error: {error}", file=stderr)
        return EXIT_INVALID
    # A dump edited by hand can hold shapes no API server would: each view that trips on one says so.
    checks = results.guarded_all("operator", "the operator's view", lambda: operator_view.checks(settings, state))
    checks += results.guarded_all(
        "registry access", "the storage", lambda: storage.checks(settings, state, stack_config.config)
    )
    secrets = [*storage.secret_values(state.get(secret_key)).values()]
    secrets += [stack_config.config[key] for key in stack_config.secret_keys if key in stack_config.config]
    checks = results.redacted(checks, secrets)
    (results.print_json if options.json else results.print_table)(checks, stdout)
    return results.exit_code(checks)


if __name__ == "__main__":
    from offline.__main__ import run

    run(main)
