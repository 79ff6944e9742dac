#!/usr/bin/env bash
# make bench: speed and memory of oxbpf as ratios against Debian's libbpf,
# measured on this machine in one run. Each benchmark is added by the issue
# that brings the measured capability.
set -u
echo "no benchmarks yet"
bash "$(dirname "$0")/core_load.sh"
