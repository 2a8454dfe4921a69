// A heap buffer of float32 values with a stable, 64-byte aligned address.

/// A fixed-size, 64-byte aligned buffer of `Float` values, zero-initialised.
///
/// The buffer owns its memory; pointers taken from `pointer` stay valid for the buffer's lifetime.
/// It is not synchronised: share it across threads only for disjoint writes or read-only access.
public final class FloatBuffer: @unchecked Sendable {
    /// Number of `Float` elements.
    public let count: Int
    /// The first element, valid until the buffer is deallocated.
    public let pointer: UnsafeMutablePointer<Float>

    /// Allocates `count` zeros.
    /// - Parameter count: number of elements, at least 0.
    public init(count: Int) {
        precondition(count >= 0, "FloatBuffer count must be non-negative, got \(count)")
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
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
        pointer.deallocate()
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
