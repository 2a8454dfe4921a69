// The machine a benchmark ran on, recorded with every result.

import VRTensor

/// The processor and the kernels a measurement ran with: numbers from different machines are not comparable.
public struct MachineDescription: Sendable, Codable, Equatable {
    /// The processor's model name (`/proc/cpuinfo`).
    public var processor: String
    /// The instruction set the C decoding kernels ran with (`KernelInstructionSet`).
    public var kernels: String
    /// The instruction set the Swift kernels are compiled for (`VectorMath.instructionSet`).
    public var swiftKernels: String
    /// The OpenBLAS kernel family (`BLASRuntime.coreName`).
    public var blasKernels: String

    /// Describes a machine.
    /// - Parameters:
    ///   - processor: the processor's model name.
    ///   - kernels: the C kernels' instruction set.
    ///   - swiftKernels: the Swift kernels' instruction set.
    ///   - blasKernels: the OpenBLAS kernel family.
    public init(processor: String, kernels: String, swiftKernels: String, blasKernels: String) {
        self.processor = processor
        self.kernels = kernels
        self.swiftKernels = swiftKernels
        self.blasKernels = blasKernels
    }

    /// This process's machine and kernels.
    public static var current: MachineDescription {
        MachineDescription(
            processor: Processor.modelName, kernels: KernelInstructionSet.active.rawValue,
            swiftKernels: VectorMath.instructionSet, blasKernels: BLASRuntime.coreName)
    }

    /// One line for people: `AMD EPYC 9B14, C kernels avx512, Swift kernels x86-64-v3, OpenBLAS SkylakeX`.
    public var summary: String {
        "\(processor), C kernels \(kernels), Swift kernels \(swiftKernels), OpenBLAS \(blasKernels)"
    }
}
