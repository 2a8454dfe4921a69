#!/bin/sh
# Prepares what a run starts from, in DIR: the tasks (unless TASKS names an existing file), the reasoning
# model pi (stage 1 SFT) and the posterior q (stage 2 SFT). What exists is kept, so it is safe to run again;
# every output appears under its final name only when complete.
#   usage: prepare.sh DIR [TASKS]
#   VR_TASK_OPTIONS  options of `vr tasks` (default: its defaults, 400 tasks of four families)
#   VR_PI_STEPS      SFT steps of pi (default 300)
#   VR_Q_STEPS       SFT steps of q (default 1000)
#   VR_SFT_CONFIG    `vr sft --config` file (default: DIR/sft.json, written when missing: 4 layers, width 128,
#                    context 256, which fits the longest default tasks)
# The container image installs this file as vr-prepare.
set -eu

dir=${1:?usage: prepare.sh DIR [TASKS]}
tasks=${2:-$dir/tasks.jsonl}
config=${VR_SFT_CONFIG:-$dir/sft.json}
mkdir -p "$dir"

if [ ! -e "$config" ]; then
    cat >"$config" <<'JSON'
{"model": {"layerCount": 4, "width": 128, "headCount": 4, "contextLength": 256, "vocabularySize": 268}}
JSON
fi

if [ ! -e "$tasks" ]; then
    # Word splitting of VR_TASK_OPTIONS is intended.
    # shellcheck disable=SC2086
    vr tasks --output "$tasks.partial" ${VR_TASK_OPTIONS-}
    mv "$tasks.partial" "$tasks"
fi

# sft STAGE NAME STEPS: SFT data of STAGE, then a checkpoint in DIR/NAME.
sft() {
    [ -e "$dir/$2" ] && return 0
    rm -rf "$dir/$2.partial"
    vr sft-data --tasks "$tasks" --stage "$1" --output "$dir/$2.jsonl"
    vr sft --data "$dir/$2.jsonl" --output "$dir/$2.partial" --config "$config" --steps "$3"
    mv "$dir/$2.partial" "$dir/$2"
}
sft reasoning pi "${VR_PI_STEPS:-300}"
sft posterior q "${VR_Q_STEPS:-1000}"
echo "ready: $tasks, $dir/pi, $dir/q"
