// A weight packed once into column panels, for the products with few rows that decoding makes.

import CKernels

/// A `[O, I]` weight (torch.nn.Linear layout) packed for `Linear.forward(input:packedWeight:...)`.
///
/// sgemm repacks its right operand on every call, which dominates products of 1-32 rows; packing once per
/// `sample` call and streaming the panels through a register-blocked kernel avoids it.
public final class PackedWeight {
    /// I, the inputs of each output.
    public let inputCount: Int
    /// O, the outputs.
    public let outputCount: Int
    /// The panels, `ceil(O / 32)` of `[I, 32]` each, zero past the last output.
    let storage: FloatBuffer

    /// The number of 32-column panels.
    var panelCount: Int { (outputCount + Int(VR_PANEL_WIDTH) - 1) / Int(VR_PANEL_WIDTH) }

    /// Packs a weight.
    /// - Parameters:
    ///   - weight: `[O, I]` row-major.
    ///   - outputCount: O.
    ///   - inputCount: I.
    public init(_ weight: UnsafePointer<Float>, outputCount: Int, inputCount: Int) {
        self.inputCount = inputCount
        self.outputCount = outputCount
        storage = FloatBuffer(count: vr_packed_count(inputCount, outputCount))
        vr_pack_weight(weight, outputCount, inputCount, storage.pointer)
    }
}

extension Linear {
    /// Products smaller than this many multiply-adds run on the calling thread.
    static let packedParallelThreshold = 1 << 16

    /// `out = input * weight^T + bias` with a packed weight; each output element is computed by one thread
    /// in a fixed order, so the result does not depend on the thread count.
    /// - Parameters:
    ///   - input: `[N, I]`.
    ///   - packedWeight: the weight, `[O, I]` before packing.
    ///   - bias: `[O]`, or nil for none.
    ///   - out: `[N, O]`, overwritten.
    ///   - rowCount: N.
    ///   - kernels: the kernel version to run, nil for the active one (`KernelInstructionSet.active`).
    /// - Precondition: `kernels` is nil or supported.
    public static func forward(
        input: UnsafePointer<Float>, packedWeight: PackedWeight, bias: UnsafePointer<Float>?,
        out: UnsafeMutablePointer<Float>, rowCount: Int, kernels: KernelInstructionSet? = nil
    ) {
        let (i, o) = (packedWeight.inputCount, packedWeight.outputCount)
        let panels = packedWeight.panelCount
        let packed = UnsafePointer(packedWeight.storage.pointer)
        let table = kernels.table
        let run = { (range: Range<Int>) in
            vr_packed_gemm(table, rowCount, i, o, input, i, packed, bias, out, o, range.lowerBound, range.upperBound)
        }
        if rowCount * i * o < packedParallelThreshold {
            run(0..<panels)
        } else {
            ComputePool.shared.forEachRange(panels, minimumPerSlice: 1, run)
        }
    }
}
