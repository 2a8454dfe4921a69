#!/usr/bin/env bash
# scripts/generate-protos.sh: regenerate the committed wire code from Protos/vr/v1/*.proto.
#
# Swift: Sources/VRWire/Generated/*.pb.swift, by protoc-gen-swift 1.39.0 (the version Package.swift
# pins), built once from source into .build/tools/ (git-ignored, reused on later runs).
# C:     Sources/CWireInterop/vr/v1/*.pb-c.c and Sources/CWireInterop/include/vr/v1/*.pb-c.h, by
#        protoc-c (Debian protobuf-c-compiler), used by the interop test.
# Python: Tests/PythonWorker/vr/v1/*_pb2.py, by protoc itself, for the Python worker that
#        scripts/check-python-worker.sh runs (its runtime is protobuf 4.21.12, the version of protoc 3.21).
# Needs: protoc (Debian protobuf-compiler, libprotoc 3.21), protoc-c, git, swift.
# Idempotent: running it twice leaves the tree unchanged. Prints every step.
# --check: regenerate into a temporary directory, compare with the committed files, exit 1 if they differ;
#          skips (exit 0, with a message) what it cannot regenerate: everything without protoc, the Swift and
#          C code without protoc-c or the built plugin.
set -euo pipefail

mode=write
case "${1:-}" in
    "") ;;
    --check) mode=check ;;  # regenerate into a temporary directory and diff; CI uses this
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

swift_protobuf_version=1.39.0
swift_protobuf_url=https://github.com/apple/swift-protobuf  # served by the local package mirror here
scratch=.build/tools/swift-protobuf-$swift_protobuf_version
plugin=$scratch/.build/release/protoc-gen-swift
proto_root=Protos
swift_out=Sources/VRWire/Generated
c_source_out=Sources/CWireInterop/vr/v1
c_header_out=Sources/CWireInterop/include/vr/v1
python_out=Tests/PythonWorker/vr/v1
header='Regenerate with scripts/generate-protos.sh; edit Protos/, never this file.'

say() { printf 'generate-protos: %s\n' "$*"; }

# In check mode, what cannot be regenerated here is skipped, saying why; the Python code needs protoc alone.
languages="swift c python"
for tool in protoc protoc-c git swift; do
    if ! command -v "$tool" >/dev/null; then
        if [[ $mode == check && $tool == protoc ]]; then say "skipped the check: protoc not found"; exit 0; fi
        if [[ $mode == check ]]; then
            [[ $languages == python ]] || say "skipped the Swift and C check: $tool not found"
            languages=python
            continue
        fi
        echo "error: $tool not found (apt-get install protobuf-compiler protobuf-c-compiler)" >&2
        exit 1
    fi
done
if [[ $mode == check && $languages != python && ! -x $plugin ]]; then
    say "skipped the Swift and C check: $plugin not built (run scripts/generate-protos.sh once to build it)"
    languages=python
fi

# 1. protoc-gen-swift, built from the pinned tag (about 1-2 minutes the first time).
if [[ $languages == python ]]; then
    say "$(protoc --version)"
elif [[ -x $plugin ]]; then
    say "reusing $plugin"
else
    if [[ ! -d $scratch/.git ]]; then
        say "cloning $swift_protobuf_url $swift_protobuf_version into $scratch"
        mkdir -p "$(dirname "$scratch")"
        git -c advice.detachedHead=false clone --quiet --branch "$swift_protobuf_version" \
            "$swift_protobuf_url" "$scratch"
    fi
    say "building protoc-gen-swift (release) in $scratch"
    (cd "$scratch" && swift build -c release --product protoc-gen-swift)
fi
[[ $languages == python ]] ||
    say "$("$plugin" --version 2>&1 | head -n 1); $(protoc --version); $(protoc-c --version 2>&1 | head -n 1)"

mapfile -t protos < <(cd "$proto_root" && find vr -name '*.proto' | LC_ALL=C sort)
(( ${#protos[@]} > 0 )) || { echo "error: no .proto files under $proto_root" >&2; exit 1; }
say "protos: ${protos[*]}"

# The output directories of the languages regenerated in this run.
out_dirs=()
[[ $languages == python ]] || out_dirs+=("$swift_out" "$c_source_out" "$c_header_out")
out_dirs+=("$python_out")

generated_checksums() {
    find "${out_dirs[@]}" -type f -not -path '*/__pycache__/*' 2>/dev/null | LC_ALL=C sort | xargs -r md5sum
}
before=$(generated_checksums)

# 2. Generate everything into a temporary tree laid out like the repository.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in "${out_dirs[@]}"; do mkdir -p "$tmp/tree/$dir"; done
if [[ $languages != python ]]; then
    mkdir -p "$tmp/swift" "$tmp/c"
    protoc --plugin=protoc-gen-swift="$plugin" -I "$proto_root" \
        --swift_out="$tmp/swift" --swift_opt=Visibility=Public --swift_opt=FileNaming=DropPath "${protos[@]}"
    protoc-c -I "$proto_root" --c_out="$tmp/c" "${protos[@]}"
    # Name the generator in each file's header (swift-format honours its ignore line anywhere up there).
    sed -i "1a // $header" "$tmp"/swift/*.pb.swift
    sed -i "1a /* $header */" "$tmp"/c/vr/v1/*.pb-c.c "$tmp"/c/vr/v1/*.pb-c.h
    cp "$tmp"/swift/*.pb.swift "$tmp/tree/$swift_out/"
    # C sources sit beside the target's .c files; headers go under include/ so the #include "vr/v1/..."
    # lines protoc-c writes resolve through the target's public include directory.
    cp "$tmp"/c/vr/v1/*.pb-c.c "$tmp/tree/$c_source_out/"
    cp "$tmp"/c/vr/v1/*.pb-c.h "$tmp/tree/$c_header_out/"
fi
# Python modules import each other as vr.v1.*_pb2, so the worker's directory is their root. The header goes
# after the coding line, which must stay first.
mkdir -p "$tmp/python"
protoc -I "$proto_root" --python_out="$tmp/python" "${protos[@]}"
sed -i "1a # $header" "$tmp"/python/vr/v1/*_pb2.py
cp "$tmp"/python/vr/v1/*_pb2.py "$tmp/tree/$python_out/"

# 3. --check: compare with the committed files and fail on any difference; otherwise install.
if [[ $mode == check ]]; then
    status=0
    for dir in "${out_dirs[@]}"; do
        diff -r -x __pycache__ "$tmp/tree/$dir" "$dir" >/dev/null 2>&1 || { say "out of date: $dir"; status=1; }
    done
    (( status == 0 )) && say "generated code is up to date"
    exit $status
fi
for dir in "${out_dirs[@]}"; do
    mkdir -p "$dir"
    rm -f "$dir"/*.pb.swift "$dir"/*.pb-c.c "$dir"/*.pb-c.h "$dir"/*_pb2.py
    cp "$tmp/tree/$dir"/* "$dir/"
    say "wrote $dir: $(cd "$dir" && ls *.pb.swift *.pb-c.c *.pb-c.h *_pb2.py 2>/dev/null | tr '\n' ' ')"
done

after=$(generated_checksums)
if [[ $before == "$after" ]]; then
    say "generated code unchanged"
else
    say "generated code updated:"
    diff <(echo "$before") <(echo "$after") | sed -n 's/^> [0-9a-f]*  /  /p' || true
fi
