// bfloat16 parameter snapshots: rounding to nearest even against hand-computed bit patterns, and whole snapshots
// through the codec.

import Testing
import VRCore
import VRWire

@Suite("Parameter encodings")
struct ParameterEncodingTests {
    @Test(
        "float32 -> bfloat16 rounds to nearest, ties to even; infinities stay, overflow rounds to infinity",
        arguments: [
            (0x3F80_0000, 0x3F80),  // 1
            (0xC000_0000, 0xC000),  // -2
            (0x3EAA_AAAB, 0x3EAB),  // 1/3: the dropped half 0xAAAB is above the midpoint
            (0x3F80_8000, 0x3F80),  // a tie below an even significand stays
            (0x3F81_8000, 0x3F82),  // a tie below an odd significand goes up to even
            (0x3F80_7FFF, 0x3F80),  // just under the midpoint
            (0x7F80_0000, 0x7F80),  // +infinity
            (0x7F7F_FFFF, 0x7F80),  // the largest float32 rounds to infinity
            (0x0000_0001, 0x0000),  // the smallest subnormal rounds to zero
            (0x8000_0000, 0x8000),  // -0
        ] as [(UInt32, UInt16)])
    func rounding(bits: UInt32, expected: UInt16) {
        #expect(ParameterEncoding.bfloat16(Float(bitPattern: bits)) == expected)
    }

    @Test("NaN stays NaN")
    func notANumber() {
        let quiet = ParameterEncoding.bfloat16(.nan)
        let signalling = ParameterEncoding.bfloat16(Float(bitPattern: 0x7F80_0001))
        #expect(Float(bitPattern: UInt32(quiet) << 16).isNaN && Float(bitPattern: UInt32(signalling) << 16).isNaN)
    }

    @Test(
        "a bfloat16 snapshot is half the bytes and arrives as the rounded values, within 2^-8 relative",
        arguments: [(1000, 256), (1001, 12), (7, 4)])
    func snapshot(count: Int, chunkByteCount: Int) throws {
        var generator = SeededGenerator(seed: 9)
        let values = (0..<count).map { _ in Float.random(in: -3...3, using: &generator) }
        var chunks: [SnapshotChunk] = []
        let announcement = values.withUnsafeBufferPointer { buffer in
            ParameterSnapshot.cut(
                [buffer], parameterVersion: 2, modelConfigurationJSON: "{}", chunkByteCount: chunkByteCount,
                encoding: .bfloat16
            ) { chunks.append($0) }
        }
        #expect(announcement.byteCount == UInt64(count * 2) && announcement.parameterCount == count)
        let codec = WireCodec()
        guard
            case .parameterAnnouncement(let received) = try codec.decode(
                codec.encode(.parameterAnnouncement(announcement), senderID: "learner")
            ).message
        else {
            Issue.record("not an announcement")
            return
        }
        #expect(received.encoding == .bfloat16)
        var assembler = try ParameterAssembler(announcement: received)
        for chunk in chunks {
            guard
                case .snapshotChunk(let decoded) = try codec.decode(codec.encode(.snapshotChunk(chunk), senderID: "l"))
                    .message
            else {
                Issue.record("not a chunk")
                return
            }
            try assembler.add(decoded)
        }
        let widened = try assembler.parameters()
        #expect(widened == values.map { Float(bitPattern: UInt32(ParameterEncoding.bfloat16($0)) << 16) })
        #expect(zip(widened, values).allSatisfy { abs($0 - $1) <= abs($1) * 0x1p-8 })
    }
}
