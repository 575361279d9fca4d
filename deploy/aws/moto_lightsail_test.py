#!/usr/bin/env python3
"""Deploys deploy/aws/lightsail.yaml to moto's CloudFormation as far as moto can,
then runs the shop's binary as the template's container service would run it.

moto has no Lightsail: the container service, the certificate and the database
are named stand-ins (and the shop's database is the test's PostgreSQL). What moto
makes is checked: the IAM user and its policy (exactly the Fargate task role's,
statement for statement), its access key, the secrets, the log group, the bucket
and its policy. The shop is then started with the environment the service's
deployment gives its container (the settings' secret ids, the region, and the
user's access key, which the SDK's credential chain reads: the binary is the
same), and its lines reach the stack's log group.

moto does not check signatures or permissions by default: the key proves the
credential chain reads it from the environment; the policy is checked by reading it.
The template's own key cannot be read back from moto (its secret is a GetAtt no
API answers), so the shop gets a second key of the same user.

Environment: TEST_MOTO_URL, TEST_POSTGRES_URL, SHOP_BIN, LEPTOS_SITE_ROOT (as
moto_deploy_test.py).
"""

import json
import os
import subprocess
import urllib.parse
import urllib.request
import uuid

import boto3
import yaml

from moto_deploy_test import (
    ACCOUNT,
    HERE,
    REGION,
    SHOP_ACTIONS,
    CfnLoader,
    actions_of,
    check,
    an_event_reaches_the_group,
    deploy,
    make_database,
    policy_document,
    run_locally,
    wait_until_healthy,
)


def load(name):
    with open(os.path.join(HERE, name)) as f:
        return yaml.load(f, Loader=CfnLoader)


def main():
    moto_url = os.environ["TEST_MOTO_URL"]
    postgres_url = os.environ["TEST_POSTGRES_URL"]
    shop_bin = os.environ["SHOP_BIN"]
    os.environ.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION=REGION)
    client = lambda name: boto3.client(name, endpoint_url=moto_url, region_name=REGION)  # noqa: E731
    sm, s3, logs, iam = (client(n) for n in ["secretsmanager", "s3", "logs", "iam"])

    template = load("lightsail.yaml")
    resources = template["Resources"]
    fargate = load("template.yaml")["Resources"]

    stack = f"lumen-ls-{uuid.uuid4().hex[:8]}"
    pg = urllib.parse.urlparse(postgres_url)
    # Step 2 of the guide: the database's address is known.
    parameters = {
        "ImageUri": ":shop.web.1",
        "DomainName": "shop.example.com",
        "CognitoDomainPrefix": stack,
        "ContainerPower": "nano",
        "ContainerCount": "1",
        "DatabaseBundle": "micro_2_0",
        "DatabasePublic": "true",
        "DatabaseEndpoint": pg.hostname,
        "AccessKeySerial": "1",
        "AllowedEventOrigins": "https://journal.example.com",
        "SeedDemoCatalog": "true",
        "LogRetentionDays": "30",
        "EmailIdentity": "shop.example.com",
        "EmailFromAddress": "orders@shop.example.com",
    }
    values, made, outputs = deploy(template, parameters, {"Deployed": True, "PublicDatabase": True}, stack, moto_url)
    bucket, group, user = made["ImagesBucket"], made["LogGroup"], made["ShopUser"]
    values.attrs[("ImagesBucket", "Arn")] = f"arn:aws:s3:::{bucket}"
    values.attrs[("LogGroup", "Arn")] = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{group}:*"
    # The two documents, each with this stack's values (the Fargate one making its
    # own log group), are the same.
    values.conditions = {**values.conditions, "NewLogGroup": True}
    ours = values.evaluate(resources["ShopUser"]["Properties"]["Policies"][0]["PolicyDocument"])
    theirs = values.evaluate(fargate["ShopTaskRole"]["Properties"]["Policies"][0]["PolicyDocument"])
    check(ours == theirs, "the shop's IAM user has the Fargate task role's policy, statement for statement")
    check(outputs.get("ShopUserName") == user and outputs.get("LogGroupName") == group, "the outputs name the user and the log group")
    check(outputs.get("ServiceUrl", "").startswith("https://"), "and the service's address")

    # --- The user, its policy and its key.
    names = iam.list_user_policies(UserName=user)["PolicyNames"]
    if not names:
        print("moto lacks: the inline Policies of AWS::IAM::User (put here as CloudFormation puts them)")
        for inline in resources["ShopUser"]["Properties"]["Policies"]:
            document = values.evaluate(inline["PolicyDocument"])
            iam.put_user_policy(UserName=user, PolicyName=inline["PolicyName"], PolicyDocument=json.dumps(document))
        names = iam.list_user_policies(UserName=user)["PolicyNames"]
    check(names == ["shop"], f"the user has one policy ({names})")
    policy = policy_document(iam.get_user_policy(UserName=user, PolicyName="shop")["PolicyDocument"])
    check(actions_of(policy) == SHOP_ACTIONS, f"it may do exactly what the code calls: {actions_of(policy)}")
    resources_of = {s["Sid"]: s["Resource"] for s in policy["Statement"]}
    check(
        resources_of["SendOrderEmailsFromTheShopsIdentity"] == f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/shop.example.com",
        "and send email from the shop's SES identity only",
    )
    check(resources_of["SignUploadsCheckAndDeleteImages"] == f"arn:aws:s3:::{bucket}/products/*", "and touch the bucket's products/ only")
    keys = [k["AccessKeyId"] for k in iam.list_access_keys(UserName=user)["AccessKeyMetadata"]]
    check(made["ShopAccessKey"] in keys, "the stack made the user's access key")
    check(iam.list_attached_user_policies(UserName=user)["AttachedPolicies"] == [], "and no managed policy on top")

    # --- The secrets, the log group, the bucket and its policy.
    log_group = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]
    check(log_group["logGroupName"] == f"/lumen/{stack}" and log_group.get("retentionInDays") == 30, "the log group keeps lines for LogRetentionDays")
    policy = values.evaluate(resources["ImagesBucketPolicy"]["Properties"]["PolicyDocument"])
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    statements = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]
    check([s["Sid"] for s in statements] == ["OnlyTheDistributionReads", "TlsOnly"], "only the distribution reads the bucket, over TLS only")
    config_text = values.evaluate(resources["ConfigSecret"]["Properties"]["SecretString"])
    config = json.loads(config_text)
    check(config["media"]["s3"]["bucket"] == bucket and config["logs"]["cloudwatch"]["group"] == group, "APP_CONFIG names the stack's bucket and log group")
    check(config["trusted_proxies"] == ["172.26.0.0/16"], "and trusts the addresses of Lightsail's network only for X-Forwarded-*")
    sm.put_secret_value(SecretId=values.refs["ConfigSecret"], SecretString=config_text)
    db_secret = values.refs["DatabaseSecret"]
    credentials = json.loads(sm.get_secret_value(SecretId=db_secret)["SecretString"])
    check(credentials["username"] == resources["Database"]["Properties"]["MasterUsername"], "the database's user is the secret's")
    database = f"lightsail_{uuid.uuid4().hex[:8]}"
    make_database(postgres_url, credentials["username"], credentials["password"], database)

    # --- The container as the service's deployment runs it.
    container = resources["Service"]["Properties"]["ContainerServiceDeployment"]["Fn::If"][1]["Containers"][0]
    extra = iam.create_access_key(UserName=user)["AccessKey"]
    values.refs["ShopAccessKey"] = extra["AccessKeyId"]
    values.attrs[("ShopAccessKey", "SecretAccessKey")] = extra["SecretAccessKey"]
    env = {e["Variable"]: values.evaluate(e["Value"]) for e in container["Environment"]}
    check(
        set(env) == {"LEPTOS_SITE_ADDR", "APP_SECRETS__CONFIG_ID", "APP_SECRETS__DB_PASSWORD_ID", "APP_DATABASE_URL", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"},
        f"the container gets the secrets' ids, the database, the region and the key ({sorted(env)})",
    )
    check(env["APP_DATABASE_URL"] == f"postgres://shop@{pg.hostname}:5432/shop?sslmode=require", "the database over TLS, its password from the secret")
    # The test's PostgreSQL (no TLS here), with the secret's user.
    port, log_path = run_locally(env, moto_url, f"postgres://{credentials['username']}@{pg.hostname}:{pg.port or 5432}/{database}")
    with open(log_path, "w") as out:
        server = subprocess.Popen([shop_bin], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(base, server, log_path)
        check(True, "the shop serves with the stack's secrets and the user's key")
        an_event_reaches_the_group(base, logs, group)
        with open(log_path) as out:
            written = out.read()
        check(extra["SecretAccessKey"] not in written, "the shop's log never names the key's secret")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    print(f"deployed {stack} (Lightsail) to moto as far as it goes, and ran the shop with its user's key")


if __name__ == "__main__":
    main()
