// Writing progress lines to standard output so that they show up promptly through pipes too, and starting this
// executable's daemons.

import Foundation
import VRExperiment

/// Prints `line` and flushes standard output.
/// - Parameter line: one line of progress.
@Sendable func printProgress(_ line: String) {
    print(line)
    fflush(nil)  // nil flushes every stream: progress shows up promptly through pipes too
}

/// A JSON value as one line with sorted keys.
func jsonLine(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
}

extension DaemonLauncher {
    /// A launcher of this `vr` executable's subcommands.
    static var running: DaemonLauncher {
        DaemonLauncher(executable: Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0]))
    }
}
