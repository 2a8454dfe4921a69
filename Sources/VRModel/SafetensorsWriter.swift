// Writing a safetensors file: tensors appended by name, streamed to disk atomically.

import Foundation
import VRTensor

/// Collects named tensors and metadata, then writes them as one safetensors file.
///
/// Tensors are stored in the order they were appended. Appending a `FloatBuffer` keeps a reference
/// to it rather than a copy, so the values written are those it holds when `write` runs.
public struct SafetensorsWriter {
    /// The header's `__metadata__` entries; written with keys sorted.
    public var metadata: [String: String]

    /// Tensors and their sources, in data order.
    private var entries: [(info: Safetensors.TensorInfo, source: Source)] = []
    /// Names already used.
    private var names: Set<String> = []
    /// Size of the data section so far.
    private var dataByteCount = 0

    /// Creates a writer with no tensors.
    /// - Parameter metadata: string entries for the header's `__metadata__` object.
    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    // MARK: - Adding tensors

    /// Adds an F32 tensor whose elements are `buffer[offset ..< offset + product(shape)]`.
    /// - Precondition: `name` is new and not `__metadata__`; dimensions are non-negative; the range
    ///   lies inside `buffer`.
    /// - Parameters:
    ///   - name: the tensor's name.
    ///   - shape: the tensor's shape.
    ///   - buffer: the buffer holding the elements.
    ///   - offset: index of the first element in `buffer`.
    public mutating func append(_ name: String, shape: [Int], from buffer: FloatBuffer, offset: Int = 0) {
        let count = shape.reduce(1, *)
        precondition(
            offset >= 0 && offset + count <= buffer.count,
            "tensor '\(name)' needs elements \(offset)..<\(offset + count) of a buffer of \(buffer.count)")
        append(name, .f32, shape: shape, count: count, source: .buffer(buffer, range: offset..<(offset + count)))
    }

    /// Adds an F32 tensor.
    /// - Precondition: `name` is new and not `__metadata__`; `values.count` is the product of `shape`.
    /// - Parameters:
    ///   - name: the tensor's name.
    ///   - shape: the tensor's shape.
    ///   - values: the elements, row-major.
    public mutating func append(_ name: String, shape: [Int], floats values: [Float]) {
        append(name, .f32, shape: shape, count: values.count, source: .floats(values))
    }

    /// Adds an I32 tensor.
    /// - Precondition: `name` is new and not `__metadata__`; `values.count` is the product of `shape`.
    /// - Parameters:
    ///   - name: the tensor's name.
    ///   - shape: the tensor's shape.
    ///   - values: the elements, row-major.
    public mutating func append(_ name: String, shape: [Int], int32s values: [Int32]) {
        append(name, .i32, shape: shape, count: values.count, source: .int32s(values))
    }

    /// Adds an I64 tensor.
    /// - Precondition: `name` is new and not `__metadata__`; `values.count` is the product of `shape`.
    /// - Parameters:
    ///   - name: the tensor's name.
    ///   - shape: the tensor's shape.
    ///   - values: the elements, row-major.
    public mutating func append(_ name: String, shape: [Int], int64s values: [Int64]) {
        append(name, .i64, shape: shape, count: values.count, source: .int64s(values))
    }

    // MARK: - Output

    /// Writes the file to `path` atomically (see `AtomicFile`), streaming tensors without copying them.
    /// - Precondition: the directory containing `path` exists.
    /// - Parameter path: the file to create or replace.
    /// - Throws: `ModelError.io` if writing fails; the file at `path` is then unchanged.
    public func write(to path: String) throws(ModelError) {
        try AtomicFile.write(to: path) { (output) throws(ModelError) in
            try output.write(headerWithLength())
            for entry in entries {
                try entry.source.withBytes { (bytes) throws(ModelError) in try output.write(bytes) }
            }
        }
    }

    /// The whole file as bytes.
    /// - Returns: the length field, the header and the data section.
    public func encoded() -> [UInt8] {
        var bytes = headerWithLength()
        bytes.reserveCapacity(bytes.count + dataByteCount)
        for entry in entries {
            entry.source.withBytes { (raw) throws(Never) in bytes.append(contentsOf: raw) }
        }
        return bytes
    }

    // MARK: - Helpers

    private mutating func append(
        _ name: String, _ dtype: Safetensors.DType, shape: [Int], count: Int, source: Source
    ) {
        precondition(name != Safetensors.metadataKey, "'\(name)' is reserved for metadata")
        precondition(!names.contains(name), "tensor '\(name)' appended twice")
        precondition(shape.allSatisfy { $0 >= 0 }, "tensor '\(name)' has a negative dimension: \(shape)")
        precondition(shape.reduce(1, *) == count, "tensor '\(name)' has \(count) elements, shape \(shape)")
        let byteCount = count * dtype.byteCount
        let info = Safetensors.TensorInfo(
            name: name, dtype: dtype, shape: shape, dataOffsets: dataByteCount..<(dataByteCount + byteCount))
        entries.append((info, source))
        names.insert(name)
        dataByteCount += byteCount
    }

    /// The 8-byte little-endian header length followed by the padded header.
    private func headerWithLength() -> [UInt8] {
        let header = Safetensors.encodeHeader(metadata: metadata, tensors: entries.map(\.info))
        let length = UInt64(header.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + header
    }
}

/// Where a tensor's elements come from.
private enum Source {
    case buffer(FloatBuffer, range: Range<Int>)
    case floats([Float])
    case int32s([Int32])
    case int64s([Int64])

    /// Calls `body` with the elements' bytes (native order, which is little-endian here).
    func withBytes<Failure: Error>(_ body: (UnsafeRawBufferPointer) throws(Failure) -> Void) throws(Failure) {
        switch self {
        case .buffer(let buffer, let range):
            try body(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer.buffer[range])))
        case .floats(let values): try Self.withBytes(of: values, body)
        case .int32s(let values): try Self.withBytes(of: values, body)
        case .int64s(let values): try Self.withBytes(of: values, body)
        }
    }

    private static func withBytes<Element, Failure: Error>(
        of values: [Element], _ body: (UnsafeRawBufferPointer) throws(Failure) -> Void
    ) throws(Failure) {
        try values.withUnsafeBufferPointer { (elements) throws(Failure) in try body(UnsafeRawBufferPointer(elements)) }
    }
}
