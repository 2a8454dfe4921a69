// Random, truncated and mutated frames never crash the decoder; they yield WireError (or a valid message).

import Testing
import VRCore
import VRWire

@Suite("Decoder fuzzing")
struct FuzzTests {
    let codec = WireCodec(vocabularySize: Samples.vocabularySize)

    @Test("every strict prefix of every message's envelope is rejected")
    func truncations() throws {
        var rejected = 0
        var expected = 0
        for message in Samples.allMessages {
            let frames = try codec.encode(message, senderID: Samples.workerID)
            expected += frames.map(\.count).reduce(0, +)
            for length in 0..<frames[0].count {
                var truncated = frames
                truncated[0] = Array(frames[0].prefix(length))
                #expect(throws: WireError.self) { try codec.decode(truncated) }
                rejected += 1
            }
            if frames.count == 2 {
                for length in 0..<frames[1].count {
                    #expect(throws: WireError.self) { try codec.decode([frames[0], Array(frames[1].prefix(length))]) }
                    rejected += 1
                }
            }
        }
        #expect(rejected == expected && rejected > 500)
    }

    @Test("10,000 mutated frames: each is rejected or decodes to a message that round-trips")
    func mutations() throws {
        var generator = SeededGenerator(seed: 0x5EED)
        let encoded = try Samples.allMessages.map { try codec.encode($0, senderID: Samples.workerID) }
        var outcomes = (rejected: 0, accepted: 0)
        for _ in 0..<10_000 {
            var frames = encoded.randomElement(using: &generator)!
            let flips = Int.random(in: 1...4, using: &generator)
            for _ in 0..<flips {
                let frame = frames.count == 2 && Bool.random(using: &generator) ? 1 : 0
                guard !frames[frame].isEmpty else { continue }
                let index = Int.random(in: 0..<frames[frame].count, using: &generator)
                frames[frame][index] ^= UInt8.random(in: 1...255, using: &generator)
            }
            tally(frames, into: &outcomes)
        }
        #expect(outcomes.rejected + outcomes.accepted == 10_000)
        #expect(outcomes.rejected > 5_000)
    }

    @Test("10,000 random frames of random counts and lengths never crash")
    func randomFrames() {
        var generator = SeededGenerator(seed: 42)
        var outcomes = (rejected: 0, accepted: 0)
        for _ in 0..<10_000 {
            let frameCount = Int.random(in: 0...3, using: &generator)
            let frames = (0..<frameCount).map { _ in
                (0..<Int.random(in: 0...96, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator)
                }
            }
            tally(frames, into: &outcomes)
        }
        #expect(outcomes.rejected > 9_900)
    }

    @Test("random bytes behind a valid header prefix never crash")
    func validPrefixRandomTail() throws {
        var generator = SeededGenerator(seed: 7)
        let batch = try codec.encode(.rolloutBatch(Samples.batch()), senderID: Samples.workerID)[0]
        var outcomes = (rejected: 0, accepted: 0)
        for _ in 0..<2_000 {
            let keep = Int.random(in: 0..<batch.count, using: &generator)
            let tail = (0..<Int.random(in: 1...64, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            tally([Array(batch.prefix(keep)) + tail], into: &outcomes)
        }
        #expect(outcomes.rejected > 1_500)
    }

    /// Decodes; an accepted message must re-encode and decode to itself.
    private func tally(_ frames: [[UInt8]], into outcomes: inout (rejected: Int, accepted: Int)) {
        do {
            let decoded = try codec.decode(frames)
            let again = try codec.decode(try codec.encode(decoded.message, senderID: decoded.senderID))
            #expect(again == decoded)
            outcomes.accepted += 1
        } catch {
            let wireError: WireError = error  // typed throws: nothing but WireError can arrive here
            #expect(!wireError.reason.isEmpty)
            outcomes.rejected += 1
        }
    }
}
