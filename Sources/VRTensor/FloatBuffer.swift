// A heap buffer of float32 values with a stable, 64-byte aligned address. Large buffers are anonymous memory
// mappings, whose zero pages take no memory until written: an optimizer's moments in a process that never steps,
// or the rows of a workspace a smaller batch leaves unused, cost nothing.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fixed-size, 64-byte aligned buffer of `Float` values, zero-initialised.
///
/// The buffer owns its memory; pointers taken from `pointer` stay valid for the buffer's lifetime.
/// It is not synchronised: share it across threads only for disjoint writes or read-only access.
public final class FloatBuffer: @unchecked Sendable {
    /// Number of `Float` elements.
    public let count: Int
    /// The first element, valid until the buffer is deallocated.
    public let pointer: UnsafeMutablePointer<Float>
    /// The bytes mapped for the buffer, or 0 when it was allocated on the heap.
    private let mappedByteCount: Int

    /// Buffers of at least this many bytes are mapped rather than allocated and zeroed.
    static let mappingThreshold = 1 << 20

    /// Allocates `count` zeros.
    /// - Parameter count: number of elements, at least 0.
    public init(count: Int) {
        precondition(count >= 0, "FloatBuffer count must be non-negative, got \(count)")
        self.count = count
        let byteCount = max(count, 1) * 4
        if byteCount >= Self.mappingThreshold, let mapped = Self.map(byteCount) {
            // Fresh anonymous pages read as zeros and are page-aligned.
            mappedByteCount = byteCount
            pointer = mapped.bindMemory(to: Float.self, capacity: max(count, 1))
        } else {
            mappedByteCount = 0
            let raw = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
            pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
            pointer.initialize(repeating: 0, count: max(count, 1))
        }
    }

    /// Zeroed, page-aligned anonymous memory of `byteCount` bytes, or nil when the system refuses it.
    private static func map(_ byteCount: Int) -> UnsafeMutableRawPointer? {
        let address = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
        return address
    }

    /// Allocates a buffer holding a copy of `values`.
    /// - Parameter values: the elements to copy.
    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit {
        if mappedByteCount > 0 {
            munmap(UnsafeMutableRawPointer(pointer), mappedByteCount)
        } else {
            pointer.deallocate()
        }
    }

    /// The elements as a buffer pointer.
    public var buffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: pointer, count: count)
    }

    /// A copy of the elements as an array.
    public var array: [Float] { Array(buffer) }

    /// Sets every element to zero.
    public func zero() {
        pointer.update(repeating: 0, count: count)
    }

    /// Copies all elements of `other`, which must have the same count.
    /// - Parameter other: the source buffer.
    public func copy(from other: FloatBuffer) {
        precondition(other.count == count, "copy from \(other.count) into \(count) elements")
        pointer.update(from: other.pointer, count: count)
    }

    /// Reads or writes one element.
    public subscript(index: Int) -> Float {
        get {
            precondition(index >= 0 && index < count, "index \(index) out of 0..<\(count)")
            return pointer[index]
        }
        set {
            precondition(index >= 0 && index < count, "index \(index) out of 0..<\(count)")
            pointer[index] = newValue
        }
    }
}
