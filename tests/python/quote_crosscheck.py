#!/usr/bin/env python3
"""Cross-check q2o's quote codec (C, avro-c) against fastavro.

  (a) fastavro's parsing canonical form and CRC-64-AVRO fingerprint of every
      schemas/*.avsc equal ours (printed by `q2o_avro_vectors canon DIR`);
  (b) every message the C codec writes (`q2o_quote_vectors write`: every
      event and command type, a result, a snapshot) decodes with fastavro,
      using only the schemas/*.avsc files, to the values avro-c reads from it
      (`q2o_avro_vectors decode`);
  (c) messages fastavro writes (the same values with every free string
      changed) pass the C codec's checks into the C structs and re-encode to
      the very same bytes (`q2o_quote_vectors read`), and avro-c reads the
      values fastavro wrote.

Exit 0 when all agree; 1 with the differences on stderr otherwise.
"""
import argparse
import datetime
import io
import json
import os
import subprocess
import sys

try:
    import fastavro
    import fastavro.schema
except ImportError:  # the C test names the fix
    sys.stderr.write("fastavro is not importable: pip install fastavro\n")
    sys.exit(3)

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
# Strings the codec checks against other fields or parses: keep them.
KEEP_STRINGS = {"type", "event_id", "code_name", "event_types"}


def fail(msg):
    sys.stderr.write("FAIL: %s\n" % msg)
    return 1


def load_schemas(schema_dir):
    """fullname -> (parsed schema, fingerprint hex, pcf) for every .avsc."""
    out = {}
    for name in sorted(os.listdir(schema_dir)):
        if not name.endswith(".avsc"):
            continue
        with open(os.path.join(schema_dir, name), encoding="utf-8") as f:
            raw = json.load(f)
        parsed = fastavro.parse_schema(raw)
        pcf = fastavro.schema.to_parsing_canonical_form(raw)
        fp = fastavro.schema.fingerprint(pcf, "CRC-64-AVRO")
        out[parsed["name"]] = (parsed, fp, pcf)
    return out


def check_canon(avro_tool, schema_dir, schemas):
    errors = 0
    lines = subprocess.run([avro_tool, "canon", schema_dir], check=True, capture_output=True,
                           text=True).stdout.splitlines()
    seen = set()
    for line in lines:
        fullname, _source, fp, pcf = line.split("\t")
        seen.add(fullname)
        if fullname not in schemas:
            errors += fail("%s: not parsed by fastavro" % fullname)
            continue
        _, py_fp, py_pcf = schemas[fullname]
        if (fp, pcf) != (py_fp, py_pcf):
            errors += fail("%s: C %s %s\n  fastavro %s %s" % (fullname, fp, pcf, py_fp, py_pcf))
    if seen != set(schemas):
        errors += fail("schema sets differ: C %s, fastavro %s" % (sorted(seen), sorted(schemas)))
    return errors


def by_fingerprint(schemas, header):
    if header[:2] != b"\xc3\x01":
        raise ValueError("no C3 01 marker")
    fp = header[2:10].hex()
    for parsed, py_fp, _ in schemas.values():
        if py_fp == fp:
            return parsed, fp
    raise ValueError("unknown fingerprint %s" % fp)


def short(name):
    return name.rsplit(".", 1)[-1]


def normalise(v):
    """fastavro's values -> the shape `q2o_avro_vectors decode` prints."""
    if isinstance(v, tuple):  # union branch (name, value): the value alone
        return normalise(v[1])
    if isinstance(v, dict):
        return {k: normalise(x) for k, x in v.items()}
    if isinstance(v, list):
        return [normalise(x) for x in v]
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).hex()
    if isinstance(v, datetime.datetime):
        return (v - EPOCH) // datetime.timedelta(milliseconds=1)
    return v


def avro_c_view(avro_tool, schema_dir, path):
    """The message's value as avro-c reads it, printed by q2o_avro_vectors."""
    run = subprocess.run([avro_tool, "decode", path, schema_dir], capture_output=True, text=True)
    if run.returncode != 0:
        raise ValueError("q2o_avro_vectors decode %s: %s" % (path, run.stderr.strip()))
    return json.loads(run.stdout)


def read_message(schemas, data):
    parsed, _ = by_fingerprint(schemas, data[:10])
    return fastavro.schemaless_reader(io.BytesIO(data[10:]), parsed, return_record_name=True)


def check_c_written(args, schemas, c_dir):
    errors = count = 0
    for name in sorted(os.listdir(c_dir)):
        if not name.endswith(".bin"):
            continue
        count += 1
        with open(os.path.join(c_dir, name), "rb") as f:
            data = f.read()
        try:
            want = avro_c_view(args.avro_tool, args.schemas, os.path.join(c_dir, name))
            got = normalise(read_message(schemas, data))
        except Exception as exc:  # noqa: BLE001 - report any decoder failure
            errors += fail("%s: fastavro cannot read it: %s" % (name, exc))
            continue
        if got != want:
            errors += fail("%s: fastavro read / C wrote: %s" % (name, first_diff(got, want)))
    if count < 46:
        errors += fail("only %d C-written messages" % count)
    return errors, count


def first_diff(a, b, path="$"):
    """The path of the first difference between two JSON-like values."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                return first_diff(a.get(k), b.get(k), "%s.%s" % (path, k))
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_diff(x, y, "%s[%d]" % (path, i))
    return "%s: %r != %r" % (path, a, b)


def collect_named(schema, named):
    """Every named type defined anywhere in a parsed schema, by full name."""
    if isinstance(schema, list):
        for s in schema:
            collect_named(s, named)
    elif isinstance(schema, dict):
        if "name" in schema and schema.get("type") in ("record", "enum", "fixed"):
            named[schema["name"]] = schema
        for f in schema.get("fields", []):
            collect_named(f["type"], named)
        if "items" in schema:
            collect_named(schema["items"], named)
    return named


class Mutator:
    """Gives every free string a new short value ("p1", "p2", ...: fits
    every C field, even the 3-letter currency)."""

    def __init__(self):
        self.n = 0

    def __call__(self, v, schema, named, field=None):
        if isinstance(schema, str) and schema in named:
            schema = named[schema]
        if schema == "string" and field not in KEEP_STRINGS:
            self.n = self.n % 99 + 1
            return "p%d" % self.n
        if isinstance(v, tuple):
            branch = next(s for s in schema if (named[s] if isinstance(s, str) else s)["name"] == v[0])
            return (v[0], self(v[1], branch, named))
        if isinstance(schema, dict) and schema["type"] == "record":
            return {f["name"]: self(v[f["name"]], f["type"], named, f["name"]) for f in schema["fields"]}
        if isinstance(schema, dict) and schema["type"] == "array" and field not in KEEP_STRINGS:
            return [self(x, schema["items"], named) for x in v]
        return v


def write_python_messages(schemas, c_dir, py_dir):
    """fastavro writes each C sample again with new strings; returns name ->
    the values written, in avro_value_to_json's shape."""
    expected = {}
    for name in sorted(os.listdir(c_dir)):
        if not name.endswith(".bin"):
            continue
        with open(os.path.join(c_dir, name), "rb") as f:
            data = f.read()
        parsed, fp = by_fingerprint(schemas, data[:10])
        value = read_message(schemas, data)
        value = Mutator()(value, parsed, collect_named(parsed, {}))
        if "event_id" in value:
            value["event_id"] = "%s/%d" % (value["quote_id"], value["version"])
        body = io.BytesIO()
        fastavro.schemaless_writer(body, parsed, value)
        with open(os.path.join(py_dir, name), "wb") as f:
            f.write(b"\xc3\x01" + bytes.fromhex(fp) + body.getvalue())
        expected[name[:-4]] = normalise(value)
    return expected


def check_python_written(args, schemas, c_dir, py_dir):
    os.makedirs(py_dir, exist_ok=True)
    expected = write_python_messages(schemas, c_dir, py_dir)
    run = subprocess.run([args.vectors_tool, "read", py_dir], capture_output=True, text=True)
    errors = 0
    if run.returncode != 0 or run.stdout.count("ok ") != len(expected):
        errors += fail("the C codec refused fastavro's messages:\n%s" % run.stderr)
    for name, want in expected.items():
        try:
            got = avro_c_view(args.avro_tool, args.schemas, os.path.join(py_dir, name + ".bin"))
        except ValueError as exc:
            errors += fail(str(exc))
            continue
        if got != want:
            errors += fail("%s: C read / fastavro wrote: %s" % (name, first_diff(got, want)))
    return errors, len(expected)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vectors-tool", required=True, help="q2o_quote_vectors")
    ap.add_argument("--avro-tool", required=True, help="q2o_avro_vectors (for canon)")
    ap.add_argument("--schemas", required=True, help="the schemas/ directory")
    ap.add_argument("--workdir", required=True, help="an empty scratch directory")
    args = ap.parse_args()

    schemas = load_schemas(args.schemas)
    errors = check_canon(args.avro_tool, args.schemas, schemas)
    c_dir = os.path.join(args.workdir, "c")
    os.makedirs(c_dir, exist_ok=True)
    subprocess.run([args.vectors_tool, "write", c_dir], check=True)
    e, n_c = check_c_written(args, schemas, c_dir)
    errors += e
    e, n_py = check_python_written(args, schemas, c_dir, os.path.join(args.workdir, "py"))
    errors += e
    print("quote crosscheck: %d schemas, %d C-written and %d fastavro-written messages, %d failures"
          % (len(schemas), n_c, n_py, errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
