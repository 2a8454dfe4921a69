"""A rollout worker for `vr learner`, written from docs/protocol.md and Protos/ alone.

It joins the learner, loads the parameter snapshots of pi and q it is sent, samples and scores traces of byte-level
GPT models in numpy for the questions it is assigned, and sends them back, until it is stopped (SIGTERM, SIGINT) or
the learner stays away for `--learner-gone-seconds`:

    python Tests/PythonWorker/worker.py --tasks train.jsonl --endpoints-file endpoints.json

The protocol's conversation is in `Worker`; sampling in rollout.py, the model in gpt.py, snapshots in snapshot.py,
the sockets in link.py, tokens and templates in text.py, the task file and verifiers in tasks.py.
"""

import argparse
import json
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass

from link import LearnerLink, Reply
from rollout import RolloutOptions, Sampler
from snapshot import Assembler, Models, SnapshotError
from tasks import fingerprint, read_tasks
from text import VOCABULARY_SIZE
from vr.v1 import control_pb2, parameters_pb2, rollout_pb2

SOFTWARE_VERSION = "vr-python-worker 1"
HELLO_INTERVAL = 2.0


class Rejoin(Exception):
    """The session is over (the learner forgot this worker, refused a batch or went silent): say Hello again."""


class Stop(Exception):
    """A stop signal arrived."""


class Fatal(Exception):
    """Nothing this worker can do helps: a different dataset, or models it cannot run."""


@dataclass
class Session:
    """What the worker keeps across sessions with the learner."""

    models: Models | None = None
    learner_instance_id: str | None = None
    batch_sequence: int = 0
    batches_accepted: int = 0

    @property
    def version(self) -> int:
        """The parameter version held, 0 for none."""
        return self.models.version if self.models else 0


class Worker:
    """Joins, fetches parameters, asks for work, samples, sends batches and stays current."""

    def __init__(
        self, link: LearnerLink, sampler: Sampler, dataset_fingerprint: str, gone_seconds: float, streams: bool
    ):
        self.link = link
        self.sampler = sampler
        self.streams = streams
        self.dataset_fingerprint = dataset_fingerprint
        self.gone_seconds = gone_seconds
        self.session = Session()

    def run(self) -> None:
        """Sessions until stopped or the learner is gone; says Goodbye when stopped."""
        try:
            while (welcome := self.join()) is not None:
                try:
                    self.work(welcome)
                except Rejoin as reason:
                    log(f"saying hello again: {reason}")
                    self.link.stop_heartbeats()
        except Stop:
            # A learner that never welcomed this worker would only answer a Goodbye with UNKNOWN_WORKER.
            if self.link.is_welcomed:
                self.link.send(goodbye=control_pb2.Goodbye(reason="worker stopping"))
            log("stopped")

    # Joining

    def join(self) -> control_pb2.Welcome | None:
        """Says Hello until welcomed and holds current parameters; None when the learner stays away too long."""
        started = time.monotonic()
        while self.gone_seconds <= 0 or time.monotonic() - started < self.gone_seconds:
            self.link.send(
                hello=control_pb2.Hello(
                    software_version=SOFTWARE_VERSION,
                    parameter_version=self.session.version,
                    dataset_fingerprint=self.dataset_fingerprint,
                )
            )
            reply = self.link.next(HELLO_INTERVAL)
            while reply is not None and reply.kind != "welcome":
                self.refused(reply)
                reply = self.link.next(HELLO_INTERVAL)
            if reply is None:
                continue
            welcome = reply.body
            log(f"welcomed by {welcome.learner_instance_id} at v{welcome.parameter_version}")
            self.link.start_heartbeats(welcome.heartbeat_interval_ms)
            try:
                self.catch_up(welcome)
            except Rejoin as reason:
                log(f"no snapshot: {reason}")
                self.link.stop_heartbeats()
                continue
            return welcome
        log(f"the learner did not answer for {self.gone_seconds:g} s")
        return None

    def catch_up(self, welcome: control_pb2.Welcome) -> None:
        """Fetches a snapshot unless the parameters held are this learner's current ones."""
        is_new_learner = welcome.learner_instance_id != self.session.learner_instance_id
        if is_new_learner:
            # A restarted learner's versions may name other parameters.
            self.link.broadcasts.reset()
        if self.session.models is None or is_new_learner or self.session.version < welcome.parameter_version:
            self.fetch_snapshot(welcome)
        self.session.learner_instance_id = welcome.learner_instance_id

    def fetch_snapshot(self, welcome: control_pb2.Welcome) -> None:
        """Asks for the current parameters and loads the announcement and chunks that answer."""
        self.link.send(snapshot_request=parameters_pb2.SnapshotRequest(parameter_version=self.session.version))
        assembler = None
        while (reply := self.link.next(silence_limit(welcome))) is not None:
            if reply.kind == "parameter_announcement":
                assembler = self.assembler(reply.body)
            elif reply.kind == "snapshot_chunk" and assembler is not None:
                try:
                    assembler.add(reply.body, reply.payload)
                except SnapshotError as error:
                    raise Rejoin(f"bad snapshot: {error}") from error
                if assembler.is_complete:
                    self.apply(self.models_of(assembler), "snapshot")
                    return
            elif reply.kind == "error_reply":
                raise Rejoin(f"snapshot request refused: {reply.body.reason}")
        raise Rejoin("no snapshot")

    # Working

    def work(self, welcome: control_pb2.Welcome) -> None:
        """Applies broadcasts, asks for one assignment at a time, and answers each with one batch."""
        while True:
            if newer := self.link.broadcasts.take_newer(self.session.version):
                self.apply(newer, "broadcast")
            self.link.send(
                work_request=rollout_pb2.WorkRequest(question_count=1, parameter_version=self.session.version)
            )
            assignment = self.await_reply(welcome, "work_assignment")
            if not assignment.questions:
                self.pause(assignment.retry_after_ms / 1000)
                continue
            if assignment.parameter_version > self.session.version + max(welcome.max_lag, 1):
                # Broadcasts were lost: sampling with these parameters would come back stale.
                self.fetch_snapshot(welcome)
            self.complete(assignment, welcome)

    def complete(self, assignment: rollout_pb2.WorkAssignment, welcome: control_pb2.Welcome) -> None:
        """Samples and scores one assignment and sends it: as one batch, or, when streaming, one batch per question
        as soon as it is sampled, last question first (the learner takes an assignment's questions in any order
        and over any number of batches)."""
        models = self.session.models
        # A learner before revision 3 takes an assignment in one batch only (docs/protocol.md, "Revisions").
        if self.streams and welcome.protocol_revision >= 3:
            for question in reversed(assignment.questions):
                started = time.monotonic()
                sampled = [self.sampler.question(question, models, self.link.tick)]
                if not self.send_batch(assignment, sampled, models.version, welcome, started):
                    break
        else:
            started = time.monotonic()
            sampled = [self.sampler.question(question, models, self.link.tick) for question in assignment.questions]
            self.send_batch(assignment, sampled, models.version, welcome, started)

    def send_batch(
        self,
        assignment: rollout_pb2.WorkAssignment,
        questions: list[rollout_pb2.QuestionRollout],
        version: int,
        welcome: control_pb2.Welcome,
        started: float,
    ) -> bool:
        """Sends questions of `assignment` as one batch and waits for its acknowledgement; False when the
        assignment passed its deadline and went to another worker."""
        self.session.batch_sequence += 1
        sequence = self.session.batch_sequence
        batch = rollout_pb2.RolloutBatch(
            worker_id=self.link.worker_id,
            batch_sequence=sequence,
            assignment_id=assignment.assignment_id,
            sampling_parameter_version=version,
            scoring_parameter_version=version,
            questions=questions,
        )
        self.link.send(rollout_batch=batch)
        traces = sum(len(question.traces) for question in questions)
        phases = ", ".join(sorted({rollout_pb2.Phase.Name(question.phase) for question in questions}))
        log(
            f"batch {sequence} sent: assignment {assignment.assignment_id}, {len(questions)} questions ({phases}), "
            f"{traces} traces at v{version} in {time.monotonic() - started:.1f} s"
        )
        ack = self.await_reply(welcome, "batch_ack", sequence)
        if ack is None:
            log(f"batch {sequence}: assignment {assignment.assignment_id} expired")
            return False
        status = rollout_pb2.BatchStatus.Name(ack.status)
        if ack.status == rollout_pb2.BATCH_STATUS_ACCEPTED:
            self.session.batches_accepted += 1
        log(f"batch {sequence}: {status}")
        return True

    def await_reply(self, welcome: control_pb2.Welcome, kind: str, sequence: int | None = None):
        """The body of the next reply of `kind` (a BatchAck of `sequence`), or None when the batch's assignment
        expired; Rejoin on silence or another refusal of this worker or of the batch."""
        while (reply := self.link.next(silence_limit(welcome))) is not None:
            if reply.kind == kind and (sequence is None or reply.body.batch_sequence == sequence):
                return reply.body
            if reply.kind == "error_reply":
                self.refused(reply)
                if reply.body.code == control_pb2.ERROR_CODE_ASSIGNMENT_EXPIRED:
                    # Handed to another worker: drop it and carry on; no reason to say Hello again.
                    if sequence is not None and reply.body.batch_sequence == sequence:
                        return None
                    continue
                if reply.body.code == control_pb2.ERROR_CODE_UNKNOWN_WORKER:
                    raise Rejoin("the learner does not know this worker")
                if sequence is not None and reply.body.batch_sequence == sequence:
                    raise Rejoin(f"the learner refused batch {sequence}")
        raise Rejoin(f"the learner was silent for {silence_limit(welcome):g} s")

    def pause(self, seconds: float) -> None:
        """Waits, keeping heartbeats and broadcasts going."""
        deadline = time.monotonic() + max(seconds, 0.02)
        while time.monotonic() < deadline:
            self.link.tick()
            time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))

    # Parameters

    def assembler(self, announcement: parameters_pb2.ParameterAnnouncement) -> Assembler:
        """An assembler for `announcement`; Rejoin if it is malformed."""
        try:
            return Assembler(announcement)
        except SnapshotError as error:
            raise Rejoin(f"bad snapshot announcement: {error}") from error

    def models_of(self, assembler: Assembler) -> Models:
        """pi and q of a complete snapshot; Rejoin for a buffer that does not fit its configuration, Fatal for
        models this worker cannot run."""
        try:
            models = assembler.models()
        except SnapshotError as error:
            raise Rejoin(f"bad snapshot: {error}") from error
        except ValueError as error:
            raise Fatal(f"cannot run the learner's models: {error}") from error
        for model in (models.reasoning, models.posterior):
            if model.configuration.vocabulary_size < VOCABULARY_SIZE:
                raise Fatal(f"a vocabulary of {model.configuration.vocabulary_size} ids cannot hold the byte tokens")
        return models

    def apply(self, models: Models, source: str) -> None:
        """Samples with `models` from now on."""
        self.session.models = models
        self.link.heartbeat_state.parameter_version = models.version
        log(f"applied parameters v{models.version} ({source})")

    def refused(self, reply: Reply) -> None:
        """Logs an ErrorReply (any other unexpected message is skipped); Fatal for a dataset mismatch."""
        if reply.kind != "error_reply":
            return
        error = reply.body
        log(f"refused ({control_pb2.ErrorCode.Name(error.code)}): {error.reason}")
        if error.code == control_pb2.ERROR_CODE_DATASET_MISMATCH:
            raise Fatal(error.reason)


def silence_limit(welcome: control_pb2.Welcome) -> float:
    """Seconds without any message after which the learner counts as gone."""
    return welcome.heartbeat_interval_ms * welcome.heartbeat_liveness / 1000


def log(message: str) -> None:
    """One line on standard error."""
    print(f"{time.strftime('%H:%M:%S')} python-worker: {message}", file=sys.stderr, flush=True)


def endpoints(arguments: argparse.Namespace) -> tuple[str, str]:
    """The request and publish endpoints, from the options or the learner's endpoints file."""
    if arguments.endpoints_file:
        with open(arguments.endpoints_file, encoding="utf-8") as file:
            written = json.load(file)
        return written["request"], written["publish"]
    return arguments.request_endpoint, arguments.publish_endpoint


def parse_arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", required=True, help="the learner's task file (JSONL)")
    parser.add_argument("--request-endpoint", default="tcp://127.0.0.1:5555")
    parser.add_argument("--publish-endpoint", default="tcp://127.0.0.1:5556")
    parser.add_argument("--endpoints-file", help="read both endpoints from `vr learner --endpoints-file`'s JSON")
    parser.add_argument("--id", default=f"python-worker-{socket.gethostname()}-{os.getpid()}", help="the worker id")
    parser.add_argument("--hint", choices=["worked-solution", "answer"], default="worked-solution")
    parser.add_argument("--temperature", type=float, default=RolloutOptions.trace_temperature)
    parser.add_argument("--max-trace-tokens", type=int, default=RolloutOptions.max_trace_tokens)
    parser.add_argument("--answers-per-trace", type=int, default=RolloutOptions.answers_per_trace)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--stream", action="store_true", help="send each question as its own batch once sampled, last question first"
    )
    parser.add_argument(
        "--learner-gone-seconds", type=float, default=0, help="stop when no hello is answered this long (0: never)"
    )
    arguments = parser.parse_args()
    if not 1 <= len(arguments.id) <= 255 or not all(0x21 <= ord(c) <= 0x7E for c in arguments.id):
        parser.error("--id must be 1 to 255 printable ASCII characters without spaces")
    return arguments


def raise_stop(signum, frame) -> None:
    """Turns SIGTERM and SIGINT into `Stop` wherever the worker is."""
    raise Stop()


def main() -> int:
    """Runs the worker; 0 when stopped or the learner is gone, 1 on a fatal error."""
    arguments = parse_arguments()
    try:
        items = read_tasks(arguments.tasks)
    except (OSError, ValueError) as error:
        log(f"cannot read the tasks: {error}")
        return 1
    options = RolloutOptions(
        trace_temperature=arguments.temperature,
        max_trace_tokens=arguments.max_trace_tokens,
        answers_per_trace=arguments.answers_per_trace,
    )
    sampler = Sampler({item.id: item for item in items}, arguments.hint, options, arguments.seed)
    request, publish = endpoints(arguments)
    link = LearnerLink(arguments.id, request, publish, log)
    worker = Worker(link, sampler, fingerprint(items), arguments.learner_gone_seconds, arguments.stream)
    signal.signal(signal.SIGTERM, raise_stop)
    signal.signal(signal.SIGINT, raise_stop)
    log(f"worker {arguments.id}: {len(items)} questions, dataset {fingerprint(items)}, learner at {request}")
    try:
        worker.run()
    except Fatal as error:
        log(f"giving up: {error}")
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        session = worker.session
        log(f"finished: {session.batch_sequence} batches sent, {session.batches_accepted} accepted, v{session.version}")
        link.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
