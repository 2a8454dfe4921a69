"""Parameter snapshots: assembling an announcement and its chunks, and splitting the buffer into pi and q
(docs/protocol.md, "Framing" and "Snapshots and the model")."""

import json
import zlib
from dataclasses import dataclass

import numpy as np

from gpt import GPT, Configuration
from vr.v1 import parameters_pb2


class SnapshotError(Exception):
    """A chunk that does not fit its announcement; the partial snapshot is void."""


@dataclass(frozen=True)
class Models:
    """The reasoning model pi and the posterior q of one parameter version."""

    version: int
    reasoning: GPT
    posterior: GPT


class Assembler:
    """Collects the chunks of one announced version, in order, checking offsets, sizes and CRC-32s."""

    def __init__(self, announcement: parameters_pb2.ParameterAnnouncement):
        width = {
            parameters_pb2.PARAMETER_ENCODING_FLOAT32_LE: 4,
            parameters_pb2.PARAMETER_ENCODING_BFLOAT16_LE: 2,
        }.get(announcement.encoding)
        if width is None:
            raise SnapshotError(f"unknown parameter encoding {announcement.encoding}")
        if announcement.byte_count % width:
            raise SnapshotError(f"byte_count {announcement.byte_count} is not a multiple of {width}")
        self.announcement = announcement
        self.width = width
        self.buffer = bytearray()
        self.next_index = 0

    @property
    def is_complete(self) -> bool:
        """Whether every announced chunk has arrived."""
        return self.next_index == self.announcement.chunk_count

    def add(self, chunk: parameters_pb2.SnapshotChunk, payload: bytes) -> None:
        """Appends the next chunk; raises SnapshotError when it is not the one expected or is corrupt."""
        announcement = self.announcement
        if chunk.parameter_version != announcement.parameter_version or chunk.chunk_index != self.next_index:
            raise SnapshotError(f"chunk {chunk.chunk_index} of v{chunk.parameter_version} is out of sequence")
        expected_size = min(announcement.chunk_byte_count, announcement.byte_count - len(self.buffer))
        if chunk.offset != len(self.buffer) or chunk.byte_count != len(payload) or len(payload) != expected_size:
            raise SnapshotError(f"chunk {chunk.chunk_index} has the wrong offset or size")
        if zlib.crc32(payload) != chunk.crc32:
            raise SnapshotError(f"chunk {chunk.chunk_index} fails its CRC-32")
        self.buffer += payload
        self.next_index += 1
        if self.is_complete and zlib.crc32(self.buffer) != announcement.crc32:
            raise SnapshotError("the whole buffer fails its CRC-32")

    def models(self) -> Models:
        """pi and q from the complete buffer."""
        if self.width == 4:
            values = np.frombuffer(bytes(self.buffer), dtype="<f4").astype(np.float32)
        else:
            halves = np.frombuffer(bytes(self.buffer), dtype="<u2").astype(np.uint32)
            values = (halves << 16).view(np.float32)
        return split_models(self.announcement.parameter_version, self.announcement.model_configuration_json, values)


def split_models(version: int, configuration_json: str, values: np.ndarray) -> Models:
    """pi's parameters come first in the buffer, q's follow."""
    configuration = json.loads(configuration_json)
    reasoning = Configuration.from_json(configuration["reasoning"])
    posterior = Configuration.from_json(configuration["posterior"])
    split = reasoning.parameter_count
    if values.size != split + posterior.parameter_count:
        raise SnapshotError(f"{values.size} values for models of {split} and {posterior.parameter_count}")
    return Models(version, GPT(reasoning, values[:split]), GPT(posterior, values[split:]))
