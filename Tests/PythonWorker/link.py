"""The worker's two sockets: requests and replies on a DEALER, broadcasts on a SUB (docs/protocol.md, "Sockets and
identity"), with the heartbeats a welcomed worker owes the learner."""

import time
from collections.abc import Callable
from dataclasses import dataclass

import zmq
from google.protobuf.message import DecodeError

from snapshot import Assembler, Models, SnapshotError
from vr.v1 import control_pb2, envelope_pb2

PROTOCOL_VERSION = 1


@dataclass(frozen=True)
class Reply:
    """One message from the learner: its envelope and, for a snapshot chunk, the chunk's bytes."""

    envelope: envelope_pb2.Envelope
    payload: bytes | None

    @property
    def kind(self) -> str:
        """The body's field name, such as `welcome`."""
        return self.envelope.WhichOneof("body")

    @property
    def body(self):
        """The body message."""
        return getattr(self.envelope, self.kind)


class Broadcasts:
    """Assembles the learner's broadcasts and keeps the newest complete one."""

    def __init__(self, log: Callable[[str], None]):
        self.log = log
        self.assembler: Assembler | None = None
        self.newest: Models | None = None

    def reset(self) -> None:
        """Forgets everything received: it came from a learner that is gone."""
        self.assembler = None
        self.newest = None

    def accept(self, reply: Reply) -> None:
        """Feeds one published message; a chunk that does not fit drops the partial snapshot."""
        try:
            if reply.kind == "parameter_announcement":
                self.assembler = Assembler(reply.body)
            elif reply.kind == "snapshot_chunk" and self.assembler is not None:
                self.assembler.add(reply.body, reply.payload)
                if self.assembler.is_complete:
                    models = self.assembler.models()
                    self.assembler = None
                    if self.newest is None or models.version > self.newest.version:
                        self.newest = models
        except (SnapshotError, ValueError) as error:  # ValueError: models this worker cannot run
            self.log(f"dropped a broadcast: {error}")
            self.assembler = None

    def take_newer(self, version: int) -> Models | None:
        """The newest complete broadcast if it is newer than `version`, handed over once."""
        newest, self.newest = self.newest, None
        return newest if newest is not None and newest.version > version else None


class LearnerLink:
    """Sends envelopes as this worker and receives the learner's replies and broadcasts."""

    def __init__(self, worker_id: str, request_endpoint: str, publish_endpoint: str, log: Callable[[str], None]):
        self.worker_id = worker_id
        self.context = zmq.Context()
        self.dealer = self.context.socket(zmq.DEALER)
        # The learner refuses any message whose sender id is not this routing id.
        self.dealer.setsockopt(zmq.ROUTING_ID, worker_id.encode("ascii"))
        # Nothing queues for a learner that is not connected: a send then gives up after a second instead.
        self.dealer.setsockopt(zmq.IMMEDIATE, 1)
        self.dealer.setsockopt(zmq.SNDTIMEO, 1000)
        self.dealer.setsockopt(zmq.LINGER, 1000)
        self.dealer.connect(request_endpoint)
        self.subscriber = self.context.socket(zmq.SUB)
        self.subscriber.setsockopt(zmq.SUBSCRIBE, b"")
        self.subscriber.setsockopt(zmq.LINGER, 0)
        self.subscriber.connect(publish_endpoint)
        self.poller = zmq.Poller()
        self.poller.register(self.dealer, zmq.POLLIN)
        self.poller.register(self.subscriber, zmq.POLLIN)
        self.log = log
        self.broadcasts = Broadcasts(log)
        self.heartbeat_interval: float | None = None
        self.last_heartbeat = 0.0
        self.heartbeat_state = control_pb2.Heartbeat()

    def send(self, **body) -> None:
        """Sends one envelope whose body is the single keyword argument, e.g. `send(hello=Hello(...))`; drops it
        when the learner is not connected (the reply that does not come then says so)."""
        envelope = envelope_pb2.Envelope(protocol_version=PROTOCOL_VERSION, sender_id=self.worker_id, **body)
        try:
            self.dealer.send(envelope.SerializeToString())
        except zmq.Again:
            self.log(f"not connected: dropped {envelope.WhichOneof('body')}")

    def start_heartbeats(self, interval_ms: int) -> None:
        """Heartbeats every `interval_ms` from now on (once welcomed)."""
        self.heartbeat_interval = interval_ms / 1000
        self.last_heartbeat = time.monotonic()

    def stop_heartbeats(self) -> None:
        """No heartbeats until the next welcome."""
        self.heartbeat_interval = None

    @property
    def is_welcomed(self) -> bool:
        """Whether the learner welcomed this worker and the session still stands (heartbeats are due)."""
        return self.heartbeat_interval is not None

    def tick(self) -> None:
        """Sends a heartbeat when one is due and takes in the broadcasts that have arrived; never blocks."""
        if self.heartbeat_interval is not None and time.monotonic() - self.last_heartbeat >= self.heartbeat_interval:
            self.last_heartbeat = time.monotonic()
            self.send(heartbeat=self.heartbeat_state)
        while self.subscriber.poll(0):
            self.take_broadcast()

    def next(self, timeout: float) -> Reply | None:
        """The learner's next message on the request channel, or None after `timeout` seconds of silence from it.

        Broadcasts arriving meanwhile are assembled, heartbeats sent when due, and messages that do not parse
        skipped.
        """
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            self.tick()
            wait = remaining if self.heartbeat_interval is None else min(remaining, self.heartbeat_interval)
            events = dict(self.poller.poll(max(1, int(wait * 1000))))
            if self.subscriber in events:
                self.take_broadcast()
            if self.dealer in events:
                reply = parse(self.dealer.recv_multipart())
                if reply is not None:
                    return reply
        return None

    def take_broadcast(self) -> None:
        """Receives one published message and feeds it to the broadcasts."""
        reply = parse(self.subscriber.recv_multipart())
        if reply is not None:
            self.broadcasts.accept(reply)

    def close(self) -> None:
        """Closes the sockets, flushing what is queued for up to a second."""
        self.dealer.close()
        self.subscriber.close()
        self.context.term()


def parse(frames: list[bytes]) -> Reply | None:
    """The envelope and payload of a learner message, or None for one that breaks the framing."""
    envelope = envelope_pb2.Envelope()
    try:
        envelope.ParseFromString(frames[0])
    except DecodeError:
        return None
    is_chunk = envelope.WhichOneof("body") == "snapshot_chunk"
    if envelope.protocol_version != PROTOCOL_VERSION or len(frames) != (2 if is_chunk else 1):
        return None
    if envelope.WhichOneof("body") is None:
        return None
    return Reply(envelope, frames[1] if is_chunk else None)
