// Which compiled version of the decoding kernels runs: the widest the CPU supports, or the one `VR_KERNELS` names.

import CKernels

/// An instruction set the C decoding kernels (packed products, cached attention) are compiled for.
///
/// x86-64 builds carry the baseline (SSE2), AVX2 + FMA and AVX-512 versions; aarch64 builds carry NEON with
/// fused multiply-add. When the program loads, the widest version the CPU runs is selected.
public enum KernelInstructionSet: String, CaseIterable, Sendable, CustomStringConvertible {
    /// The architecture's baseline: SSE2 on x86-64, 4 lanes, no fused multiply-add.
    case baseline
    /// AVX2 with fused multiply-add: 8 lanes, 16 registers.
    case avx2
    /// AVX-512: 16 lanes, 32 registers.
    case avx512
    /// aarch64 NEON with fused multiply-add: 4 lanes, 32 registers.
    case neon

    /// The environment variable that selects a version for the whole process.
    public static let environmentVariable = "VR_KERNELS"

    /// The version the kernels run now.
    public static var active: KernelInstructionSet {
        switch vr_active_instruction_set() {
        case VR_INSTRUCTION_SET_AVX2: .avx2
        case VR_INSTRUCTION_SET_AVX512: .avx512
        case VR_INSTRUCTION_SET_NEON: .neon
        default: .baseline
        }
    }

    /// The versions this build has and this CPU runs, narrowest first.
    public static var supported: [KernelInstructionSet] { allCases.filter(\.isSupported) }

    /// Whether this build has this version and the CPU runs it.
    public var isSupported: Bool { table != nil }

    /// The name `VR_KERNELS` takes.
    public var description: String { rawValue }

    /// The C version's function table, nil when it is not supported.
    var table: UnsafePointer<vr_kernel_set>? { vr_kernel_set_for(cValue) }

    /// Makes every later kernel call run this version.
    /// - Throws: `KernelSelectionError.unsupported` when `isSupported` is false.
    public func select() throws(KernelSelectionError) {
        guard vr_select_kernel_set(cValue) == 0 else {
            throw .unsupported(self, supported: Self.supported)
        }
    }

    /// Selects the version `VR_KERNELS` names, if it is set.
    /// - Parameter environment: the process environment.
    /// - Throws: `KernelSelectionError` when the value names no version, or one this CPU cannot run.
    public static func selectFromEnvironment(_ environment: [String: String]) throws(KernelSelectionError) {
        guard let name = environment[environmentVariable] else { return }
        guard let set = KernelInstructionSet(rawValue: name) else {
            throw .unknown(name, supported: supported)
        }
        try set.select()
    }

    private var cValue: vr_instruction_set {
        switch self {
        case .baseline: VR_INSTRUCTION_SET_BASELINE
        case .avx2: VR_INSTRUCTION_SET_AVX2
        case .avx512: VR_INSTRUCTION_SET_AVX512
        case .neon: VR_INSTRUCTION_SET_NEON
        }
    }
}

extension Optional where Wrapped == KernelInstructionSet {
    /// The table the C entry points take: nil runs the active version.
    /// - Precondition: a named version is supported.
    var table: UnsafePointer<vr_kernel_set>? {
        guard let set = self else { return nil }
        guard let table = set.table else {
            preconditionFailure(
                KernelSelectionError.unsupported(set, supported: KernelInstructionSet.supported).description)
        }
        return table
    }
}
