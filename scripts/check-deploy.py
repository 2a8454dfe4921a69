#!/usr/bin/env python3
"""Checks the deployment files in deploy/ against the vr binary they run.

    scripts/check-deploy.py VR_BINARY [--deploy-dir DIR] [--self-test]

Every YAML file must parse (all of its documents); the Dockerfile, the systemd units and environment files,
the shell scripts and the Slurm batch script must be well formed. Every `vr SUBCOMMAND ...` they run (container
command and args, compose commands, ExecStart lines, shell lines with their continuations, the README's code
blocks) may use only the flags `VR_BINARY SUBCOMMAND --help` lists. The ports must agree everywhere: the
learner's requests on 5555, its parameter broadcast on 5556, learner metrics on 9090, worker metrics on 9091,
in the endpoints and metrics addresses the daemons are given, in what containers, services and the image
declare, and in the health probes (GET /health on the metrics port). An MPIJob running the learner as MPI ranks
must put rank 0 in the launcher pod the Service selects, start as many ranks as it has pods, run sshd in its
Worker pods and mount there every file the ranks read, from the launcher's volumes (ReadWriteMany claims).

Prints one line per file and `deploy: N passed, M failed`, and exits 1 on any failure. --self-test breaks a
copy of the files in known ways and checks that each breakage is reported. Needs Python 3.9+, PyYAML and bash.
"""

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

import yaml

# The port of each daemon flag, by subcommand.
ROLE_PORTS = {
    "learner": {"--request-endpoint": 5555, "--publish-endpoint": 5556, "--metrics-address": 9090},
    "worker": {"--request-endpoint": 5555, "--publish-endpoint": 5556, "--metrics-address": 9091},
}
# Flags every deployed daemon needs (CURVE included); README examples are exempt.
REQUIRED = {
    "learner": ["--config", "--request-endpoint", "--publish-endpoint", "--metrics-address", "--curve-secret-key",
                "--curve-allowed-workers"],
    "worker": ["--config", "--request-endpoint", "--publish-endpoint", "--metrics-address", "--curve-secret-key",
               "--curve-learner-key"],
}
# The daemons' configuration files (`vr learner --config`, `vr worker --config`), under deploy/.
CONFIG_DIR = "config"
ALL_PORTS = {5555, 5556, 9090, 9091}
# Flags whose value is a file or directory: in containers it must lie on a mounted volume.
PATH_FLAGS = {"--tasks", "--run", "--reasoning", "--posterior", "--curve-secret-key", "--curve-allowed-workers",
              "--curve-learner-key", "--endpoints-file", "--directory", "--output", "--data", "--initial",
              "--config"}
# Files only rank 0 of a learner run as MPI ranks reads.
CURVE_FLAGS = {"--curve-secret-key", "--curve-allowed-workers", "--curve-learner-key"}
WILDCARD_HOSTS = {"0.0.0.0", "*", "::", "[::]"}
LOCAL_HOSTS = WILDCARD_HOSTS | {"127.0.0.1", "localhost", "::1", "[::1]"}
MIN_LEARNER_GRACE_SECONDS = 300
WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}


class Report:
    """The findings about one file."""

    def __init__(self, name):
        self.name = name
        self.errors = []
        self.notes = []

    def fail(self, message):
        self.errors.append(message)

    def note(self, message):
        self.notes.append(message)


class Cli:
    """The subcommands and flags of the vr binary, from its --help output."""

    def __init__(self, binary):
        self.binary = binary
        self._options = {}
        self._config_errors = {}
        text = self._help([])
        section = text.split("SUBCOMMANDS:", 1)[1] if "SUBCOMMANDS:" in text else ""
        self.subcommands = set(re.findall(r"^  ([a-z][a-z0-9-]*)(?:\s|$)", section, re.M))
        if not self.subcommands:
            raise SystemExit(f"check-deploy: `{binary} --help` lists no subcommands")

    def _help(self, arguments):
        try:
            done = subprocess.run([self.binary, *arguments, "--help"], capture_output=True, text=True, timeout=60)
        except OSError as error:
            raise SystemExit(f"check-deploy: cannot run {self.binary}: {error}")
        return done.stdout + done.stderr

    def config_error(self, subcommand, text):
        """Why `vr SUBCOMMAND --config` refuses the configuration `text`, or None when it takes it (asked of the
        binary once per text: several deployments mount the same file)."""
        key = (subcommand, text)
        if key not in self._config_errors:
            self._config_errors[key] = self._ask_config(subcommand, text)
        return self._config_errors[key]

    def _ask_config(self, subcommand, text):
        with tempfile.NamedTemporaryFile("w", suffix=".json") as handle:
            handle.write(text)
            handle.flush()
            run = ["--run", "unused"] if subcommand == "learner" else []
            arguments = [self.binary, subcommand, "--tasks", "unused", *run, "--config", handle.name, "--print-config"]
            done = subprocess.run(arguments, capture_output=True, text=True, timeout=60)
        if done.returncode == 0:
            return None
        lines = (done.stderr or done.stdout).strip().splitlines() or [f"exit status {done.returncode}"]
        errors = [line for line in lines if line.startswith("Error: ")]
        return (errors or lines)[0].removeprefix("Error: ").replace(handle.name, "the file")

    def options(self, subcommand):
        """{flag: takes a value} of a subcommand."""
        if subcommand not in self._options:
            text = self._help([subcommand])
            options = {}
            for match in re.finditer(r"^  (?:-\w, )?(--[a-z0-9][a-z0-9-]*)( <[^>]+>)?", text, re.M):
                options[match.group(1)] = bool(match.group(2))
            self._options[subcommand] = options
        return self._options[subcommand]


class Invocation:
    """One `vr SUBCOMMAND ARGS...` found in a file."""

    def __init__(self, where, subcommand, args, strict=True):
        self.where = where
        self.subcommand = subcommand
        self.args = args
        self.strict = strict
        self.values = {}  # flag -> value (True for a flag without value)
        self.ports = {}  # flag -> (host, port) for the endpoint and metrics flags

    def listening_ports(self):
        """The ports this daemon binds: all three for the learner, the metrics port for a worker."""
        if self.subcommand == "learner":
            return {port for _, port in self.ports.values()}
        if self.subcommand == "worker" and "--metrics-address" in self.ports:
            return {self.ports["--metrics-address"][1]}
        return set()


# ----------------------------------------------------------------------------------------------- shell text

def strip_comment(line):
    """The line without its shell comment (an unquoted # at the start of a word)."""
    quote, escaped, previous = None, False, " "
    for index, char in enumerate(line):
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and previous.isspace():
            return line[:index]
        previous = char
    return line


def logical_lines(text):
    """(first line number, text) of each line with its backslash continuations joined; comment lines inside a
    continuation are dropped, as in a Dockerfile (in shell, bash -n reports them)."""
    result = []
    start, parts = None, []
    for number, line in enumerate(text.splitlines(), 1):
        if parts and line.lstrip().startswith("#"):
            continue
        if start is None:
            start = number
        stripped = line.rstrip()
        if stripped.endswith("\\") and not stripped.endswith("\\\\"):
            parts.append(strip_comment(stripped[:-1]))
            continue
        parts.append(strip_comment(line))
        result.append((start, " ".join(parts)))
        start, parts = None, []
    if parts:
        result.append((start, " ".join(parts)))
    return result


def is_vr(word):
    return word == "vr" or word.endswith("/vr")


def invocations_in_words(words, subcommands, where, strict):
    """The vr invocations in one command's words; shell scripts given to sh -c are searched too."""
    found = []
    for index, word in enumerate(words):
        if is_vr(word) and index + 1 < len(words) and words[index + 1] in subcommands:
            found.append(Invocation(where, words[index + 1], words[index + 2:], strict))
            break
        if re.search(r"\s", word) and re.search(r"(^|[\s/;&|(])vr\s", word):
            found += invocations_in_shell(word, subcommands, where, strict)
    return found


def invocations_in_shell(text, subcommands, where, strict, report=None, first_line=1):
    """The vr invocations in shell text, one per simple command, with the line they start on."""
    found = []
    for number, line in logical_lines(text):
        number += first_line - 1
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|()<>")
        lexer.whitespace_split = True
        lexer.commenters = ""
        try:
            tokens = list(lexer)
        except ValueError as error:
            if report is not None and re.search(r"(^|\s)vr\s", line):
                report.fail(f"line {number}: cannot split a line that runs vr: {error}")
            continue
        command = []
        for token in tokens + [";"]:
            if token and all(char in ";&|()<>" for char in token):
                if command:
                    label = f"{where}line {number}" if where else f"line {number}"
                    found += invocations_in_words(command, subcommands, label, strict)
                command = []
            else:
                command.append(token)
    return found


def shell_syntax(path, report):
    """bash -n (or sh -n for #!/bin/sh scripts)."""
    with open(path, encoding="utf-8") as handle:
        first = handle.readline()
    shell = "sh" if re.match(r"#!\s*/bin/sh\b", first) else "bash"
    done = subprocess.run([shell, "-n", path], capture_output=True, text=True)
    if done.returncode != 0:
        report.fail(f"{shell} -n: {(done.stderr or done.stdout).strip()}")
    return shell


# ------------------------------------------------------------------------------------------- invocations

def parse_host_port(flag, value):
    pattern = r"tcp://(.+):(\d+)" if flag.endswith("-endpoint") else r"(.+):(\d+)"
    match = re.fullmatch(pattern, value)
    return (match.group(1), int(match.group(2))) if match else None


def is_opaque(word):
    """A word the checker cannot see through: a variable expansion standing for zero or more arguments."""
    return bool(re.fullmatch(r"\$\{?\w+[^}\s]*\}?", word)) or word in ("...", "…")


def check_invocation(invocation, cli, report):
    """Flags against `vr SUBCOMMAND --help`, then the ports of the daemon flags."""
    options = cli.options(invocation.subcommand)
    label = f"{invocation.where}: vr {invocation.subcommand}"
    args = invocation.args
    index = 0
    while index < len(args):
        word = args[index]
        index += 1
        if is_opaque(word):
            continue
        if word.startswith("--"):
            name, has_value, value = word.partition("=")
            if name not in options:
                report.fail(f"{label}: unknown flag {name} (not in `vr {invocation.subcommand} --help`)")
                if not has_value and index < len(args) and not args[index].startswith("-"):
                    value = args[index]  # most likely its value: take it, so the checks below still run
                    index += 1
                invocation.values[name] = value if has_value or value else True
                continue
            if options[name]:
                if not has_value:
                    if index >= len(args) or args[index].startswith("--"):
                        report.fail(f"{label}: {name} needs a value")
                        continue
                    value = args[index]
                    index += 1
                invocation.values[name] = value
            elif has_value:
                report.fail(f"{label}: {name} takes no value")
            else:
                invocation.values[name] = True
        elif word.startswith("-") and word != "-":
            if word not in ("-h",):
                report.fail(f"{label}: unknown option {word}")
        else:
            report.fail(f"{label}: unexpected argument {word!r}")
    config = invocation.values.get("--config")
    if isinstance(config, str) and not is_opaque(config) and os.path.basename(config) != f"{invocation.subcommand}.json":
        report.fail(f"{label}: --config {config}: expected the {invocation.subcommand}'s file, "
                    f"{invocation.subcommand}.json")
    role_ports = ROLE_PORTS.get(invocation.subcommand)
    if role_ports is None:
        return
    if invocation.strict:
        for flag in REQUIRED[invocation.subcommand]:
            if flag not in invocation.values and flag in options:
                report.fail(f"{label}: {flag} is missing")
    for flag, expected in role_ports.items():
        value = invocation.values.get(flag)
        if not isinstance(value, str):
            continue
        parsed = parse_host_port(flag, value)
        if parsed is None:
            report.fail(f"{label}: {flag} {value}: no literal port (expected {expected})")
            continue
        host, port = parsed
        invocation.ports[flag] = parsed
        if port != expected:
            report.fail(f"{label}: {flag} {value}: port {port}, expected {expected}")
        if invocation.strict:
            binds = invocation.subcommand == "learner" or flag == "--metrics-address"
            if binds and host not in WILDCARD_HOSTS:
                report.fail(f"{label}: {flag} {value}: binds {host}, not all interfaces")
            if not binds and host in LOCAL_HOSTS:
                report.fail(f"{label}: {flag} {value}: a worker must name the learner's host, not {host}")


# --------------------------------------------------------------------------------------------- Dockerfile

def check_dockerfile(path, cli, report):
    """FROM stages, COPY --from, ENTRYPOINT/CMD running vr, EXPOSE; returns what the other files need."""
    with open(path, encoding="utf-8") as handle:
        lines = logical_lines(handle.read())
    stages, final = [], {}
    for number, line in lines:
        line = line.strip()
        if not line:
            continue
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        rest = rest.strip()
        if keyword == "FROM":
            words = [w for w in rest.split() if not w.startswith("--")]
            name = words[2] if len(words) == 3 and words[1].lower() == "as" else None
            if not words or (len(words) not in (1, 3)):
                report.fail(f"line {number}: malformed FROM")
            stages.append(name)
            final = {"entrypoint": None, "cmd": None, "expose": set(), "user": None}
        elif not stages and keyword not in ("ARG",):
            report.fail(f"line {number}: {keyword} before the first FROM")
        elif keyword in ("ENTRYPOINT", "CMD"):
            try:
                value = json.loads(rest)
            except json.JSONDecodeError:
                value = None
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                report.fail(f"line {number}: {keyword} should be a JSON array (exec form, so signals reach vr)")
                value = shlex.split(rest)
            final[keyword.lower()] = value
        elif keyword == "EXPOSE":
            for word in rest.split():
                port = word.split("/")[0]
                if not port.isdigit():
                    report.fail(f"line {number}: EXPOSE {word} is not a port")
                else:
                    final["expose"].add(int(port))
        elif keyword == "USER":
            final["user"] = rest
        elif keyword in ("COPY", "ADD"):
            source = re.search(r"--from=(\S+)", rest)
            if source and source.group(1) not in stages and not re.search(r"[:/.]", source.group(1)):
                report.fail(f"line {number}: COPY --from={source.group(1)} names no earlier stage")
        elif keyword == "RUN":
            for invocation in invocations_in_shell(rest, cli.subcommands, "", False, report):
                check_invocation(invocation, cli, report)
    if not stages:
        report.fail("no FROM")
        return None
    entrypoint, cmd = final.get("entrypoint"), final.get("cmd")
    runs = (entrypoint or cmd or [""])[0]
    if not is_vr(runs):
        report.fail(f"the final stage runs {runs!r}, not vr (ENTRYPOINT/CMD)")
    if final["expose"] != ALL_PORTS:
        report.fail(f"EXPOSE {sorted(final['expose'])}, expected {sorted(ALL_PORTS)}")
    if final["user"] in (None, "root", "0", "0:0"):
        report.fail("the final stage runs as root (no USER)")
    exposed = " ".join(map(str, sorted(final["expose"])))
    report.note(f"{len(stages)} stages, ENTRYPOINT {entrypoint}, EXPOSE {exposed}")
    return final


# --------------------------------------------------------------------------------------------- Kubernetes

def k8s_objects(documents):
    return [d for d in documents if isinstance(d, dict) and "kind" in d]


def pod_specs(obj):
    """(part, pod template metadata, pod spec) of each pod template in a workload; part names the MPIJob role."""
    kind, spec = obj.get("kind"), obj.get("spec") or {}
    if kind == "Pod":
        return [("", obj.get("metadata") or {}, spec)]
    if kind == "CronJob":
        template = ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}
        return [("", template.get("metadata") or {}, template.get("spec") or {})]
    if kind in WORKLOAD_KINDS:
        template = spec.get("template") or {}
        return [("", template.get("metadata") or {}, template.get("spec") or {})]
    if kind == "MPIJob":
        parts = []
        for role, replica in (spec.get("mpiReplicaSpecs") or {}).items():
            template = (replica or {}).get("template") or {}
            parts.append((f" {role}", template.get("metadata") or {}, template.get("spec") or {}))
        return parts
    return []


def resolve_container_env(container, objects, report, label):
    """The container's environment as far as the manifests define it; None values are runtime-only."""
    env, open_sources = {}, False
    for source in container.get("envFrom") or []:
        reference = source.get("configMapRef") or source.get("secretRef")
        kind = "ConfigMap" if "configMapRef" in source else "Secret"
        defined = objects.get((kind, (reference or {}).get("name")))
        if defined is None:
            open_sources = True
            continue
        values = {**(defined.get("data") or {}), **(defined.get("stringData") or {})}
        env.update({key: str(value) for key, value in values.items()})
    for variable in container.get("env") or []:
        name = variable.get("name")
        if "value" in variable:
            env[name] = str(variable["value"])
            continue
        source = variable.get("valueFrom") or {}
        reference = source.get("configMapKeyRef")
        if reference:
            defined = objects.get(("ConfigMap", reference.get("name")))
            if defined is not None and reference.get("key") not in (defined.get("data") or {}):
                report.fail(f"{label}: env {name}: ConfigMap {reference.get('name')} has no key "
                            f"{reference.get('key')}")
            env[name] = (defined.get("data") or {}).get(reference.get("key")) if defined else None
        else:
            env[name] = None
    return env, open_sources


def expand_k8s(word, env, open_sources, report, label):
    def replace(match):
        name = match.group(1)
        if name in env:
            return env[name] if env[name] is not None else match.group(0)
        if not open_sources:
            report.fail(f"{label}: $({name}) is not defined in the container's environment")
        return match.group(0)

    return re.sub(r"(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)", replace, word)


def container_argv(container, image):
    """command + args, with the image's ENTRYPOINT and CMD where the container leaves them out."""
    command, args = container.get("command"), container.get("args")
    if command is None:
        command = (image or {}).get("entrypoint") or []
        if args is None:
            args = (image or {}).get("cmd") or []
    return [str(w) for w in command] + [str(w) for w in (args or [])]


def argv_invocations(argv, cli, where, report):
    if argv and is_vr(argv[0]) and len(argv) > 1 and argv[1] in cli.subcommands:
        return [Invocation(where, argv[1], argv[2:])]
    if argv and os.path.basename(argv[0]) in ("sh", "bash", "dash") and "-c" in argv[:-1]:
        return invocations_in_shell(argv[argv.index("-c") + 1], cli.subcommands, where + " ", True, report)
    return invocations_in_words(argv, cli.subcommands, where, True)


def mount_for(path, mounts):
    """The mount (a dict with mountPath) that holds path: the one with the longest matching mountPath."""
    matching = [m for m in mounts if (path + "/").startswith(m.get("mountPath", "").rstrip("/") + "/")]
    return max(matching, key=lambda m: len(m.get("mountPath", "")), default=None)


def run_as_user(container, security, image):
    """The uid a container runs as: its securityContext, the pod's, or the image's USER (root if none)."""
    user = (container.get("securityContext") or {}).get("runAsUser", security.get("runAsUser"))
    if user is None and image and image.get("user"):
        name = image["user"].split(":")[0]
        user = int(name) if name.isdigit() else (0 if name == "root" else -1)
    return 0 if user is None else user


def check_k8s_pod(label, metadata, spec, objects, claims, image, cli, report, daemons):
    """Containers of one pod template: invocations, ports, probes, volumes, key files."""
    volumes = {v.get("name"): v for v in spec.get("volumes") or []}
    volumes.update({name: {"name": name, "persistentVolumeClaim": {"claimName": name}} for name in claims})
    security = spec.get("securityContext") or {}
    init_mounts = {m.get("name") for c in spec.get("initContainers") or [] for m in c.get("volumeMounts") or []}
    for volume in volumes.values():
        secret = volume.get("secret")
        if secret is not None:
            name = secret.get("secretName")
            if secret.get("defaultMode") != 0o400:
                report.fail(f"{label}: Secret volume {volume.get('name')}: defaultMode should be 0400")
            defined = objects.get(("Secret", name))
            keys = set((defined or {}).get("data") or {}) | set((defined or {}).get("stringData") or {})
            for item in secret.get("items") or []:
                if defined is not None and item.get("key") not in keys:
                    report.fail(f"{label}: Secret {name} has no key {item.get('key')}")
        config_map = volume.get("configMap")
        if config_map is not None:
            defined = objects.get(("ConfigMap", config_map.get("name")))
            for item in config_map.get("items") or []:
                if defined is not None and item.get("key") not in (defined.get("data") or {}):
                    report.fail(f"{label}: ConfigMap {config_map.get('name')} has no key {item.get('key')}")
    containers = [(c, False) for c in spec.get("initContainers") or []]
    containers += [(c, True) for c in spec.get("containers") or []]
    for container, main in containers:
        where = f"{label} container {container.get('name')}"
        env, open_sources = resolve_container_env(container, objects, report, where)
        argv = [expand_k8s(w, env, open_sources, report, where) for w in container_argv(container, image)]
        mounts = container.get("volumeMounts") or []
        for mount in mounts:
            if mount.get("name") not in volumes:
                report.fail(f"{where}: volumeMount {mount.get('name')} names no volume")
        ports = {}
        for port in container.get("ports") or []:
            ports[port.get("name") or str(port.get("containerPort"))] = port.get("containerPort")
        for invocation in argv_invocations(argv, cli, where, report):
            check_invocation(invocation, cli, report)
            for flag, value in invocation.values.items():
                if flag in PATH_FLAGS and isinstance(value, str) and value.startswith("/"):
                    if mount_for(value, mounts) is None:
                        report.fail(f"{where}: {flag} {value} is on no mounted volume")
            config = invocation.values.get("--config")
            if isinstance(config, str) and mount_for(config, mounts) is not None:
                check_k8s_config(config, invocation.subcommand, mounts, volumes, objects, cli, report, where)
            if invocation.subcommand not in ROLE_PORTS:
                continue
            if not main:
                report.fail(f"{where}: vr {invocation.subcommand} runs in an init container")
                continue
            daemons.append((invocation, metadata.get("labels") or {}, ports, report))
            listening = invocation.listening_ports()
            declared = set(ports.values())
            if declared != listening:
                report.fail(f"{where}: containerPorts {sorted(declared)}, but vr {invocation.subcommand} "
                            f"listens on {sorted(listening)}")
            metrics = invocation.ports.get("--metrics-address", (None, None))[1]
            for probe_name in ("startupProbe", "readinessProbe", "livenessProbe"):
                probe = container.get(probe_name)
                if probe is None:
                    if probe_name != "startupProbe":
                        report.fail(f"{where}: no {probe_name}")
                    continue
                get = probe.get("httpGet")
                if get is None:
                    report.fail(f"{where}: {probe_name} is not an HTTP GET of /health")
                    continue
                port = get.get("port")
                number = ports.get(port) if isinstance(port, str) else port
                if get.get("path") != "/health" or number != metrics:
                    report.fail(f"{where}: {probe_name} GET {get.get('path')} on port {port}, "
                                f"expected /health on the metrics port {metrics}")
            key = invocation.values.get("--curve-secret-key")
            mount = mount_for(key, mounts) if isinstance(key, str) else None
            volume = volumes.get(mount.get("name")) if mount else None
            if volume is not None and "secret" in volume:
                if "fsGroup" in security:
                    report.fail(f"{where}: --curve-secret-key {key} is on a Secret volume and the pod sets "
                                "fsGroup, which makes it group-readable (0440): vr refuses it")
                elif run_as_user(container, security, image) != 0:
                    report.fail(f"{where}: --curve-secret-key {key}: Secret files are root's (0400), "
                                "unreadable to the container's user")
            elif volume is not None and "emptyDir" in volume and mount.get("name") not in init_mounts:
                report.fail(f"{where}: --curve-secret-key {key} is on an emptyDir no init container fills")
            run = invocation.values.get("--run")
            if invocation.subcommand == "learner" and isinstance(run, str):
                mount = mount_for(run, mounts)
                volume = volumes.get(mount.get("name")) if mount else None
                if volume is None or "persistentVolumeClaim" not in volume or mount.get("readOnly"):
                    report.fail(f"{where}: --run {run} is not on a writable persistent volume")
                grace = spec.get("terminationGracePeriodSeconds", 30)
                if grace < MIN_LEARNER_GRACE_SECONDS:
                    report.fail(f"{where}: terminationGracePeriodSeconds {grace} leaves the learner too little "
                                f"time for its final checkpoint (at least {MIN_LEARNER_GRACE_SECONDS})")


def mpirun_rank_count(argv):
    """The -n/-np value of an mpirun or mpiexec command line, or None."""
    for index, word in enumerate(argv[:-1]):
        if word in ("-n", "-np", "--np", "-c"):
            return int(argv[index + 1]) if argv[index + 1].isdigit() else None
    return None


def check_mpi_job(name, spec, objects, image, cli, report):
    """An MPIJob (Kubeflow MPI Operator v2beta1) running the learner as MPI ranks: rank 0 in the launcher pod, which
    the Service selects; the Worker pods run sshd for mpirun and mount every file the ranks read, from volumes
    they share with the launcher."""
    label = f"MPIJob/{name}"
    replicas = spec.get("mpiReplicaSpecs") or {}
    launcher, worker = replicas.get("Launcher") or {}, replicas.get("Worker") or {}
    launcher_pod = (launcher.get("template") or {}).get("spec") or {}
    worker_template = worker.get("template") or {}
    worker_pod = worker_template.get("spec") or {}
    if not launcher_pod.get("containers") or not worker_pod.get("containers"):
        report.fail(f"{label}: needs a Launcher and a Worker pod template")
        return
    if spec.get("runLauncherAsWorker") is not True:
        report.fail(f"{label}: runLauncherAsWorker is not true: rank 0, which serves the workers, would run in a "
                    "Worker pod, which the Service does not select")
    if launcher.get("replicas", 1) != 1:
        report.fail(f"{label}: Launcher replicas {launcher.get('replicas')}, expected 1")
    slots = spec.get("slotsPerWorker", 1)
    pods = worker.get("replicas", 1) + 1
    argv = container_argv(launcher_pod["containers"][0], image)
    if not argv or os.path.basename(argv[0]) not in ("mpirun", "mpiexec"):
        report.fail(f"{label} Launcher: its first container runs {argv[:1]}, not mpirun")
        return
    ranks = mpirun_rank_count(argv)
    if ranks != pods * slots:
        report.fail(f"{label} Launcher: mpirun -n {ranks} starts {ranks} ranks, but the MPIJob has {pods} pods "
                    f"(the launcher and {pods - 1} Worker) of {slots} slot(s)")
    learners = [i for i in invocations_in_words(argv, cli.subcommands, label, True) if i.subcommand == "learner"]
    if not learners:
        report.fail(f"{label} Launcher: mpirun runs no vr learner")
        return
    check_invocation(learners[0], cli, Report(label))  # reads the flags' values; the pod check reports its errors
    security = launcher_pod.get("securityContext") or {}
    ssh_path = spec.get("sshAuthMountPath", "/root/.ssh")
    if run_as_user(launcher_pod["containers"][0], security, image) != 0 and ssh_path.startswith("/root/"):
        report.fail(f"{label}: sshAuthMountPath {ssh_path}: the pods do not run as root, so ssh would not find "
                    "its keys there")
    worker_argv = container_argv(worker_pod["containers"][0], image)
    if not worker_argv or os.path.basename(worker_argv[0]) != "sshd":
        report.fail(f"{label} Worker: its first container runs {worker_argv[:1]}, not sshd, through which mpirun "
                    "starts the ranks")
    launcher_mounts = launcher_pod["containers"][0].get("volumeMounts") or []
    worker_mounts = worker_pod["containers"][0].get("volumeMounts") or []
    launcher_volumes = {v.get("name"): v for v in launcher_pod.get("volumes") or []}
    worker_volumes = {v.get("name"): v for v in worker_pod.get("volumes") or []}
    shared = {flag: value for flag, value in learners[0].values.items()
              if flag in PATH_FLAGS and flag not in CURVE_FLAGS and isinstance(value, str) and value.startswith("/")}
    for flag, path in sorted(shared.items()):
        mount = mount_for(path, worker_mounts)
        if mount is None:
            report.fail(f"{label} Worker: {flag} {path} is on no volume of the Worker pods, where ranks 1..N-1 "
                        "read it")
            continue
        source = mount_for(path, launcher_mounts)
        theirs = worker_volumes.get(mount.get("name")) or {}
        ours = launcher_volumes.get((source or {}).get("name")) or {}
        strip = ("name",)
        if {k: v for k, v in theirs.items() if k not in strip} != {k: v for k, v in ours.items() if k not in strip} \
                or mount.get("subPath") != (source or {}).get("subPath"):
            report.fail(f"{label} Worker: {flag} {path} comes from another volume than in the launcher pod")
            continue
        claim = (theirs.get("persistentVolumeClaim") or {}).get("claimName")
        if claim is not None:
            defined = objects.get(("PersistentVolumeClaim", claim))
            modes = ((defined or {}).get("spec") or {}).get("accessModes") or []
            if defined is None:
                report.fail(f"{label}: {flag} {path}: PersistentVolumeClaim {claim} is not defined")
            elif "ReadWriteMany" not in modes:
                report.fail(f"{label}: {flag} {path}: PersistentVolumeClaim {claim} is {modes}, not ReadWriteMany, "
                            "but the pods of every rank mount it")
    labels = (worker_template.get("metadata") or {}).get("labels") or {}
    for (kind, service), obj in objects.items():
        selector = (obj.get("spec") or {}).get("selector") or {}
        if kind == "Service" and selector and all(labels.get(k) == v for k, v in selector.items()):
            report.fail(f"{label}: Service {service} selects the Worker pods, which serve nothing")


def check_k8s_config(path, subcommand, mounts, volumes, objects, cli, report, where):
    """`--config PATH` names a key of a mounted ConfigMap, and vr takes its text."""
    mount = mount_for(path, mounts)
    config_map = (volumes.get(mount.get("name")) or {}).get("configMap")
    if config_map is None:
        report.fail(f"{where}: --config {path} is not on a ConfigMap volume")
        return
    relative = os.path.relpath(path, mount.get("mountPath"))
    items = {item.get("path"): item.get("key") for item in config_map.get("items") or []}
    key = items.get(relative) if items else relative
    name = config_map.get("name")
    data = (objects.get(("ConfigMap", name)) or {}).get("data") or {}
    if key not in data:
        report.fail(f"{where}: --config {path}: ConfigMap {name} has no key {key or relative}")
        return
    error = cli.config_error(subcommand, data[key])
    if error:
        report.fail(f"{where}: --config {path} (ConfigMap {name}, key {key}): {error}")


def check_k8s_files(files, cli, image, reports, daemons):
    """All Kubernetes manifests together, since they refer to one another."""
    parsed = {}
    objects = {}
    for path, documents in files:
        for document in k8s_objects(documents):
            name = (document.get("metadata") or {}).get("name")
            if document.get("kind") != "Kustomization":
                if not document.get("apiVersion") or not name:
                    reports[path].fail(f"{document.get('kind')}: apiVersion and metadata.name are required")
                objects[(document.get("kind"), name)] = document
        parsed[path] = k8s_objects(documents)
    templates = []  # (labels, pod spec)
    for path, documents in parsed.items():
        report = reports[path]
        for obj in documents:
            kind, name = obj.get("kind"), (obj.get("metadata") or {}).get("name")
            if kind == "Kustomization":
                for resource in obj.get("resources") or []:
                    if not os.path.exists(os.path.join(os.path.dirname(path), resource)):
                        report.fail(f"Kustomization: resource {resource} does not exist")
                continue
            spec = obj.get("spec") or {}
            if kind in WORKLOAD_KINDS:
                selector = (spec.get("selector") or {}).get("matchLabels") or {}
                labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
                if any(labels.get(k) != v for k, v in selector.items()):
                    report.fail(f"{kind}/{name}: selector {selector} does not match the template labels")
            if kind == "StatefulSet" and ("Service", spec.get("serviceName")) not in objects:
                report.fail(f"StatefulSet/{name}: serviceName {spec.get('serviceName')} names no Service")
            claims = [(c.get("metadata") or {}).get("name") for c in spec.get("volumeClaimTemplates") or []]
            for part, metadata, pod in pod_specs(obj):
                templates.append((metadata.get("labels") or {}, pod))
                check_k8s_pod(f"{kind}/{name}{part}", metadata, pod, objects, claims, image, cli, report, daemons)
            if kind == "MPIJob":
                check_mpi_job(name, spec, objects, image, cli, report)
    services = {}
    for path, documents in parsed.items():
        for obj in documents:
            if obj.get("kind") != "Service":
                continue
            report, name = reports[path], obj["metadata"]["name"]
            spec = obj.get("spec") or {}
            selector = spec.get("selector") or {}
            selected = [pod for labels, pod in templates
                        if selector and all(labels.get(k) == v for k, v in selector.items())]
            if not selected:
                report.fail(f"Service/{name}: its selector {selector} matches no pod template")
            container_ports = {}
            for pod in selected:
                for container in pod.get("containers") or []:
                    for port in container.get("ports") or []:
                        container_ports[port.get("name")] = port.get("containerPort")
                        container_ports[port.get("containerPort")] = port.get("containerPort")
            exposed = set()
            for port in spec.get("ports") or []:
                number, target = port.get("port"), port.get("targetPort", port.get("port"))
                if number not in ALL_PORTS:
                    report.fail(f"Service/{name}: port {number} is none of {sorted(ALL_PORTS)}")
                if selected and container_ports.get(target) != number:
                    report.fail(f"Service/{name}: port {number} goes to targetPort {target}, "
                                f"which is container port {container_ports.get(target)}")
                exposed.add(number)
            services[name] = (selector, exposed)
    return services


def check_k8s_workers(daemons, services):
    """Workers must reach the learner through a Service that selects it and exposes the port."""
    learners = [labels for invocation, labels, _, _ in daemons if invocation.subcommand == "learner"]
    for invocation, _, _, report in daemons:
        if invocation.subcommand != "worker":
            continue
        for flag in ("--request-endpoint", "--publish-endpoint"):
            host, port = invocation.ports.get(flag, (None, None))
            if host is None:
                continue
            service = services.get(host.split(".")[0])
            if service is None:
                report.fail(f"{invocation.where}: {flag} host {host} is no Service")
                continue
            selector, exposed = service
            if port not in exposed:
                report.fail(f"{invocation.where}: {flag}: Service {host} does not expose port {port}")
            if not any(all(labels.get(k) == v for k, v in selector.items()) for labels in learners):
                report.fail(f"{invocation.where}: {flag}: Service {host} selects no learner pod")


# ------------------------------------------------------------------------------------------------ compose

def compose_interpolate(word, env):
    def replace(match):
        name, operator, default = match.group(1), match.group(2), match.group(3) or ""
        value = env.get(name, os.environ.get(name))
        if operator and (value is None or (operator.startswith(":") and value == "")):
            return default
        return value if value is not None else ""

    word = re.sub(r"(?<!\$)\$\{([A-Za-z_]\w*)(:?[-?+])?([^}]*)\}", replace, word)
    return word.replace("$$", "$")


def as_argv(value):
    if value is None:
        return None
    return shlex.split(value) if isinstance(value, str) else [str(v) for v in value]


def duration_seconds(text):
    """Seconds of a compose duration (1m30s) or a systemd time span (15min, 900)."""
    text = str(text).strip().replace(" ", "")
    if re.fullmatch(r"\d+", text):
        return int(text)
    units = {"h": 3600, "hr": 3600, "m": 60, "min": 60, "s": 1, "sec": 1, "ms": 0.001}
    parts = re.findall(r"(\d+(?:\.\d+)?)([a-z]+)", text)
    if not parts or "".join(n + u for n, u in parts) != text or any(u not in units for _, u in parts):
        return None
    return sum(float(n) * units[u] for n, u in parts)


def check_compose(path, document, cli, image, report, deploy_dir):
    services = (document or {}).get("services")
    if not isinstance(services, dict) or not services:
        report.fail("no services")
        return
    volumes = set((document.get("volumes") or {}).keys())
    daemons = {}
    for name, service in services.items():
        where = f"service {name}"
        environment = service.get("environment") or {}
        if isinstance(environment, list):
            environment = dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
        entrypoint, command = as_argv(service.get("entrypoint")), as_argv(service.get("command"))
        if entrypoint is None:
            entrypoint = (image or {}).get("entrypoint") or []
            if command is None:
                command = (image or {}).get("cmd") or []
        argv = [compose_interpolate(w, environment) for w in entrypoint + (command or [])]
        build = service.get("build")
        if isinstance(build, dict):
            context = os.path.normpath(os.path.join(os.path.dirname(path), build.get("context", ".")))
            dockerfile = os.path.normpath(os.path.join(context, build.get("dockerfile", "Dockerfile")))
            if os.path.abspath(dockerfile) != os.path.abspath(os.path.join(deploy_dir, "Dockerfile")):
                report.fail(f"{where}: build.dockerfile {build.get('dockerfile')} is not deploy/Dockerfile")
        for dependency in service.get("depends_on") or []:
            if dependency not in services:
                report.fail(f"{where}: depends_on {dependency}, which is no service")
        mounts = []
        for volume in service.get("volumes") or []:
            if isinstance(volume, str):
                parts = volume.split(":") + ["", ""]
                source, target, mode = parts[0], parts[1] or parts[0], parts[2]
            else:
                source, target = volume.get("source"), volume.get("target")
                mode = "ro" if volume.get("read_only") else ""
            if source and not source.startswith((".", "/", "~")) and source not in volumes:
                report.fail(f"{where}: volume {source} is not declared under volumes")
            mounts.append({"mountPath": target, "name": source, "readOnly": "ro" in mode.split(",")})
        for invocation in argv_invocations(argv, cli, where, report):
            check_invocation(invocation, cli, report)
            config = invocation.values.get("--config")
            if isinstance(config, str):
                sources = [m["name"] for m in mounts if m["mountPath"] == config and m["name"].startswith(".")]
                if not sources:
                    report.fail(f"{where}: --config {config} is no file mounted from deploy/")
                for source in sources:
                    check_config_file(os.path.join(os.path.dirname(path), source), invocation.subcommand, cli,
                                      report, f"{where}: --config {config}")
            for flag, value in invocation.values.items():
                if flag in PATH_FLAGS and isinstance(value, str) and value.startswith("/"):
                    if mount_for(value, mounts) is None:
                        report.fail(f"{where}: {flag} {value} is on no volume")
            if invocation.subcommand not in ROLE_PORTS:
                continue
            daemons[name] = invocation
            declared = set()
            for port in service.get("ports") or []:
                target = port.get("target") if isinstance(port, dict) else str(port).split("/")[0].split(":")[-1]
                declared.add(int(target))
            declared |= {int(str(p).split("/")[0]) for p in service.get("expose") or []}
            listening = invocation.listening_ports()
            if declared != listening:
                report.fail(f"{where}: ports/expose {sorted(declared)}, but vr {invocation.subcommand} "
                            f"listens on {sorted(listening)}")
            metrics = invocation.ports.get("--metrics-address", (None, None))[1]
            test = " ".join(as_argv((service.get("healthcheck") or {}).get("test")) or [])
            probed = re.search(r":(\d+)/health\b", test)
            if not probed or int(probed.group(1)) != metrics:
                report.fail(f"{where}: the healthcheck should GET /health on the metrics port {metrics}")
            if invocation.subcommand == "learner":
                run = invocation.values.get("--run")
                mount = mount_for(run, mounts) if isinstance(run, str) else None
                if mount is None or mount["readOnly"]:
                    report.fail(f"{where}: --run {run} is not on a writable volume")
                grace = duration_seconds(service.get("stop_grace_period", "10s"))
                if grace is None or grace < MIN_LEARNER_GRACE_SECONDS:
                    report.fail(f"{where}: stop_grace_period {service.get('stop_grace_period', '10s')} leaves the "
                                f"learner too little time for its final checkpoint")
    for name, invocation in daemons.items():
        if invocation.subcommand != "worker":
            continue
        for flag in ("--request-endpoint", "--publish-endpoint"):
            host, port = invocation.ports.get(flag, (None, None))
            learner = daemons.get(host)
            if host is not None and (learner is None or learner.subcommand != "learner"):
                report.fail(f"service {name}: {flag} host {host} is no service running vr learner")
    roles = sorted({i.subcommand for i in daemons.values()})
    report.note(f"{len(services)} services; daemons: {', '.join(roles) or 'none'}")
    return list(daemons.values())


# ------------------------------------------------------------------------------------------------ systemd

def read_env_file(path, report):
    env = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.strip()
            if not line or line.startswith(("#", ";")):
                continue
            match = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)", line)
            if not match:
                report.fail(f"line {number}: not KEY=VALUE")
                continue
            value = match.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            env[match.group(1)] = value
    return env


def parse_unit(text, report):
    """{section: [(key, value)]} of a unit file, continuation lines joined."""
    sections, current = {}, None
    for number, line in logical_lines(text):
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if re.fullmatch(r"\[[A-Za-z]+\]", line):
            current = sections.setdefault(line[1:-1], [])
        elif current is None or "=" not in line:
            report.fail(f"line {number}: not a section header or KEY=VALUE: {line[:40]}")
        else:
            key, value = line.split("=", 1)
            current.append((key.strip(), value.strip()))
    return sections


def systemd_words(value, env, report, label):
    """ExecStart's words with specifiers and ${VAR}/$VAR expanded as systemd does."""
    value = value.lstrip("-@:+!")
    value = value.replace("%%", "\0").replace("%i", "INSTANCE").replace("%I", "INSTANCE").replace("%H", "HOST")
    value = value.replace("\0", "%")
    words = []
    for word in shlex.split(value):
        whole = re.fullmatch(r"\$([A-Za-z_][A-Za-z0-9_]*)", word)
        if whole:
            if whole.group(1) not in env:
                report.fail(f"{label}: ${whole.group(1)} is set by no environment file")
            words += env.get(whole.group(1), "").split()
            continue

        def replace(match):
            if match.group(1) not in env:
                report.fail(f"{label}: ${{{match.group(1)}}} is set by no environment file")
            return env.get(match.group(1), "")

        words.append(re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", replace, word))
    return words


def check_unit(path, cli, report):
    with open(path, encoding="utf-8") as handle:
        sections = parse_unit(handle.read(), report)
    for section in ("Unit", "Service", "Install"):
        if section not in sections:
            report.fail(f"no [{section}] section")
    service = dict(sections.get("Service", []))
    env = {}
    for key, value in sections.get("Service", []):
        if key == "EnvironmentFile":
            optional = value.startswith("-")
            example = os.path.join(os.path.dirname(path), os.path.basename(value.lstrip("-")))
            if os.path.exists(example):
                env.update(read_env_file(example, Report(example)))
            elif not optional:
                report.fail(f"EnvironmentFile {value}: no example {os.path.basename(value)} next to the unit")
        elif key == "Environment":
            for word in shlex.split(value):
                name, _, setting = word.partition("=")
                env[name] = setting
    starts = [v for k, v in sections.get("Service", []) if k == "ExecStart"]
    if len(starts) != 1:
        report.fail(f"{len(starts)} ExecStart lines, expected 1")
    found = []
    for value in starts:
        argv = systemd_words(value, env, report, "ExecStart")
        if not argv or not argv[0].startswith("/"):
            report.fail("ExecStart must name an absolute path")
        found += argv_invocations(argv, cli, "ExecStart", report)
    for invocation in found:
        check_invocation(invocation, cli, report)
        config = invocation.values.get("--config")
        if isinstance(config, str):
            name = os.path.basename(config)
            example = os.path.join(os.path.dirname(os.path.dirname(path)), CONFIG_DIR, name)
            check_config_file(example, invocation.subcommand, cli, report, f"--config {config} (from {CONFIG_DIR}/)")
        if invocation.subcommand == "learner":
            stop = duration_seconds(service.get("TimeoutStopSec", "90s"))
            if stop is None or stop < MIN_LEARNER_GRACE_SECONDS:
                report.fail(f"TimeoutStopSec {service.get('TimeoutStopSec', '90s (default)')} leaves the learner "
                            "too little time for its final checkpoint")
    if service.get("KillSignal", "SIGTERM") != "SIGTERM":
        report.fail(f"KillSignal {service['KillSignal']}: vr stops cleanly on SIGTERM")
    if service.get("User") in (None, "root", "0"):
        report.fail("the service runs as root (no User=)")
    report.note(", ".join(f"vr {i.subcommand}" for i in found) or "no vr invocation")
    return found


# ------------------------------------------------------------------------------------- configuration files

def check_config_file(path, subcommand, cli, report, label):
    """A daemon's configuration file exists and `vr SUBCOMMAND --config` takes it."""
    if not os.path.exists(path):
        report.fail(f"{label}: no file {os.path.normpath(path)}")
        return
    with open(path, encoding="utf-8") as handle:
        error = cli.config_error(subcommand, handle.read())
    if error:
        report.fail(f"{label}: {error}")


# ------------------------------------------------------------------------------------------------- driver

def check_tree(deploy_dir, cli, out):
    """Checks every file under deploy_dir; prints per-file results to out; returns (passed, failed, errors)."""
    deploy_dir = os.path.abspath(deploy_dir)
    base = os.path.dirname(deploy_dir)
    paths = sorted(os.path.join(root, f) for root, _, files in os.walk(deploy_dir) for f in files)
    reports = {p: Report(os.path.relpath(p, base)) for p in paths}
    coverage = {}  # area -> set of daemon subcommands found

    def covered(area, invocations):
        coverage.setdefault(area, set()).update(i.subcommand for i in invocations if i.subcommand in ROLE_PORTS)

    image = None
    dockerfile = os.path.join(deploy_dir, "Dockerfile")
    if dockerfile not in reports:
        reports[dockerfile] = Report(os.path.relpath(dockerfile, base))
        reports[dockerfile].fail("missing")
        paths.insert(0, dockerfile)
    else:
        image = check_dockerfile(dockerfile, cli, reports[dockerfile])
    yaml_files, k8s_files, checked = {}, [], set()
    for path in paths:
        if path.endswith((".yaml", ".yml")):
            checked.add(path)
            try:
                with open(path, encoding="utf-8") as handle:
                    yaml_files[path] = list(yaml.safe_load_all(handle))
            except yaml.YAMLError as error:
                reports[path].fail(f"YAML: {error}".replace("\n", " "))
    daemons, listening = [], set()
    for path, documents in yaml_files.items():
        if any(isinstance(d, dict) and "services" in d for d in documents):
            found = check_compose(path, documents[0], cli, image, reports[path], deploy_dir) or []
            covered("compose", found)
            for invocation in found:
                listening |= invocation.listening_ports()
        else:
            k8s_files.append((path, documents))
            names = [f"{d.get('kind')}/{(d.get('metadata') or {}).get('name', '')}".rstrip("/")
                     for d in k8s_objects(documents)]
            reports[path].note(f"{len(documents)} documents: {', '.join(names)}")
    services = check_k8s_files(k8s_files, cli, image, reports, daemons)
    check_k8s_workers(daemons, services)
    covered("kubernetes", [d[0] for d in daemons])
    for invocation, _, _, _ in daemons:
        listening |= invocation.listening_ports()
    for path in paths:
        report, name = reports[path], os.path.basename(path)
        if path == dockerfile or path in checked:
            continue
        if name.endswith(".service"):
            checked.add(path)
            found = check_unit(path, cli, report)
            covered("systemd", found)
        elif name.endswith(".env"):
            checked.add(path)
            report.note(f"{len(read_env_file(path, report))} variables")
        elif name.endswith(".json") and os.path.basename(os.path.dirname(path)) == CONFIG_DIR:
            checked.add(path)
            subcommand = name.removesuffix(".json")
            if subcommand not in ROLE_PORTS:
                report.fail(f"{name}: a configuration of neither vr learner nor vr worker")
                continue
            check_config_file(path, subcommand, cli, report, f"vr {subcommand} --config")
            report.note(f"vr {subcommand} --config takes it")
        elif name.endswith((".sh", ".sbatch")):
            checked.add(path)
            shell = shell_syntax(path, report)
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            found = invocations_in_shell(text, cli.subcommands, "", True, report)
            for invocation in found:
                check_invocation(invocation, cli, report)
            notes = [f"{shell} -n", f"{len(found)} vr invocations"]
            if name.endswith(".sbatch"):
                covered("slurm", found)
                notes.append(check_sbatch(text, report))
            report.note(", ".join(notes))
        elif name == "README.md":
            checked.add(path)
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            blocks = list(re.finditer(r"^```[a-z]*\n(.*?)^```", text, re.M | re.S))
            found = []
            for block in blocks:
                first_line = text.count("\n", 0, block.start(1)) + 1
                found += invocations_in_shell(block.group(1), cli.subcommands, "", False, report, first_line)
            for invocation in found:
                check_invocation(invocation, cli, report)
            report.note(f"{len(found)} vr invocations in {len(blocks)} code blocks")
    if image is not None and not listening <= image["expose"]:
        reports[dockerfile].fail(f"EXPOSE lacks {sorted(listening - image['expose'])}, which containers listen on")
    passed = failed = 0
    errors = []
    for path in paths:
        report = reports[path]
        if path not in checked and path != dockerfile:
            print(f"skip: {report.name} (not a kind of file this checks)", file=out)
            continue
        if report.errors:
            failed += 1
            print(f"FAIL: {report.name}", file=out)
            for error in report.errors:
                print(f"  - {error}", file=out)
                errors.append(f"{report.name}: {error}")
        else:
            passed += 1
            print(f"ok: {report.name}" + (f" ({'; '.join(report.notes)})" if report.notes else ""), file=out)
    missing = [f"{area}: vr {role}" for area in ("compose", "kubernetes", "slurm", "systemd")
               for role in ("learner", "worker") if role not in coverage.get(area, set())]
    if missing:
        failed += 1
        print(f"FAIL: coverage: no {', '.join(missing)} found", file=out)
        errors.append(f"coverage: no {', '.join(missing)}")
    else:
        passed += 1
        print("ok: coverage (vr learner and vr worker found in compose, kubernetes, slurm and systemd)", file=out)
    return passed, failed, errors


def check_sbatch(text, report):
    """#SBATCH directives: before the first command, well formed, at least two nodes."""
    seen_command = False
    options = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("#SBATCH"):
            if seen_command:
                report.fail(f"line {number}: #SBATCH after the first command is ignored by Slurm")
            match = re.fullmatch(r"#SBATCH\s+(--[a-z-]+)(?:[= ](\S+))?|#SBATCH\s+(-[A-Za-z])\s*(\S+)?", stripped)
            if not match:
                report.fail(f"line {number}: malformed directive: {stripped}")
                continue
            options[match.group(1) or match.group(3)] = match.group(2) or match.group(4)
        elif stripped and not stripped.startswith("#"):
            seen_command = True
    nodes = options.get("--nodes") or options.get("-N")
    if nodes is None or not re.match(r"\d+", nodes) or int(re.match(r"\d+", nodes).group(0)) < 2:
        report.fail(f"#SBATCH --nodes {nodes}: the learner and at least one worker need 2 nodes")
    return f"{len(options)} #SBATCH directives"


# The self-test: each entry breaks one file in a copy of deploy/ and names what the checker must then report.
MUTATIONS = [
    ("k8s/learner.yaml", "--curve-allowed-workers", "--curve-alowed-workers",
     "unknown flag --curve-alowed-workers"),
    ("k8s/learner.yaml", "targetPort: broadcast", "targetPort: 5557", "targetPort 5557"),
    ("k8s/learner.yaml", "path: /health", "path: /healthz", "Probe GET /healthz"),
    ("k8s/learner.yaml", "terminationGracePeriodSeconds: 900", "terminationGracePeriodSeconds: 30",
     "terminationGracePeriodSeconds 30"),
    ("k8s/worker.yaml", "containerPort: 9091", "containerPort: 9092", "containerPorts [9092]"),
    ("k8s/worker.yaml", "tcp://vr-learner:5555", "tcp://vr-lerner:5555", "host vr-lerner is no Service"),
    ("k8s/worker.yaml", "/etc/vr/keys/worker.key\n", "/etc/vr/key/worker.key\n", "is on no mounted volume"),
    ("k8s-mpi/learner-mpijob.yaml", "runLauncherAsWorker: true", "runLauncherAsWorker: false",
     "runLauncherAsWorker is not true"),
    ("k8s-mpi/learner-mpijob.yaml", '- "2" # ranks', '- "3" # ranks', "mpirun -n 3 starts 3 ranks"),
    ("k8s-mpi/learner-state.yaml", '["ReadWriteMany"]', '["ReadWriteOnce"]', "not ReadWriteMany"),
    ("k8s-mpi/learner-mpijob.yaml", "component: learner-rank", "component: learner", "selects the Worker pods"),
    ("k8s-mpi/learner-mpijob.yaml", "- --resume-if-present", "- --resume-if-presnt",
     "unknown flag --resume-if-presnt"),
    ("k8s-mpi/learner-mpijob.yaml", 'command: ["/usr/sbin/sshd"]', 'command: ["sleep"]', "not sshd"),
    ("k8s-mpi/learner-mpijob.yaml", "volumeMounts: *stateMounts", "volumeMounts: []",
     "is on no volume of the Worker pods"),
    ("k8s-mpi/learner-mpijob.yaml", "sshAuthMountPath: /var/lib/vr/.ssh", "sshAuthMountPath: /root/.ssh",
     "sshAuthMountPath /root/.ssh"),
    ("k8s/configmap.yaml", '"checkpointEvery": 20', '"checkpointEvry": 20', 'unknown key "checkpointEvry"'),
    ("k8s/learner.yaml", "- key: learner.json", "- key: learner.jsn", "ConfigMap vr-daemons has no key learner.jsn"),
    ("compose.yaml", "tcp://learner:5556", "tcp://learner:5557", "port 5557, expected 5556"),
    ("compose.yaml", '"9090:9090"', '"9090:9095"', "ports/expose"),
    ("compose.yaml", "volumes:\n  keys:", "volumes:\n  keys: [unclosed", "YAML:"),
    ("systemd/vr-worker@.service", "--curve-learner-key", "--curve-learner-keys",
     "unknown flag --curve-learner-keys"),
    ("systemd/learner.env", "VR_LEARNER_OPTIONS=", 'VR_LEARNER_OPTIONS="--checkpoint-evry 20"',
     "unknown flag --checkpoint-evry"),
    ("systemd/vr-worker@.service", "--config /etc/vr/worker.json", "--config /etc/vr/learner.json",
     "expected the worker's file"),
    ("config/learner.json", '"modelSteps": 300', '"modelSteps": -3', "modelSteps"),
    ("config/worker.json", '"answersPerTrace": 4', '"answersPerTrace": "4"', "answersPerTrace"),
    ("compose.yaml", "./config/learner.json:", "./config/learnr.json:", "no file"),
    ("systemd/vr-learner.service", "TimeoutStopSec=15min", "TimeoutStopSec=30s", "TimeoutStopSec 30s"),
    ("slurm/vr.sbatch", "--publish-endpoint tcp://0.0.0.0:5556", "--publish-endpoint tcp://0.0.0.0:6556",
     "port 6556, expected 5556"),
    ("slurm/vr.sbatch", "    --curve-learner-key", "    --curve-learner-kye", "unknown flag --curve-learner-kye"),
    ("slurm/vr.sbatch", "exit \"$status\"", "exit \"$status\"\nif true; then", "bash -n"),
    ("slurm/vr.sbatch", '    --config "$config/worker.json" \\\n', "", "--config is missing"),
    ("Dockerfile", "EXPOSE 5555 5556 9090 9091", "EXPOSE 5555 5556 9090", "EXPOSE [5555, 5556, 9090]"),
    ("prepare.sh", "--stage", "--stages", "unknown flag --stages"),
    ("README.md", "--stage reasoning", "--stage-name reasoning", "unknown flag --stage-name"),
]


def self_test(deploy_dir, cli):
    """Each mutation must add a failure the unmodified tree does not have."""
    sink = open(os.devnull, "w")
    _, _, baseline = check_tree(deploy_dir, cli, sink)
    failures = 0
    for relative, old, new, expected in MUTATIONS:
        with tempfile.TemporaryDirectory() as scratch:
            copy = os.path.join(scratch, "deploy")
            shutil.copytree(deploy_dir, copy)
            target = os.path.join(copy, relative)
            with open(target, encoding="utf-8") as handle:
                text = handle.read()
            label = f"{relative}: {old!r} -> {new!r}"
            if old not in text:
                print(f"self-test FAIL: {label}: the text to change is gone")
                failures += 1
                continue
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(text.replace(old, new, 1))
            _, _, errors = check_tree(copy, cli, sink)
            new_errors = [e for e in errors if e not in baseline]
            if not new_errors or (expected and not any(expected in e for e in new_errors)):
                print(f"self-test FAIL: {label}: expected a failure with {expected!r}, got {new_errors}")
                failures += 1
            else:
                print(f"self-test ok: {label} -> {new_errors[0]}")
    print(f"self-test: {len(MUTATIONS) - failures} passed, {failures} failed")
    return failures == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary", help="the vr binary whose --help defines the valid flags")
    default_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "deploy")
    parser.add_argument("--deploy-dir", default=default_dir, help="the directory to check (default: deploy/)")
    parser.add_argument("--self-test", action="store_true", help="check that broken copies of the files fail")
    arguments = parser.parse_args()
    cli = Cli(arguments.binary)
    if arguments.self_test:
        sys.exit(0 if self_test(os.path.normpath(arguments.deploy_dir), cli) else 1)
    passed, failed, _ = check_tree(os.path.normpath(arguments.deploy_dir), cli, sys.stdout)
    print(f"deploy: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
