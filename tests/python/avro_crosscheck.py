#!/usr/bin/env python3
"""Cross-check q2o's C Avro layer against fastavro, an independent Avro library.

fastavro is only the test client here; the product never runs Python.

For every schema directory given:
  (a) canonical form and CRC-64-AVRO fingerprint of every .avsc, as printed by
      `q2o_avro_vectors canon DIR` (and `pcf FILE...` for --pcf-dir files, which
      may be unnamed), must equal fastavro.schema.to_parsing_canonical_form and
      fastavro.schema.fingerprint(pcf, "CRC-64-AVRO");
  (b) messages the C tool encodes (`encode-samples`) must decode with fastavro
      (schemaless_reader after the 10-byte single-object header, writer schema
      chosen by the fingerprint in the header) to the JSON the tool wrote;
  (c) messages fastavro encodes (framing done here) from random values must
      decode with `q2o_avro_vectors decode` to the same values, and damaged
      copies (truncated, bad marker, unknown fingerprint, trailing byte) must be
      refused with the right q2o error name.

Exit status 0 when everything agrees; 1 with one line per disagreement.
"""
import argparse
import glob
import io
import json
import os
import random
import struct
import subprocess
import sys

try:
    import fastavro
    import fastavro.schema
except ImportError:  # the C test asserts on this message
    print("avro_crosscheck: cannot import fastavro; run `pip install fastavro`", file=sys.stderr)
    sys.exit(3)

MAGIC = b"\xc3\x01"
FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print("MISMATCH: " + msg, file=sys.stderr)


def run_tool(tool, *args, check=True):
    proc = subprocess.run([tool, *args], capture_output=True, text=True)
    if check and proc.returncode != 0:
        fail(f"{os.path.basename(tool)} {' '.join(args)} exited {proc.returncode}: {proc.stderr.strip()}")
    return proc


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def fp_of(schema_json):
    pcf = fastavro.schema.to_parsing_canonical_form(schema_json)
    return pcf, fastavro.schema.fingerprint(pcf, "CRC-64-AVRO")


def strip_logical(schema):
    """fastavro turns logical types into datetimes, Decimals...; q2o reads the
    underlying types. The binary encoding does not change."""
    if isinstance(schema, dict):
        return {k: strip_logical(v) for k, v in schema.items() if k != "logicalType"}
    if isinstance(schema, list):
        return [strip_logical(s) for s in schema]
    return schema


# --- (a) canonical form and fingerprint -------------------------------------

def check_canon(tool, schema_dir):
    out = run_tool(tool, "canon", schema_dir).stdout
    seen = {}
    for line in out.splitlines():
        name, source, fp, pcf = line.split("\t", 3)
        seen[os.path.basename(source)] = (name, fp, pcf)
    for path in sorted(glob.glob(os.path.join(schema_dir, "*.avsc"))):
        base = os.path.basename(path)
        want_pcf, want_fp = fp_of(load_json(path))
        if base not in seen:
            fail(f"canon: {base} missing from the C output")
            continue
        _, fp, pcf = seen[base]
        if pcf != want_pcf:
            fail(f"canon: {base}: PCF differs\n  C:        {pcf}\n  fastavro: {want_pcf}")
        if fp != want_fp:
            fail(f"canon: {base}: fingerprint C {fp} fastavro {want_fp}")
    return len(seen)


def check_pcf_files(tool, pcf_dir):
    paths = sorted(glob.glob(os.path.join(pcf_dir, "*.avsc")))
    if not paths:
        return 0
    out = run_tool(tool, "pcf", *paths).stdout
    got = {}
    for line in out.splitlines():
        path, fp, pcf = line.split("\t", 2)
        got[path] = (fp, pcf)
    for path in paths:
        want_pcf, want_fp = fp_of(load_json(path))
        if got.get(path) != (want_fp, want_pcf):
            fail(f"pcf: {os.path.basename(path)}: C {got.get(path)} fastavro {(want_fp, want_pcf)}")
    return len(paths)


# --- value normalisation: what the C tool prints as JSON --------------------

def normalise(value):
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, tuple):  # (record name, value) if ever returned
        return normalise(value[1])
    return value


def schemas_by_fp(schema_dir):
    table = {}
    for path in sorted(glob.glob(os.path.join(schema_dir, "*.avsc"))):
        raw = load_json(path)
        _, fp = fp_of(raw)
        table[bytes.fromhex(fp)] = (path, fastavro.parse_schema(strip_logical(raw)))
    return table


# --- (b) C encodes, fastavro decodes ----------------------------------------

def check_c_encoded(tool, schema_dir, work):
    out_dir = os.path.join(work, "from_c")
    os.makedirs(out_dir, exist_ok=True)
    run_tool(tool, "encode-samples", schema_dir, out_dir)
    table = schemas_by_fp(schema_dir)
    bins = sorted(glob.glob(os.path.join(out_dir, "*.bin")))
    if not bins:
        fail(f"encode-samples wrote nothing into {out_dir}")
    for path in bins:
        data = open(path, "rb").read()
        if data[:2] != MAGIC or data[2:10] not in table:
            fail(f"{os.path.basename(path)}: bad header {data[:10].hex()}")
            continue
        _, parsed = table[data[2:10]]
        body = io.BytesIO(data[10:])
        value = fastavro.schemaless_reader(body, parsed)
        if body.read():
            fail(f"{os.path.basename(path)}: fastavro left trailing bytes")
        want = json.loads(open(path[:-4] + ".json", encoding="utf-8").read())
        if normalise(value) != want:
            fail(f"{os.path.basename(path)}: fastavro read {normalise(value)!r}\n  C wrote {want!r}")
    return len(bins)


# --- (c) fastavro encodes, C decodes ----------------------------------------

class Gen:
    """Random values for a parsed (fullname-expanded) fastavro schema."""

    def __init__(self, rng, named):
        self.rng = rng
        self.named = named  # fullname -> definition, from fastavro.parse_schema

    def text(self):
        alphabet = "abcXYZ019 _-\"\\\t\n/\u00e9\u20ac\u4e2d\U0001d11e\u0001"
        return "".join(self.rng.choice(alphabet) for _ in range(self.rng.randint(0, 12)))

    def float32(self):
        return struct.unpack("<f", struct.pack("<f", self.rng.uniform(-1e6, 1e6)))[0]

    def value(self, schema, depth=0):
        r = self.rng
        if isinstance(schema, list):
            branches = schema
            if depth > 4 and "null" in branches:
                return None
            return self.value(r.choice(branches), depth + 1)
        if isinstance(schema, str):
            prim = {
                "null": lambda: None,
                "boolean": lambda: r.random() < 0.5,
                "int": lambda: r.choice([0, -1, 1, 2**31 - 1, -2**31, r.randint(-2**31, 2**31 - 1)]),
                "long": lambda: r.choice([0, -1, 2**63 - 1, -2**63, r.randint(-2**63, 2**63 - 1)]),
                "float": self.float32,
                "double": lambda: r.choice([0.0, -0.5, 1e-300, r.uniform(-1e300, 1e300)]),
                "bytes": lambda: bytes(r.randrange(256) for _ in range(r.randint(0, 20))),
                "string": self.text,
            }
            if schema in prim:
                return prim[schema]()
            return self.value(self.named[schema], depth + 1)
        kind = schema["type"]
        if isinstance(kind, (dict, list)) or kind not in ("record", "enum", "fixed", "array", "map"):
            return self.value(kind, depth)  # {"type": "int"} and friends
        n = 0 if depth > 4 else r.randint(0, 3)
        if kind == "record":
            return {f["name"]: self.value(f["type"], depth + 1) for f in schema["fields"]}
        if kind == "enum":
            return r.choice(schema["symbols"])
        if kind == "fixed":
            return bytes(r.randrange(256) for _ in range(schema["size"]))
        if kind == "array":
            return [self.value(schema["items"], depth + 1) for _ in range(n)]
        return {self.text() + str(i): self.value(schema["values"], depth + 1) for i in range(n)}


def decode_with_c(tool, path, schema_dir):
    return run_tool(tool, "decode", path, schema_dir, check=False)


def check_refusals(tool, schema_dir, work, name, msg):
    cases = {
        "truncated": (msg[:-1], "WIRE_TRUNCATED"),
        "bad_magic": (b"\xc3\x02" + msg[2:], "WIRE_BAD_MAGIC"),
        "unknown_fp": (msg[:2] + bytes(8) + msg[10:], "WIRE_UNKNOWN_SCHEMA"),
        "trailing": (msg + b"\x00", "WIRE_TRAILING_BYTES"),
    }
    for case, (data, want) in cases.items():
        path = os.path.join(work, f"{name}.{case}.bin")
        with open(path, "wb") as f:
            f.write(data)
        proc = decode_with_c(tool, path, schema_dir)
        if proc.returncode != 2 or not proc.stderr.startswith(want + ":"):
            fail(f"{name}.{case}: C exited {proc.returncode} with {proc.stderr.strip()!r}, want {want}")


def check_fastavro_encoded(tool, schema_dir, work, samples, seed):
    out_dir = os.path.join(work, "from_fastavro")
    os.makedirs(out_dir, exist_ok=True)
    rng = random.Random(seed)
    count = 0
    for fp, (path, parsed) in sorted(schemas_by_fp(schema_dir).items()):
        base = os.path.basename(path)
        for i in range(samples):
            value = Gen(rng, parsed["__named_schemas"]).value(parsed)
            body = io.BytesIO()
            fastavro.schemaless_writer(body, parsed, value)
            msg = MAGIC + fp + body.getvalue()
            name = f"{base}.{i}"
            msg_path = os.path.join(out_dir, name + ".bin")
            with open(msg_path, "wb") as f:
                f.write(msg)
            proc = decode_with_c(tool, msg_path, schema_dir)
            count += 1
            if proc.returncode != 0:
                fail(f"{name}: C refused a fastavro message: {proc.stderr.strip()}")
                continue
            got = json.loads(proc.stdout)
            if got != normalise(value):
                fail(f"{name}: C read {got!r}\n  fastavro wrote {normalise(value)!r}")
            if i == 0:
                check_refusals(tool, schema_dir, out_dir, name, msg)
    return count


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tool", required=True, help="path of q2o_avro_vectors")
    ap.add_argument("--schemas", action="append", required=True,
                    help="directory of self-contained named .avsc files (repeatable)")
    ap.add_argument("--pcf-dir", action="append", default=[],
                    help="directory of .avsc files checked for canonical form only")
    ap.add_argument("--work", required=True, help="directory for the messages (created)")
    ap.add_argument("--samples", type=int, default=20, help="fastavro messages per schema")
    ap.add_argument("--seed", type=int, default=20240601)
    args = ap.parse_args()

    totals = {"schemas": 0, "pcf files": 0, "C messages": 0, "fastavro messages": 0}
    for pcf_dir in args.pcf_dir:
        totals["pcf files"] += check_pcf_files(args.tool, pcf_dir)
    for n, schema_dir in enumerate(args.schemas):
        work = os.path.join(args.work, str(n))
        os.makedirs(work, exist_ok=True)
        totals["schemas"] += check_canon(args.tool, schema_dir)
        totals["C messages"] += check_c_encoded(args.tool, schema_dir, work)
        totals["fastavro messages"] += check_fastavro_encoded(
            args.tool, schema_dir, work, args.samples, args.seed)
    print("avro_crosscheck: fastavro %s; %s" % (
        fastavro.__version__, ", ".join(f"{v} {k}" for k, v in totals.items())))
    if FAILURES:
        print(f"avro_crosscheck: {len(FAILURES)} mismatches", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
