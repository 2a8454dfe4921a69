// The process's peak resident memory, as the kernel counts it.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Resident-set measurements of this process.
public enum ResidentMemory {
    /// The largest resident set this process has had so far, in MiB (`getrusage`'s `ru_maxrss`).
    public static var peakMebibytes: Double {
        var usage = rusage()
        #if canImport(Darwin)
            getrusage(RUSAGE_SELF, &usage)
            return Double(usage.ru_maxrss) / 1_048_576  // bytes on Darwin
        #else
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_maxrss) / 1024  // KiB on Linux
        #endif
    }
}
