import Testing
import VRTensor
import VRTestSupport

@Suite("incremental attention")
struct CachedAttentionTests {
    /// Shapes: a tiny head width (the generic path) and width 64 over more than one 16-position key tile
    /// (the register path).
    /// With `prefilled > 0` the first positions enter the cache through `prefill` (from the full pass's qkv
    /// rows) and only the rest are decoded.
    @Test(
        "decoding position by position against a cache equals full causal attention",
        arguments: [(3, 6, 8, 2, 0), (2, 37, 128, 2, 0), (2, 37, 128, 2, 20)])
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
        // Slots in reverse order: row r of each step belongs to sequence b - 1 - r.
        let slots = TokenBuffer((0..<b).reversed().map { Int32($0) })
        for sequence in 0..<b where prefilled > 0 {
            CachedAttention.prefill(
                qkv: qkv.pointer + sequence * t * 3 * c, rowCount: prefilled, slot: sequence, keys: keys.pointer,
                values: values.pointer, geometry: geometry)
        }
        for position in prefilled..<t {
            let step = FloatBuffer(count: b * 3 * c)
            for row in 0..<b {
                let sequence = b - 1 - row
                (step.pointer + row * 3 * c).update(from: qkv.pointer + (sequence * t + position) * 3 * c, count: 3 * c)
            }
            let out = FloatBuffer(count: b * c)
            CachedAttention.decode(
                qkv: step.pointer, slots: slots.pointer, rowCount: b, position: position, keys: keys.pointer,
                values: values.pointer, geometry: geometry, out: out.pointer)
            for row in 0..<b {
                let sequence = b - 1 - row
                for channel in 0..<c {
                    #expect(abs(out[row * c + channel] - full[(sequence * t + position) * c + channel]) < 1e-5)
                }
            }
        }
    }
}
