// SIMD building blocks shared by the kernels: unaligned 16-lane loads and stores, exp, tanh, reductions.
//
// exp follows the Cephes expf scheme: x = n*ln2 + r with |r| <= ln2/2, exp(r) by a degree-6 polynomial,
// 2^n assembled in the exponent bits. Relative error is below 2e-7 on [-87, 88].

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sixteen float lanes, the width every kernel loop works in.
public typealias Float16Lanes = SIMD16<Float>

/// Vectorised math on contiguous float rows.
public enum VectorMath {
    /// The instruction set the Swift kernels are compiled for (Package.swift's `kernelSettings`): x86-64-v3 on
    /// x86-64, so every x86-64 machine that runs `vr` runs them with AVX2 and FMA; the architecture's baseline
    /// (NEON on aarch64) elsewhere.
    public static var instructionSet: String {
        #if arch(x86_64)
            "x86-64-v3"
        #elseif arch(arm64)
            "neon"
        #else
            "baseline"
        #endif
    }

    /// Loads 16 floats starting at `pointer` (no alignment required).
    @inline(__always)
    public static func load(_ pointer: UnsafePointer<Float>) -> Float16Lanes {
        UnsafeRawPointer(pointer).loadUnaligned(as: Float16Lanes.self)
    }

    /// Stores 16 floats starting at `pointer` (no alignment required).
    @inline(__always)
    public static func store(_ value: Float16Lanes, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Float16Lanes.self)
    }

    /// Loads `count < 16` floats, filling the remaining lanes with `padding`.
    @inline(__always)
    static func loadPartial(_ pointer: UnsafePointer<Float>, count: Int, padding: Float) -> Float16Lanes {
        var value = Float16Lanes(repeating: padding)
        for lane in 0..<count { value[lane] = pointer[lane] }
        return value
    }

    /// Stores the first `count < 16` lanes of `value`.
    @inline(__always)
    static func storePartial(_ value: Float16Lanes, _ pointer: UnsafeMutablePointer<Float>, count: Int) {
        for lane in 0..<count { pointer[lane] = value[lane] }
    }

    /// e^x for each lane; inputs are clamped to [-87.3, 88.3], so the result is finite and positive.
    @inline(__always)
    public static func exp(_ x: Float16Lanes) -> Float16Lanes {
        var x = x.replacing(with: 88.3, where: x .> 88.3)
        x.replace(with: -87.3, where: x .< -87.3)
        // n = round(x / ln 2) by the 1.5 * 2^23 trick: the low mantissa bits of `shifted` hold n.
        let magic = Float16Lanes(repeating: 12_582_912)
        let shifted = x * 1.442_695_04 + magic
        let n = shifted - magic
        let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p = Float16Lanes(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        p = p * r * r + r + 1
        let exponentBits = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000 &+ 127
        return p * unsafeBitCast(exponentBits &<< 23, to: Float16Lanes.self)
    }

    /// tanh(x) for each lane, as 1 - 2 / (e^{2x} + 1).
    @inline(__always)
    public static func tanh(_ x: Float16Lanes) -> Float16Lanes {
        1 - 2 / (exp(x + x) + 1)
    }

    /// The largest of `count` values (`-infinity` when `count` is 0).
    public static func maximum(_ pointer: UnsafePointer<Float>, count: Int) -> Float {
        var best = Float16Lanes(repeating: -.infinity)
        var index = 0
        while index + 16 <= count {
            let value = load(pointer + index)
            best.replace(with: value, where: value .> best)
            index += 16
        }
        var result = -Float.infinity
        for lane in 0..<16 where best[lane] > result { result = best[lane] }
        while index < count {
            if pointer[index] > result { result = pointer[index] }
            index += 1
        }
        return result
    }

    /// log(sum_i e^{x_i}) of `count > 0` values, computed stably (max subtracted first).
    public static func logSumExp(_ pointer: UnsafePointer<Float>, count: Int) -> Float {
        let top = maximum(pointer, count: count)
        if !top.isFinite { return top }
        var total = Float16Lanes()
        var index = 0
        while index + 16 <= count {
            total += exp(load(pointer + index) - top)
            index += 16
        }
        if index < count {
            let rest = loadPartial(pointer + index, count: count - index, padding: -.infinity)
            total += exp(rest - top).replacing(with: 0, where: rest .== -.infinity)
        }
        return top + ScalarMath.log(total.sum())
    }

    /// Replaces `count` values in place by their softmax, scaled by `scale` first: softmax(scale * x).
    public static func softmaxInPlace(_ pointer: UnsafeMutablePointer<Float>, count: Int, scale: Float = 1) {
        let top = maximum(pointer, count: count) * scale
        var total = Float16Lanes()
        var index = 0
        while index + 16 <= count {
            let value = exp(load(pointer + index) * scale - top)
            store(value, pointer + index)
            total += value
            index += 16
        }
        var tail: Float = 0
        while index < count {
            let value = ScalarMath.exp(pointer[index] * scale - top)
            pointer[index] = value
            tail += value
            index += 1
        }
        let inverse = 1 / (total.sum() + tail)
        scaleInPlace(pointer, count: count, by: inverse)
    }

    /// Multiplies `count` values in place by `factor`.
    public static func scaleInPlace(_ pointer: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
        var index = 0
        while index + 16 <= count {
            store(load(pointer + index) * factor, pointer + index)
            index += 16
        }
        while index < count {
            pointer[index] *= factor
            index += 1
        }
    }

    /// The dot product of two rows of `count` values.
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var total = Float16Lanes()
        var index = 0
        while index + 16 <= count {
            total += load(a + index) * load(b + index)
            index += 16
        }
        var tail: Float = 0
        while index < count {
            tail += a[index] * b[index]
            index += 1
        }
        return total.sum() + tail
    }

    /// `y += alpha * x` over `count` values.
    public static func addScaled(
        _ x: UnsafePointer<Float>, alpha: Float, into y: UnsafeMutablePointer<Float>, count: Int
    ) {
        var index = 0
        while index + 16 <= count {
            store(load(y + index) + alpha * load(x + index), y + index)
            index += 16
        }
        while index < count {
            y[index] += alpha * x[index]
            index += 1
        }
    }

    /// `out = a + b` elementwise over `count` values (`out` may alias `a` or `b`), in parallel when large.
    public static func add(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int
    ) {
        ComputePool.shared.forEachRange(count, minimumPerSlice: 1 << 15) { range in
            var index = range.lowerBound
            while index + 16 <= range.upperBound {
                store(load(a + index) + load(b + index), out + index)
                index += 16
            }
            while index < range.upperBound {
                out[index] = a[index] + b[index]
                index += 1
            }
        }
    }
}

/// Scalar libm functions under names that do not clash with the SIMD ones.
enum ScalarMath {
    @inline(__always) static func exp(_ x: Float) -> Float { expf(x) }
    @inline(__always) static func log(_ x: Float) -> Float { logf(x) }
}
