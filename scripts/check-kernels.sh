#!/usr/bin/env bash
# Builds Tests/KernelCheck/kernel_check.c with the C kernels, for this machine and for aarch64, and runs both:
# the aarch64 build under qemu-user, so that the NEON version is checked on x86-64 machines too. Every kernel
# version each build has and its CPU runs is compared with double-precision references.
#
#   scripts/check-kernels.sh        needs clang (the Swift toolchain's), and for aarch64 gcc-aarch64-linux-gnu
#                                   (its C library and linker) and qemu-user; aarch64 is skipped, saying why,
#                                   where they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sources=(Sources/CKernels/*.c Tests/KernelCheck/kernel_check.c)

echo "kernels: this machine ($(uname -m))"
clang -O2 -Wall -Werror -ISources/CKernels/include "${sources[@]}" -lm -o "$work/host"
"$work/host"

if [[ "$(uname -m)" == aarch64 ]]; then exit 0; fi
if ! command -v aarch64-linux-gnu-gcc >/dev/null || ! command -v qemu-aarch64 >/dev/null; then
    echo "kernels: aarch64 skipped: gcc-aarch64-linux-gnu and qemu-user are not installed"
    exit 0
fi
echo "kernels: aarch64, under qemu-user"
objects=()
for source in "${sources[@]}"; do
    object="$work/$(basename "$source").o"
    clang --target=aarch64-linux-gnu -isystem /usr/aarch64-linux-gnu/include -O2 -Wall -Werror \
        -ISources/CKernels/include -c "$source" -o "$object"
    objects+=("$object")
done
aarch64-linux-gnu-gcc "${objects[@]}" -lm -o "$work/aarch64"
qemu-aarch64 -L /usr/aarch64-linux-gnu "$work/aarch64"
