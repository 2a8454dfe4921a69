// A heap buffer of int32 token ids with a stable address, for kernels that index by token.

/// A fixed-size buffer of `Int32` values (token ids, positions, targets) with a stable address.
public final class TokenBuffer: @unchecked Sendable {
    /// Number of elements.
    public let count: Int
    /// The first element, valid until the buffer is deallocated.
    public let pointer: UnsafeMutablePointer<Int32>

    /// Allocates a buffer holding a copy of `values`.
    /// - Parameter values: the elements.
    public init(_ values: [Int32]) {
        count = values.count
        pointer = UnsafeMutablePointer<Int32>.allocate(capacity: max(values.count, 1))
        pointer.initialize(repeating: 0, count: max(values.count, 1))
        for index in values.indices { pointer[index] = values[index] }
    }

    deinit {
        pointer.deallocate()
    }

    /// A copy of the elements as an array.
    public var array: [Int32] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
