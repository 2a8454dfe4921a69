// Dequantization of ggml's block formats to float32, operation for operation as ggml's reference code
// (`dequantize_row_*` in ggml-quants.c), so that the results are the same floats.

/// The block decoders, one per `GGMLType`.
enum Dequantization {
    /// Decodes `blockCount` blocks of `type` from `source` into `destination`.
    static func dequantize(
        _ type: GGMLType, _ source: UnsafeRawBufferPointer, into destination: UnsafeMutablePointer<Float>,
        blockCount: Int
    ) {
        let base = source.baseAddress.unsafelyUnwrapped
        for block in 0..<blockCount {
            let input = base + block * type.blockByteCount
            let output = destination + block * type.blockValueCount
            switch type {
            case .f32: output.pointee = Float(bitPattern: UInt32(littleEndian: input.loadUnaligned(as: UInt32.self)))
            case .f16: output.pointee = half(input)
            case .bf16:
                output.pointee = Float(
                    bitPattern: UInt32(UInt16(littleEndian: input.loadUnaligned(as: UInt16.self))) << 16)
            case .q4_0: q4_0(input, output)
            case .q4_1: q4_1(input, output)
            case .q5_0: q5_0(input, output)
            case .q5_1: q5_1(input, output)
            case .q8_0: q8_0(input, output)
            case .q4_K: q4_K(input, output)
            case .q5_K: q5_K(input, output)
            case .q6_K: q6_K(input, output)
            }
        }
    }

    /// The IEEE half float at `pointer`.
    @inline(__always)
    static func half(_ pointer: UnsafeRawPointer) -> Float {
        Float(Float16(bitPattern: UInt16(littleEndian: pointer.loadUnaligned(as: UInt16.self))))
    }

    /// The little-endian u32 at `pointer`.
    @inline(__always)
    private static func word(_ pointer: UnsafeRawPointer) -> UInt32 {
        UInt32(littleEndian: pointer.loadUnaligned(as: UInt32.self))
    }

    // MARK: - Blocks of 32

    /// d (f16), qs[16]: x[j] = (low nibble - 8) d, x[j + 16] = (high nibble - 8) d.
    private static func q4_0(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(block)
        let qs = (block + 2).assumingMemoryBound(to: UInt8.self)
        for j in 0..<16 {
            y[j] = Float(Int(qs[j] & 0x0F) - 8) * d
            y[j + 16] = Float(Int(qs[j] >> 4) - 8) * d
        }
    }

    /// d, m (f16), qs[16]: x = q d + m.
    private static func q4_1(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let (d, m) = (half(block), half(block + 2))
        let qs = (block + 4).assumingMemoryBound(to: UInt8.self)
        for j in 0..<16 {
            y[j] = Float(qs[j] & 0x0F) * d + m
            y[j + 16] = Float(qs[j] >> 4) * d + m
        }
    }

    /// d (f16), qh (u32, the fifth bits), qs[16]: x = (q - 16) d.
    private static func q5_0(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(block)
        let qh = word(block + 2)
        let qs = (block + 6).assumingMemoryBound(to: UInt8.self)
        for j in 0..<16 {
            let high0 = UInt8(truncatingIfNeeded: (qh >> UInt32(j)) << 4) & 0x10
            let high1 = UInt8(truncatingIfNeeded: qh >> UInt32(j + 12)) & 0x10
            y[j] = Float(Int((qs[j] & 0x0F) | high0) - 16) * d
            y[j + 16] = Float(Int((qs[j] >> 4) | high1) - 16) * d
        }
    }

    /// d, m (f16), qh (u32), qs[16]: x = q d + m.
    private static func q5_1(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let (d, m) = (half(block), half(block + 2))
        let qh = word(block + 4)
        let qs = (block + 8).assumingMemoryBound(to: UInt8.self)
        for j in 0..<16 {
            let high0 = UInt8(truncatingIfNeeded: (qh >> UInt32(j)) << 4) & 0x10
            let high1 = UInt8(truncatingIfNeeded: qh >> UInt32(j + 12)) & 0x10
            y[j] = Float((qs[j] & 0x0F) | high0) * d + m
            y[j + 16] = Float((qs[j] >> 4) | high1) * d + m
        }
    }

    /// d (f16), qs[32] signed: x = q d.
    private static func q8_0(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(block)
        let qs = (block + 2).assumingMemoryBound(to: Int8.self)
        for j in 0..<32 { y[j] = Float(qs[j]) * d }
    }

    // MARK: - Super-blocks of 256

    /// The 6-bit scale and minimum of sub-block `j` from the 12 packed bytes of Q4_K and Q5_K.
    @inline(__always)
    private static func scaleAndMinimum(_ j: Int, _ q: UnsafePointer<UInt8>) -> (scale: UInt8, minimum: UInt8) {
        if j < 4 { return (q[j] & 63, q[j + 4] & 63) }
        return ((q[j + 4] & 0x0F) | ((q[j - 4] >> 6) << 4), (q[j + 4] >> 4) | ((q[j] >> 6) << 4))
    }

    /// d, dmin (f16), scales[12], qs[128]: each 32-value sub-block is d sc q - dmin m.
    private static func q4_K(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let (d, dmin) = (half(block), half(block + 2))
        let scales = (block + 4).assumingMemoryBound(to: UInt8.self)
        var q = (block + 16).assumingMemoryBound(to: UInt8.self)
        var y = y
        for pair in 0..<4 {
            let (scale1, minimum1) = scaleAndMinimum(2 * pair, scales)
            let (scale2, minimum2) = scaleAndMinimum(2 * pair + 1, scales)
            let (d1, m1) = (d * Float(scale1), dmin * Float(minimum1))
            let (d2, m2) = (d * Float(scale2), dmin * Float(minimum2))
            for l in 0..<32 { y[l] = d1 * Float(q[l] & 0x0F) - m1 }
            for l in 0..<32 { y[l + 32] = d2 * Float(q[l] >> 4) - m2 }
            q += 32
            y += 64
        }
    }

    /// d, dmin (f16), scales[12], qh[32], qs[128]: like Q4_K with a fifth bit from qh.
    private static func q5_K(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let (d, dmin) = (half(block), half(block + 2))
        let scales = (block + 4).assumingMemoryBound(to: UInt8.self)
        let qh = (block + 16).assumingMemoryBound(to: UInt8.self)
        var ql = (block + 48).assumingMemoryBound(to: UInt8.self)
        var y = y
        var (u1, u2): (UInt8, UInt8) = (1, 2)
        for pair in 0..<4 {
            let (scale1, minimum1) = scaleAndMinimum(2 * pair, scales)
            let (scale2, minimum2) = scaleAndMinimum(2 * pair + 1, scales)
            let (d1, m1) = (d * Float(scale1), dmin * Float(minimum1))
            let (d2, m2) = (d * Float(scale2), dmin * Float(minimum2))
            for l in 0..<32 { y[l] = d1 * Float((ql[l] & 0x0F) + (qh[l] & u1 != 0 ? 16 : 0)) - m1 }
            for l in 0..<32 { y[l + 32] = d2 * Float((ql[l] >> 4) + (qh[l] & u2 != 0 ? 16 : 0)) - m2 }
            ql += 32
            y += 64
            u1 <<= 2
            u2 <<= 2
        }
    }

    /// ql[128], qh[64], scales[16] (signed), d (f16): each 16-value sub-block is d sc (q - 32), q of 6 bits.
    private static func q6_K(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(block + 208)
        var ql = block.assumingMemoryBound(to: UInt8.self)
        var qh = (block + 128).assumingMemoryBound(to: UInt8.self)
        var scales = (block + 192).assumingMemoryBound(to: Int8.self)
        var y = y
        for _ in 0..<2 {
            for l in 0..<32 {
                let group = l / 16
                let q1 = Int(ql[l] & 0x0F | ((qh[l] >> 0) & 3) << 4) - 32
                let q2 = Int(ql[l + 32] & 0x0F | ((qh[l] >> 2) & 3) << 4) - 32
                let q3 = Int(ql[l] >> 4 | ((qh[l] >> 4) & 3) << 4) - 32
                let q4 = Int(ql[l + 32] >> 4 | ((qh[l] >> 6) & 3) << 4) - 32
                y[l] = d * Float(scales[group]) * Float(q1)
                y[l + 32] = d * Float(scales[group + 2]) * Float(q2)
                y[l + 64] = d * Float(scales[group + 4]) * Float(q3)
                y[l + 96] = d * Float(scales[group + 6]) * Float(q4)
            }
            y += 128
            ql += 64
            qh += 32
            scales += 8
        }
    }
}
