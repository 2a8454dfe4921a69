import Testing
import VRTensor
import VRTestSupport

@Suite("incremental attention")
struct CachedAttentionTests {
    /// Shapes: a tiny head width (the generic path); widths 64, 48 and 16 (the register paths) over more than one
    /// 16-position key tile, the last two over more than four (tiles scored four at a time, then one by one).
    /// With `prefilled > 0` the first positions enter the cache through `prefill` (from the full pass's qkv
    /// rows), a different number for each sequence, and only the rest are decoded; rows then sit at different
    /// positions in one step.
    @Test(
        "decoding position by position against a cache equals full causal attention",
        arguments: [(3, 6, 8, 2, 0), (2, 37, 128, 2, 0), (3, 37, 128, 2, 20), (2, 80, 96, 2, 0), (3, 75, 64, 4, 9)])
    func decodeMatchesFull(shape: (Int, Int, Int, Int, Int)) {
        let (b, t, c, h, prefilled) = shape
        let d = c / h
        let qkv = FiniteDifferences.randomBuffer(count: b * t * 3 * c, seed: 31)
        let full = FloatBuffer(count: b * t * c)
        let probabilities = FloatBuffer(count: b * h * t * t)
        CausalAttention.forward(
            qkv: qkv.pointer, probabilities: probabilities.pointer, out: full.pointer,
            shape: CausalAttention.Shape(batch: b, time: t, channels: c, heads: h))
        let geometry = CachedAttention.Geometry(heads: h, headWidth: d, capacity: t)
        let keys = FloatBuffer(count: geometry.cacheCount(slots: b))
        let values = FloatBuffer(count: geometry.cacheCount(slots: b))
        // Sequence s starts decoding at starts[s]; rows list the sequences in reverse order.
        let starts = (0..<b).map { prefilled > 0 ? prefilled + 7 * $0 : 0 }
        for sequence in 0..<b where starts[sequence] > 0 {
            CachedAttention.prefill(
                qkv: qkv.pointer + sequence * t * 3 * c, rowCount: starts[sequence], slot: sequence,
                keys: keys.pointer, values: values.pointer, geometry: geometry)
        }
        for step in 0..<t {
            let sequences = (0..<b).reversed().filter { starts[$0] + step < t }
            if sequences.isEmpty { break }
            let positions = sequences.map { starts[$0] + step }
            let rows = FloatBuffer(count: sequences.count * 3 * c)
            for (row, sequence) in sequences.enumerated() {
                (rows.pointer + row * 3 * c).update(
                    from: qkv.pointer + (sequence * t + positions[row]) * 3 * c, count: 3 * c)
            }
            let slots = TokenBuffer(sequences.map { Int32($0) })
            let rowPositions = TokenBuffer(positions.map { Int32($0) })
            let out = FloatBuffer(count: sequences.count * c)
            withExtendedLifetime((slots, rowPositions)) {
                CachedAttention.decode(
                    qkv: rows.pointer, slots: slots.pointer, rowCount: sequences.count,
                    positions: rowPositions.pointer, keys: keys.pointer, values: values.pointer, geometry: geometry,
                    out: out.pointer)
            }
            for (row, sequence) in sequences.enumerated() {
                for channel in 0..<c {
                    #expect(abs(out[row * c + channel] - full[(sequence * t + positions[row]) * c + channel]) < 1e-5)
                }
            }
        }
    }
}
