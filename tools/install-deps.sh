#!/usr/bin/env bash
# Installs what building and testing oxbpf needs, with apt, when missing:
# clang-19/llvm-19 (BPF objects), bpftool (skeletons, vmlinux.h), Debian's
# libbpf1 + libbpf-dev (the reference for differential tests, and the
# BPF-side headers bpf_helpers.h & co.), valgrind, iproute2, <sys/sdt.h>
# (systemtap-sdt-dev: USDT probes in the tests); the real users that
# tests-c/users/ runs on our library (Debian's builds linked against
# libbpf.so.1: xdp-tools and the BPF objects of xdp-tests, pahole from
# dwarves, bpftrace) and jq.
set -euo pipefail
need=()
command -v clang-19 >/dev/null || need+=(clang-19)
command -v llvm-strip-19 >/dev/null || need+=(llvm-19)
command -v bpftool >/dev/null || need+=(bpftool)
[ -e /usr/include/bpf/bpf_helpers.h ] || need+=(libbpf-dev)
ls /usr/lib/*/libbpf.so.1 >/dev/null 2>&1 || need+=(libbpf1)
command -v valgrind >/dev/null || need+=(valgrind)
command -v ip >/dev/null || need+=(iproute2)
command -v readelf >/dev/null || need+=(binutils)
{ [ -e /usr/include/sys/sdt.h ] || ls /usr/include/*/sys/sdt.h >/dev/null 2>&1; } || need+=(systemtap-sdt-dev)
command -v xdp-loader >/dev/null || need+=(xdp-tools)
[ -e /usr/libexec/xdp-tools/xdp_pass.o ] || need+=(xdp-tests)
command -v pahole >/dev/null || need+=(dwarves)
command -v bpftrace >/dev/null || need+=(bpftrace)
command -v jq >/dev/null || need+=(jq)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
