// Which OpenBLAS kernels this process runs, and which it should ask for on CPUs its build does not know.

import CBLAS

/// Facts about the linked OpenBLAS and the choice of its kernels.
///
/// OpenBLAS builds with `DYNAMIC_ARCH` pick their kernels from the CPU model at load time. A build older
/// than the CPU (Debian 12's 0.3.21 on Intel Emerald Rapids, for one) does not recognise it and falls back
/// to generic SSE3 kernels ("Prescott"), five times slower than the AVX-512 ones the CPU can run. The
/// environment variable `OPENBLAS_CORETYPE`, read when the library loads, overrides the choice.
public enum BLASRuntime {
    /// Kernel families that OpenBLAS uses when it does not recognise a modern CPU.
    static let genericCores: Set<String> = ["Prescott", "Core2", "Penryn", "Dunnington", "Katmai", "Atom"]

    /// The kernel family OpenBLAS selected, such as `SkylakeX` or `Haswell`.
    public static var coreName: String {
        String(cString: openblas_get_corename())
    }

    /// The library's build description (version and options).
    public static var buildDescription: String {
        String(cString: openblas_get_config())
    }

    /// The `OPENBLAS_CORETYPE` to request, or nil when the current choice should stand: the variable is
    /// already set, OpenBLAS found specific kernels, or the CPU lacks AVX2 and FMA.
    /// - Parameters:
    ///   - environment: the process environment (`OPENBLAS_CORETYPE` is looked up in it).
    ///   - coreName: the kernel family OpenBLAS selected.
    ///   - cpuFlags: the CPU's feature flags as `/proc/cpuinfo` names them.
    /// - Returns: `SkylakeX` for AVX-512 CPUs, `Haswell` for AVX2 + FMA CPUs, or nil.
    public static func recommendedCoreType(
        environment: [String: String], coreName: String, cpuFlags: Set<String>
    ) -> String? {
        guard environment["OPENBLAS_CORETYPE"] == nil, genericCores.contains(coreName) else { return nil }
        if cpuFlags.isSuperset(of: ["avx512f", "avx512dq", "avx512bw", "avx512vl"]) { return "SkylakeX" }
        if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }
}
