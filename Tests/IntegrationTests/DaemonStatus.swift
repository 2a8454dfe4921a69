// Reading a daemon's status server and its memory from a test.

import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The body and status of `GET url`.
func httpGet(_ url: String) async throws -> (status: Int, body: String) {
    let (data, response) = try await URLSession.shared.data(from: try #require(URL(string: url)))
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
}

extension VRProcess {
    /// The `http://HOST:PORT` the daemon logged for its status server (started with `--metrics-address`).
    func statusAddress() async throws -> String {
        #expect(await waitForLine(containing: "metrics on http://", seconds: 60), "\(output)")
        let line = try #require(lines(containing: "metrics on http://").first)
        let address = try #require(line.split(separator: " ").first { $0.hasPrefix("http://") })
        return String(address.dropLast("/metrics,".count))
    }

    /// The process's resident memory now and its peak so far, in bytes (`VmRSS` and `VmHWM` of
    /// `/proc/PID/status`).
    func residentMemory() throws -> (current: Int, peak: Int) {
        let status = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        func kilobytes(_ field: String) throws -> Int {
            let line = try #require(status.split(separator: "\n").first { $0.hasPrefix(field + ":") })
            return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        }
        return (try kilobytes("VmRSS") * 1024, try kilobytes("VmHWM") * 1024)
    }
}
