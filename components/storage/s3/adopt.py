"""Adopting S3 storage: an S3 bucket is imported or referenced; an S3-compatible endpoint's bucket only referenced."""

from __future__ import annotations

from typing import Any

from components.adoption import Context, referenced_or_imported


def storage(block: dict[str, Any], context: Context) -> dict[str, Any]:
    if "regionEndpoint" in block and context.mode == "import":
        block["adopt"] = True
        context.result.notes.append(
            "storage.s3: an S3-compatible endpoint's bucket is always referenced, never imported"
        )
        return block
    return referenced_or_imported(block, context, "bucket", block["bucket"])


def keyless(block: dict[str, Any], context: Context) -> None:
    """ccoctl made the issuer's IAM OIDC provider and AWS allows one per URL: the stack names it, and its
    account is the one thing a dump cannot show."""
    path = (context.state.service_account_issuer or "").removeprefix("https://")
    context.result.asks.append(
        "pulumi config set --path 'storage.s3.oidcProviderArn' "
        f'"arn:aws:iam::$(aws sts get-caller-identity --query Account --output text):oidc-provider/{path}"'
    )
