// Where a daemon's HTTP status server listens: `HOST:PORT` from the command line, checked before binding.

/// A host and TCP port to listen on, written `HOST:PORT` or `[IPv6]:PORT`; port 0 picks a free port.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// The host name or address to bind.
    public let host: String
    /// The TCP port (0: any free port).
    public let port: Int

    /// Parses `HOST:PORT`.
    /// - Parameter text: such as `0.0.0.0:9090`, `127.0.0.1:0` or `[::1]:9090`.
    /// - Throws: `ObservabilityError.invalidAddress` naming what is wrong.
    public init(parsing text: String) throws(ObservabilityError) {
        guard let colon = text.lastIndex(of: ":") else {
            throw .invalidAddress("\"\(text)\" is not HOST:PORT")
        }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(where: \.isWhitespace) else {
            throw .invalidAddress("\"\(text)\" has no host before the port")
        }
        guard let port = Int(portText), (0...65_535).contains(port) else {
            throw .invalidAddress("\"\(text)\": the port must be a number in 0...65535")
        }
        self.host = host
        self.port = port
    }

    /// `HOST:PORT`, with brackets around an IPv6 host.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
