#!/usr/bin/env bash
# infra/setup.sh — install everything q2o needs to build, test and run on a
# fresh Debian 12 machine. Idempotent: installs only what is missing.
#   Debian packages: compilers, librdkafka, avro-c, LMDB, Criterion, OpenSSL,
#                    poppler-utils (pdftotext), kcat, docker-compose (parser
#                    only, to validate docker-compose.yml), Java 17 and
#                    Maven (infra/kafka fetches and runs Apache Kafka 3.9.x
#                    from Maven Central jars for the system tests).
#   PyPI:            fastavro (an independent Avro implementation the tests
#                    use to cross-check our wire format; test client only).
set -euo pipefail

DEB_PACKAGES=(
  build-essential cmake ninja-build pkg-config git python3 python3-pip
  librdkafka-dev libavro-dev liblmdb-dev lmdb-utils libcriterion-dev libssl-dev
  libjansson-dev libhpdf-dev poppler-utils kcat docker-compose
  openjdk-17-jre-headless maven
)

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! python3 -c "import fastavro" 2>/dev/null; then
  echo "setup: installing fastavro from PyPI (test client)"
  python3 -m pip install --quiet fastavro 2>/dev/null ||
    python3 -m pip install --quiet --break-system-packages fastavro
fi
echo "setup: ok"
