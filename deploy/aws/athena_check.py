#!/usr/bin/env python3
"""The template's Athena table and saved queries, run with DuckDB over log files.

Athena cannot run here; DuckDB (a well-kept engine whose SQL is close to Presto's)
stands in for it. This script:

1. lays the lines out as the Firehose archive holds them: the lines the
   subscription's filter passes (clickstream, business, pages served), one
   newline-delimited file per UTC day under `clickstream/dt=YYYY-MM-DD/`;
2. declares the table exactly as `ArchiveTable` in `template.yaml` declares it:
   its columns and types, `dt` taken from the path (Hive partitioning), the JSON
   keys matched to the columns without regard to case, as the OpenX JSON SerDe does;
3. runs each `AWS::Athena::NamedQuery` of the template, after the rewrites listed
   in `DIFFERENCES` (where DuckDB's SQL is not Athena's; printed on stderr);
4. prints every query's rows as JSON on stdout: {"<query name>": [{column: value}]}.

Usage: athena_check.py SOURCE [SOURCE ...]
SOURCE: a file or a directory of log lines (gzipped or not), such as an export or
the Firehose archive's objects (CloudWatch Logs subscription records are unpacked).
"""

import gzip
import json
import os
import re
import sys
import tempfile

import duckdb
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = os.path.join(HERE, "template.yaml")

# Where DuckDB's SQL differs from Athena's (Trino), as each query needs it.
DIFFERENCES = [
    (r"\bdate_format\(", "strftime(", "Athena's date_format(d, fmt) is DuckDB's strftime(d, fmt)"),
    (r"\bsequence\(", "generate_series(", "Athena's sequence(a, b) is DuckDB's generate_series(a, b)"),
]

# Glue's column types as DuckDB's.
TYPES = {"string": "VARCHAR", "double": "DOUBLE", "int": "INTEGER", "bigint": "BIGINT", "boolean": "BOOLEAN"}


def load_template():
    class Loader(yaml.SafeLoader):
        pass

    # CloudFormation's short forms (!Ref, !Sub, ...) are kept as plain values.
    def any_tag(loader, suffix, node):
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node, deep=True)
        return loader.construct_mapping(node, deep=True)

    Loader.add_multi_constructor("!", any_tag)
    with open(TEMPLATE) as f:
        return yaml.load(f, Loader=Loader)


def lines_of(path):
    files = []
    if os.path.isdir(path):
        for root, _, names in os.walk(path):
            files += [os.path.join(root, n) for n in sorted(names) if not n.startswith(".")]
    else:
        files.append(path)
    for name in sorted(files):
        with open(name, "rb") as f:
            data = f.read()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        decoder = json.JSONDecoder()
        for text in data.decode().splitlines():
            text = text.strip()
            # One object a line, or several run together (as Firehose may write them).
            while text:
                record, end = decoder.raw_decode(text)
                text = text[end:].lstrip()
                if record.get("messageType") == "DATA_MESSAGE":
                    # A CloudWatch Logs subscription's record, as Firehose archives it
                    # when no processor unpacks it: its messages are the lines.
                    yield from (json.loads(e["message"]) for e in record.get("logEvents", []))
                elif record.get("messageType") != "CONTROL_MESSAGE":
                    yield record


def archived(line):
    """What the template's subscription filter passes."""
    return line.get("logType") in ("clickstream", "business") or line.get("pageServed") is True


def main(sources):
    template = load_template()["Resources"]
    table = template["ArchiveTable"]["Properties"]["TableInput"]
    columns = table["StorageDescriptor"]["Columns"]
    check = table["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"]
    if check != "org.openx.data.jsonserde.JsonSerDe":
        sys.exit(f"the table's SerDe is {check}; this check reads JSON as the OpenX SerDe does")
    queries = {r["Properties"]["Name"]: r["Properties"]["QueryString"] for r in template.values() if r["Type"] == "AWS::Athena::NamedQuery"}

    with tempfile.TemporaryDirectory() as archive:
        keys = {}
        days = {}
        for source in sources:
            for line in lines_of(source):
                if not archived(line):
                    continue
                for key in line:
                    keys.setdefault(key.lower(), key)
                days.setdefault(line["timestamp"][:10], []).append(line)
        for day, lines in days.items():
            folder = os.path.join(archive, "clickstream", f"dt={day}")
            os.makedirs(folder)
            with open(os.path.join(folder, "part.json"), "w") as out:
                out.writelines(json.dumps(l) + "\n" for l in lines)

        db = duckdb.connect()
        # Each column under the key the lines spell it with (DuckDB's names are
        # case-insensitive, so the queries' lower-case names find them).
        declared = {keys.get(c["Name"], c["Name"]): TYPES[c["Type"]] for c in columns}
        pattern = os.path.join(archive, "clickstream", "dt=*", "*.json")
        if days:
            db.execute(
                f"CREATE VIEW clickstream AS SELECT * FROM read_json('{pattern}', columns = {{"
                + ", ".join(f"'{k}': '{t}'" for k, t in declared.items())
                + "}, format = 'newline_delimited', hive_partitioning = true, hive_types = {"
                + ", ".join(f"'{k['Name']}': '{TYPES[k['Type']]}'" for k in table["PartitionKeys"])
                + "})"
            )
        else:
            # No lines: the table with its columns and no rows.
            db.execute(
                "CREATE TABLE clickstream AS SELECT "
                + ", ".join(f'NULL::{t} AS "{k}"' for k, t in declared.items())
                + ", NULL::VARCHAR AS dt WHERE false"
            )
        results = {}
        for name, sql in queries.items():
            for athena, duck, why in DIFFERENCES:
                if re.search(athena, sql):
                    print(f"{name}: {why}", file=sys.stderr)
                    sql = re.sub(athena, duck, sql)
            cursor = db.execute(sql)
            names = [d[0].lower() for d in cursor.description]
            results[name] = [dict(zip(names, row)) for row in cursor.fetchall()]
    json.dump(results, sys.stdout, default=str)
    print()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
