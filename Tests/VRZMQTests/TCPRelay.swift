// A loopback TCP relay that can freeze: it keeps connections open but stops moving bytes, like a hung peer.

import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Forwards TCP connections from its own port to `127.0.0.1:upstreamPort` on a thread of its own.
///
/// `freeze()` stops reading, writing and accepting without closing anything: to each end the other looks
/// alive at the TCP level but silent, which only heartbeats can detect. `thaw()` resumes.
final class TCPRelay: @unchecked Sendable {
    struct Failure: Error { let call: String }

    let port: UInt16
    private let upstreamPort: UInt16
    private let listener: Int32
    private let state = Mutex((frozen: false, stopped: false, finished: false))
    /// Relay-thread confined.
    private var pairs: [(Int32, Int32)] = []

    init(upstreamPort: UInt16) throws {
        self.upstreamPort = upstreamPort
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw Failure(call: "socket") }
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(listener, 16) == 0 else { throw Failure(call: "bind/listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in run() }
        thread.start()
    }

    func freeze() { state.withLock { $0.frozen = true } }
    func thaw() { state.withLock { $0.frozen = false } }

    /// Stops the thread and closes every connection; waits up to 5 s for the thread.
    func stop() async {
        state.withLock { $0.stopped = true }
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while !state.withLock({ $0.finished }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }

    private func run() {
        while true {
            let (frozen, stopped) = state.withLock { ($0.frozen, $0.stopped) }
            if stopped { break }
            if frozen {
                usleep(5_000)
                continue
            }
            var items = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            for (a, b) in pairs {
                items.append(pollfd(fd: a, events: Int16(POLLIN), revents: 0))
                items.append(pollfd(fd: b, events: Int16(POLLIN), revents: 0))
            }
            guard poll(&items, nfds_t(items.count), 5) > 0 else { continue }
            var closed: Set<Int> = []
            for (index, (a, b)) in pairs.enumerated() {
                let fromA = items[1 + 2 * index].revents != 0 && !forward(from: a, to: b)
                let fromB = items[2 + 2 * index].revents != 0 && !forward(from: b, to: a)
                if fromA || fromB { closed.insert(index) }
            }
            for index in closed.sorted(by: >) {
                close(pairs[index].0)
                close(pairs[index].1)
                pairs.remove(at: index)
            }
            if items[0].revents != 0 { acceptConnection() }
        }
        for (a, b) in pairs {
            close(a)
            close(b)
        }
        close(listener)
        state.withLock { $0.finished = true }
    }

    private func acceptConnection() {
        let client = accept(listener, nil, nil)
        guard client >= 0 else { return }
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(port: upstreamPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if connected == 0 {
            pairs.append((client, upstream))
        } else {
            close(client)
            close(upstream)
        }
    }

    /// Moves what is readable on `source` to `target`; false when either side closed.
    private func forward(from source: Int32, to target: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        let count = recv(source, &buffer, buffer.count, 0)
        guard count > 0 else { return false }
        var offset = 0
        while offset < count {
            // MSG_NOSIGNAL: a peer that closed must not kill the test process with SIGPIPE.
            let written = buffer[offset..<count].withUnsafeBytes {
                send(target, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }
}
