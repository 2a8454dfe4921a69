// Restarts `vr` with OPENBLAS_CORETYPE set when OpenBLAS fell back to generic kernels on a modern CPU.

import Foundation
import VRTensor

/// The relaunch that selects fast OpenBLAS kernels on CPUs newer than the OpenBLAS build.
///
/// OpenBLAS reads `OPENBLAS_CORETYPE` only while it loads, so the only way to change its choice from inside
/// the process is to execute the same program again with the variable set. A value set by the user is
/// never overridden (see `BLASRuntime.recommendedCoreType`).
enum BLASRelaunch {
    /// Replaces the process with itself under the recommended `OPENBLAS_CORETYPE`, or returns when none is
    /// recommended or the re-execution fails (the program then runs on the kernels it has).
    static func relaunchIfNeeded() {
        guard
            let coreType = BLASRuntime.recommendedCoreType(
                environment: ProcessInfo.processInfo.environment, coreName: BLASRuntime.coreName,
                cpuFlags: Processor.flags)
        else { return }
        setenv("OPENBLAS_CORETYPE", coreType, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }
}
