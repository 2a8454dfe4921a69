# Sourced by the check scripts: polling until a condition holds.

# wait_for SECONDS COMMAND...: runs the command every 0.1 s until it succeeds; returns 1 after SECONDS.
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.1
    done
}
