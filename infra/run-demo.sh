#!/usr/bin/env bash
# infra/run-demo.sh — the one command that sets up a fresh machine, builds
# q2o and runs the main job: the sample quote walked through its whole
# lifecycle (embedded: no Kafka needed). Data goes to ./q2o-data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash infra/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" --target q2o-demo
exec ./build/services/demo/q2o-demo "${Q2O_DATA_DIR:-q2o-data}"
