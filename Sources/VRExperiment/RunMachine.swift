// The machine a run takes place on, as the results name it.

import Foundation
import VRTensor

/// Names this machine in the results: its processor, cores and operating system.
enum RunMachine {
    /// For example "Intel(R) Xeon(R) Processor @ 2.80GHz, 2 cores, Debian GNU/Linux 12 (bookworm)".
    static var current: String {
        "\(Processor.modelName), \(ProcessInfo.processInfo.activeProcessorCount) cores, "
            + ProcessInfo.processInfo.operatingSystemVersionString
    }

    /// The machines of a pool's parts: the one they share, or each joined by "; " in order of first appearance,
    /// "not recorded" standing for parts that name none; nil when no part names its machine.
    static func joined(_ machines: [String?]) -> String? {
        guard machines.contains(where: { $0 != nil }) else { return nil }
        var distinct: [String] = []
        for machine in machines.map({ $0 ?? "not recorded" }) where !distinct.contains(machine) {
            distinct.append(machine)
        }
        return distinct.joined(separator: "; ")
    }
}
