// Why `VR_KERNELS` or a requested kernel version cannot be used.

/// Why a kernel version could not be selected.
public enum KernelSelectionError: Error, Equatable, CustomStringConvertible {
    /// `VR_KERNELS` holds a name that is no instruction set.
    case unknown(String, supported: [KernelInstructionSet])
    /// The version is not in this build, or the CPU cannot run it.
    case unsupported(KernelInstructionSet, supported: [KernelInstructionSet])

    /// What went wrong and what would work.
    public var description: String {
        switch self {
        case .unknown(let name, let supported):
            "\(KernelInstructionSet.environmentVariable)=\(name) names no kernel version; this machine runs "
                + supported.map(\.rawValue).joined(separator: ", ")
        case .unsupported(let set, let supported):
            "the \(set) kernels cannot run here (this build for this CPU has "
                + supported.map(\.rawValue).joined(separator: ", ") + ")"
        }
    }
}
