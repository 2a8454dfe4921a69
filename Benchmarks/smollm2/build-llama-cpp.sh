#!/usr/bin/env bash
# Builds llama.cpp's `llama-batched-bench` and `llama-quantize` for the SmolLM2 comparison, from the llama.cpp
# source that PyPI's `llama-cpp-python` source package carries (there is no other route to it here). Prints the
# directory holding the two tools.
#
#   Benchmarks/smollm2/build-llama-cpp.sh [BUILD_DIRECTORY]     (default ~/.cache/vr-llama-cpp; never the repo)
#
# Needs cmake and a C++ compiler (Debian: apt-get install cmake g++). The build uses the machine's native
# instruction set (GGML_NATIVE) and one job at a time unless JOBS says otherwise; an existing build is reused.
set -euo pipefail
build_root="${1:-$HOME/.cache/vr-llama-cpp}"
tools="$build_root/build/bin"
if [[ -x "$tools/llama-batched-bench" && -x "$tools/llama-quantize" ]]; then
    echo "$tools"
    exit 0
fi
command -v cmake >/dev/null || { echo "error: cmake is missing (Debian: apt-get install cmake g++)" >&2; exit 1; }
mkdir -p "$build_root"
if [[ ! -f "$build_root/source/CMakeLists.txt" ]]; then
    echo "fetching the llama-cpp-python source package from PyPI ..." >&2
    download=$(mktemp -d "$build_root/.download.XXXXXX")
    trap 'rm -rf "$download"' EXIT
    python3 -m pip download --quiet --no-deps --no-binary llama-cpp-python llama-cpp-python -d "$download" >&2
    archive=$(find "$download" -name 'llama_cpp_python-*.tar.gz' | head -n 1)
    [[ -n "$archive" ]] || { echo "error: pip download of llama-cpp-python produced no source archive" >&2; exit 1; }
    tar -xzf "$archive" -C "$download"
    rm -rf "$build_root/source"
    mv "$download"/llama_cpp_python-*/vendor/llama.cpp "$build_root/source"
    echo "llama.cpp from $(basename "$archive")" >"$build_root/source/VERSION-FROM"
fi
echo "building llama-batched-bench and llama-quantize in $build_root/build ..." >&2
cmake -S "$build_root/source" -B "$build_root/build" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON \
    -DLLAMA_CURL=OFF -DBUILD_SHARED_LIBS=OFF >&2
nice cmake --build "$build_root/build" --target llama-batched-bench llama-quantize -j "${JOBS:-1}" >&2
echo "$tools"
