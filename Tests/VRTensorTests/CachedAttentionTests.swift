import Testing
import VRTensor
import VRTestSupport

@Suite("incremental attention")
struct CachedAttentionTests {
    /// One attention shape.
    struct Shape: Sendable, CustomStringConvertible {
        /// Sequences, positions, query channels (H * D), query heads, key/value heads.
        let b: Int, t: Int, c: Int, h: Int, g: Int
        /// Positions of each sequence that enter the cache through `prefill` (0: none).
        let prefilled: Int

        init(_ b: Int, _ t: Int, _ c: Int, _ h: Int, _ g: Int, _ prefilled: Int) {
            (self.b, self.t, self.c, self.h, self.g, self.prefilled) = (b, t, c, h, g, prefilled)
        }

        /// Width of a qkv row.
        var w: Int { c + 2 * g * (c / h) }
        var description: String { "B\(b) T\(t) C\(c) H\(h) G\(g) prefilled \(prefilled)" }
    }

    /// Head widths 3 (no vector path), 8 and 24 (whole AVX2 vectors but not AVX-512 ones), 64, 48 and 16 (whole
    /// vectors of every width), 128 (value rows summed in several column chunks), over one or more 16-position key
    /// tiles and more than four (tiles scored several at a time, then one by one); grouped-query shapes with two
    /// and three query heads per key/value head and with one key/value head for all. With `prefilled > 0` the
    /// first positions enter the cache through `prefill` (from the full pass's qkv rows), a different number for
    /// each sequence, and only the rest are decoded; rows then sit at different positions in one step.
    static let shapes = [
        Shape(3, 6, 6, 2, 2, 0), Shape(2, 37, 128, 2, 2, 0), Shape(3, 37, 128, 2, 2, 20), Shape(2, 80, 96, 2, 2, 0),
        Shape(3, 75, 64, 4, 4, 9), Shape(2, 41, 16, 2, 2, 5), Shape(2, 70, 48, 2, 2, 3), Shape(2, 35, 256, 2, 2, 4),
        Shape(2, 37, 128, 4, 2, 6), Shape(3, 41, 96, 6, 2, 0), Shape(2, 33, 96, 6, 1, 7),
    ]

    /// Decodes every position of `shape` that `prefill` does not cover, through `kernels`; returns the outputs
    /// of each step's rows with the sequence and position of each row.
    static func decode(
        _ shape: Shape, qkv: FloatBuffer, kernels: KernelInstructionSet
    ) -> [(sequence: Int, position: Int, out: [Float])] {
        let (b, t, c, w, prefilled) = (shape.b, shape.t, shape.c, shape.w, shape.prefilled)
        let geometry = CachedAttention.Geometry(
            heads: shape.h, keyValueHeads: shape.g, headWidth: c / shape.h, capacity: t)
        let keys = FloatBuffer(count: geometry.cacheCount(slots: b))
        let values = FloatBuffer(count: geometry.cacheCount(slots: b))
        // Sequence s starts decoding at starts[s]; rows list the sequences in reverse order.
        let starts = (0..<b).map { prefilled > 0 ? prefilled + 7 * $0 : 0 }
        for sequence in 0..<b where starts[sequence] > 0 {
            CachedAttention.prefill(
                qkv: qkv.pointer + sequence * t * w, rowCount: starts[sequence], slot: sequence,
                keys: keys.pointer, values: values.pointer, geometry: geometry)
        }
        var results: [(sequence: Int, position: Int, out: [Float])] = []
        for step in 0..<t {
            let sequences = (0..<b).reversed().filter { starts[$0] + step < t }
            if sequences.isEmpty { break }
            let positions = sequences.map { starts[$0] + step }
            let rows = FloatBuffer(count: sequences.count * w)
            for (row, sequence) in sequences.enumerated() {
                (rows.pointer + row * w).update(from: qkv.pointer + (sequence * t + positions[row]) * w, count: w)
            }
            let slots = TokenBuffer(sequences.map { Int32($0) })
            let rowPositions = TokenBuffer(positions.map { Int32($0) })
            let out = FloatBuffer(count: sequences.count * c)
            withExtendedLifetime((slots, rowPositions)) {
                CachedAttention.decode(
                    qkv: rows.pointer, slots: slots.pointer, rowCount: sequences.count,
                    positions: rowPositions.pointer, keys: keys.pointer, values: values.pointer, geometry: geometry,
                    out: out.pointer, kernels: kernels)
            }
            for (row, sequence) in sequences.enumerated() {
                results.append((sequence, positions[row], Array(out.buffer[row * c..<(row + 1) * c])))
            }
        }
        return results
    }

    @Test(
        "decoding position by position against a cache equals full causal attention, for every kernel version",
        arguments: shapes, KernelInstructionSet.supported)
    func decodeMatchesFull(shape: Shape, kernels: KernelInstructionSet) {
        let (b, t, c, h) = (shape.b, shape.t, shape.c, shape.h)
        let qkv = FiniteDifferences.randomBuffer(count: b * t * shape.w, seed: 31)
        let full = FloatBuffer(count: b * t * c)
        let probabilities = FloatBuffer(count: b * h * t * t)
        CausalAttention.forward(
            qkv: qkv.pointer, probabilities: probabilities.pointer, out: full.pointer,
            shape: CausalAttention.Shape(batch: b, time: t, heads: h, keyValueHeads: shape.g, headWidth: c / h))
        var worst: Float = 0
        for (sequence, position, out) in Self.decode(shape, qkv: qkv, kernels: kernels) {
            for channel in 0..<c {
                worst = max(worst, abs(out[channel] - full[(sequence * t + position) * c + channel]))
            }
        }
        #expect(worst < 1e-5, "\(kernels), shape \(shape): largest difference \(worst)")
    }

    @Test(
        "every kernel version's cached attention equals the baseline version's on the same inputs",
        arguments: shapes, KernelInstructionSet.supported.filter { $0 != .baseline && $0 != .neon })
    func matchesBaseline(shape: Shape, kernels: KernelInstructionSet) {
        let qkv = FiniteDifferences.randomBuffer(count: shape.b * shape.t * shape.w, seed: 37)
        let outputs = Self.decode(shape, qkv: qkv, kernels: kernels)
        let baseline = Self.decode(shape, qkv: qkv, kernels: .baseline)
        #expect(outputs.count == baseline.count)
        var worst: Float = 0
        for (row, expected) in zip(outputs, baseline) {
            #expect(row.sequence == expected.sequence && row.position == expected.position)
            for (value, reference) in zip(row.out, expected.out) { worst = max(worst, abs(value - reference)) }
        }
        // The versions differ only in fusing multiply and add: a few units in the last place.
        #expect(worst < 2e-6, "\(kernels), shape \(shape): largest difference \(worst)")
    }
}
