// An immutable byte buffer at a stable address, shared between frames, transports and libzmq without copying.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An immutable, reference-counted byte buffer whose address never changes while it is alive.
///
/// The bytes are written once, in the initializer, and never change afterwards; that is what makes it safe to
/// share one buffer between threads, and to hand it to libzmq for a zero-copy send (libzmq keeps the buffer
/// alive by retaining this object and releases it once the bytes are on the wire).
///
/// Buffers allocated here are 64-byte aligned. Buffers adopted from a transport (large received frames) may
/// start at any address, so read multi-byte values with `loadUnaligned(fromByteOffset:as:)`.
public final class SharedBytes: @unchecked Sendable {
    /// The alignment of buffers allocated by this type, in bytes (a cache line; enough for any SIMD load).
    public static let alignment = 64

    /// The number of bytes.
    public let count: Int
    /// The first byte; valid while this object is alive, and never written after initialisation.
    package let baseAddress: UnsafeMutableRawPointer
    /// What keeps adopted memory alive; nil when this object allocated the memory itself.
    private let owner: AnyObject?

    /// Allocates `count` bytes and lets `body` write them, once.
    ///
    /// - Parameters:
    ///   - count: the number of bytes, at least 0.
    ///   - body: writes the initial content; the buffer is uninitialised when it is called.
    /// - Throws: whatever `body` throws; the memory is released then.
    public init<E: Error>(
        count: Int, initializingWith body: (UnsafeMutableRawBufferPointer) throws(E) -> Void
    ) throws(E) {
        precondition(count >= 0, "SharedBytes count must be at least 0, got \(count)")
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: Self.alignment)
        do {
            try body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
        } catch {
            pointer.deallocate()
            throw error
        }
        self.count = count
        self.baseAddress = pointer
        self.owner = nil
    }

    /// Copies the bytes of a raw buffer.
    /// - Parameter bytes: the bytes to copy.
    public convenience init(copying bytes: UnsafeRawBufferPointer) {
        self.init(count: bytes.count) { destination in
            if let source = bytes.baseAddress, let target = destination.baseAddress {
                target.copyMemory(from: source, byteCount: bytes.count)
            }
        }
    }

    /// Copies the bytes of a collection such as `[UInt8]` or `String.UTF8View`.
    /// - Parameter bytes: the bytes to copy.
    public convenience init<C: Collection>(copying bytes: C) where C.Element == UInt8 {
        self.init(count: bytes.count) { destination in
            let copied: Void? = bytes.withContiguousStorageIfAvailable { source in
                destination.copyMemory(from: UnsafeRawBufferPointer(source))
            }
            if copied == nil {
                _ = destination.initializeMemory(as: UInt8.self, from: bytes)
            }
        }
    }

    /// Wraps memory owned by another object, without copying; `owner` is kept alive as long as this object.
    ///
    /// Used by transports to hand out large received frames without copying them.
    /// - Parameters:
    ///   - pointer: the first byte; must stay valid and unchanged while `owner` is alive.
    ///   - count: the number of bytes.
    ///   - owner: the object that owns the memory.
    package init(adopting pointer: UnsafeMutableRawPointer, count: Int, owner: AnyObject) {
        self.count = count
        self.baseAddress = pointer
        self.owner = owner
    }

    deinit {
        if owner == nil {
            baseAddress.deallocate()
        }
    }

    /// Calls `body` with the bytes; the pointer must not escape the closure.
    /// - Parameter body: reads the bytes.
    /// - Returns: what `body` returns.
    /// - Throws: whatever `body` throws.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: baseAddress, count: count))
    }

    /// Whether two buffers hold the same bytes (compared with `memcmp`).
    /// - Parameter other: the buffer to compare with.
    /// - Returns: true when the counts and all bytes agree.
    public func hasSameBytes(as other: SharedBytes) -> Bool {
        if self === other { return true }
        guard count == other.count else { return false }
        return count == 0 || memcmp(baseAddress, other.baseAddress, count) == 0
    }
}
