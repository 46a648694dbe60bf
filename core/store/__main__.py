"""`python -m core.store create-tables [--provisioned]`, `create-bucket NAME` and `purge --source NAME [--yes]`.

On-demand billing by default. `--provisioned` reproduces the original article's setup: 2 write units
and 10 read units, reads auto-scaled between 10 and 50 at 70% utilisation.

`purge` (admin) deletes every record of one source and its sync state from the configured store, after
saying how many and asking (e.g. the demo's, once real data has arrived); it works on every backend.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from core import lease
from core.clock import utc_now
from core.config import load_settings
from core.console import confirm, failed
from core.errors import ConfigError, FitDashError
from core.sources import holds_real_data
from core.store import open_store
from core.store.aws import CLIENT_CONFIG, DEFAULT_TABLE, _session
from core.store.maintenance import purge_plan, purge_source, source_counts

PROVISIONED = {"ReadCapacityUnits": 10, "WriteCapacityUnits": 2}
READ_SCALING = (10, 50, 70.0)  # min, max read units, target utilisation %


def table_definition(table: str, provisioned: bool) -> dict[str, Any]:
    """CreateTable arguments: string pk + sk."""
    spec: dict[str, Any] = {
        "TableName": table,
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "sk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    }
    if provisioned:
        return {**spec, "BillingMode": "PROVISIONED", "ProvisionedThroughput": PROVISIONED}
    return {**spec, "BillingMode": "PAY_PER_REQUEST"}


def create_tables(client: Any, table: str, provisioned: bool, autoscaling: Any = None) -> str:
    """Create the table (idempotent) and, if provisioned, register read auto-scaling."""
    try:
        client.create_table(**table_definition(table, provisioned))
    except client.exceptions.ResourceInUseException:
        return f"table {table} already exists"
    client.get_waiter("table_exists").wait(TableName=table)
    if provisioned and autoscaling is not None:
        low, high, target = READ_SCALING
        resource = f"table/{table}"
        autoscaling.register_scalable_target(ServiceNamespace="dynamodb", ResourceId=resource,
                                             ScalableDimension="dynamodb:table:ReadCapacityUnits",
                                             MinCapacity=low, MaxCapacity=high)
        autoscaling.put_scaling_policy(
            PolicyName=f"{table}-reads", ServiceNamespace="dynamodb", ResourceId=resource,
            ScalableDimension="dynamodb:table:ReadCapacityUnits", PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration={
                "TargetValue": target,
                "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBReadCapacityUtilization"}})
    return f"table {table} created ({'provisioned' if provisioned else 'on-demand'})"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m core.store")
    sub = parser.add_subparsers(dest="command", required=True)
    tables = sub.add_parser("create-tables", help="create the DynamoDB table")
    tables.add_argument("--provisioned", action="store_true", help="2 WCU, reads auto-scaled 10-50")
    sub.add_parser("create-bucket", help="create the S3 bucket for the model").add_argument("bucket")
    purge = sub.add_parser("purge", help="delete every record of one source and its sync state (admin)")
    purge.add_argument("--source", required=True, help="e.g. demo")
    purge.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    args = parser.parse_args(argv)
    if args.command == "purge":
        return run_purge(args.source, args.yes)
    try:
        settings = load_settings(os.environ)
        session = _session(settings)
    except ConfigError as exc:
        return failed(exc)
    if args.command == "create-tables":
        section = settings.section("dynamodb")
        client = session.client("dynamodb", endpoint_url=section.get("endpoint_url"), config=CLIENT_CONFIG)
        scaling = session.client("application-autoscaling") if args.provisioned else None
        print(create_tables(client, str(section.get("table", DEFAULT_TABLE)), args.provisioned, scaling))
    else:
        s3 = session.client("s3", endpoint_url=settings.section("s3").get("endpoint_url"), config=CLIENT_CONFIG)
        config = {} if session.region_name == "us-east-1" else {
            "CreateBucketConfiguration": {"LocationConstraint": session.region_name}}
        s3.create_bucket(Bucket=args.bucket, **config)
        print(f"bucket {args.bucket} created in {session.region_name}")
    return 0


def run_purge(source: str, yes: bool) -> int:
    """Say what will go, ask (unless --yes), purge under the lease: 0 done, 1 declined, 2 refused."""
    lease.exit_on_sigterm()
    try:
        settings = load_settings(os.environ)
        store = open_store(settings)
        print(purge_plan(source, source_counts(store.counts(), source), settings.demo and not holds_real_data(store)))
        if not yes and not confirm("Delete them? [y/N] "):
            print("Nothing deleted.")
            return 1
        deleted = purge_source(store, source, utc_now)
    except FitDashError as exc:
        return failed(exc)
    print(f"Deleted {sum(deleted.values())} records of {source} and its sync state.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
