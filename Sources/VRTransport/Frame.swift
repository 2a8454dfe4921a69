// One frame of a multipart message: an immutable run of bytes, shared rather than copied.

/// A message made of frames, sent and delivered atomically: all frames or none.
public typealias Multipart = [Frame]

/// One frame of a multipart message: an immutable byte buffer.
///
/// Frames share their storage, so copying a `Frame` never copies bytes. A frame made from a `SharedBytes`
/// buffer is sent without copying by transports that can (ZeroMQ does for frames of 64 KiB and more), which
/// is how large parameter snapshots travel: as several raw frames of up to 16 MiB beside a small header frame.
///
/// Received bytes may be unaligned; read multi-byte values with `loadUnaligned(fromByteOffset:as:)`.
public struct Frame: Sendable {
    /// The bytes, shared with every copy of this frame.
    public let storage: SharedBytes

    /// Wraps a buffer without copying it.
    /// - Parameter storage: the bytes of the frame.
    public init(_ storage: SharedBytes) {
        self.storage = storage
    }

    /// Copies bytes into a new frame.
    /// - Parameter bytes: the content, e.g. an encoded protobuf envelope.
    public init(_ bytes: [UInt8]) {
        self.storage = SharedBytes(copying: bytes)
    }

    /// A frame holding the UTF-8 encoding of a string.
    /// - Parameter text: the content.
    public init(_ text: String) {
        self.storage = SharedBytes(copying: text.utf8)
    }

    /// Allocates a frame of `count` bytes and lets `body` write them.
    /// - Parameters:
    ///   - count: the number of bytes.
    ///   - body: writes the content into uninitialised memory.
    /// - Throws: whatever `body` throws.
    public init<E: Error>(
        count: Int, initializingWith body: (UnsafeMutableRawBufferPointer) throws(E) -> Void
    ) throws(E) {
        self.storage = try SharedBytes(count: count, initializingWith: body)
    }

    /// The number of bytes.
    public var count: Int { storage.count }

    /// Whether the frame has no bytes.
    public var isEmpty: Bool { storage.count == 0 }

    /// A copy of the bytes as an array.
    public var bytes: [UInt8] {
        storage.withUnsafeBytes { Array($0) }
    }

    /// Calls `body` with the bytes; the pointer must not escape the closure.
    /// - Parameter body: reads the bytes.
    /// - Returns: what `body` returns.
    /// - Throws: whatever `body` throws.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try storage.withUnsafeBytes(body)
    }
}

extension Frame: Equatable {
    /// Whether two frames hold the same bytes.
    public static func == (lhs: Frame, rhs: Frame) -> Bool {
        lhs.storage.hasSameBytes(as: rhs.storage)
    }
}

extension Frame: CustomStringConvertible {
    /// The size and the first bytes in hex, like `Frame(5 bytes: 68 65 6c 6c 6f)`.
    public var description: String {
        let shown = storage.withUnsafeBytes { $0.prefix(16).map { byte in hex(byte) } }
        let more = count > 16 ? " ..." : ""
        return "Frame(\(count) bytes: \(shown.joined(separator: " "))\(more))"
    }
}

extension Array where Element == Frame {
    /// The total number of payload bytes in all frames.
    public var byteCount: Int {
        reduce(0) { $0 + $1.count }
    }
}

/// Two lowercase hex digits.
func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
}
