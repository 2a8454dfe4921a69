// Reading a safetensors file: validated header, metadata and tensors copied out by name.

import Foundation

/// A validated safetensors file whose tensors can be copied out by name.
///
/// Opening checks the whole structure (header length, JSON, element types, shapes, offsets, packing),
/// so accessors only fail for a wrong name or element type. The file is memory-mapped, not read.
public struct SafetensorsFile: Sendable {
    /// The path the file was read from; used in error messages.
    public let path: String
    /// The header's `__metadata__` entries (empty if there are none).
    public let metadata: [String: String]
    /// Every tensor, in data-section order.
    public let tensors: [Safetensors.TensorInfo]

    /// The whole file.
    private let contents: Data
    /// Offset of the data section in `contents`.
    private let dataStart: Int
    /// Index into `tensors` by name.
    private let indexByName: [String: Int]

    /// Opens and validates the file at `path`.
    /// - Parameter path: a safetensors file.
    /// - Throws: `ModelError.invalidCheckpoint` if the file is missing or malformed, `ModelError.io`
    ///   if it cannot be read.
    public init(path: String) throws(ModelError) {
        let contents: Data
        do {
            contents = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            guard FileManager.default.fileExists(atPath: path) else {
                throw .invalidCheckpoint(path: path, reason: "file does not exist")
            }
            throw .io(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        try self.init(contents: contents, path: path)
    }

    /// Validates a safetensors file held in memory.
    /// - Parameters:
    ///   - contents: the file's bytes.
    ///   - path: where the bytes came from, for error messages.
    /// - Throws: `ModelError.invalidCheckpoint` naming what is malformed.
    public init(contents: Data, path: String) throws(ModelError) {
        // Rebase so that indices start at 0 whatever slice was passed in.
        let contents = contents.startIndex == 0 ? contents : Data(contents)
        self.path = path
        self.contents = contents
        guard contents.count >= 8 else {
            throw .invalidCheckpoint(
                path: path, reason: "file is \(contents.count) bytes, shorter than the 8-byte header length")
        }
        let headerLength = contents.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerLength <= UInt64(Safetensors.maxHeaderByteCount) else {
            throw .invalidCheckpoint(
                path: path,
                reason: "header length \(headerLength) exceeds the limit of \(Safetensors.maxHeaderByteCount) bytes")
        }
        guard headerLength <= UInt64(contents.count - 8) else {
            throw .invalidCheckpoint(
                path: path,
                reason: "header length \(headerLength) exceeds the \(contents.count - 8) bytes after the length field")
        }
        dataStart = 8 + Int(headerLength)
        let header: Safetensors.Header
        do {
            header = try Safetensors.Header(
                json: contents.subdata(in: 8..<dataStart), dataByteCount: contents.count - dataStart)
        } catch {
            throw .invalidCheckpoint(path: path, reason: error.reason)
        }
        metadata = header.metadata
        tensors = header.tensors
        indexByName = Dictionary(uniqueKeysWithValues: tensors.enumerated().map { ($1.name, $0) })
    }

    // MARK: - Tensors

    /// The description of the tensor called `name`, if the file has one.
    /// - Parameter name: a tensor name.
    /// - Returns: the tensor's element type, shape and offsets, or `nil`.
    public func tensor(named name: String) -> Safetensors.TensorInfo? {
        indexByName[name].map { tensors[$0] }
    }

    /// Copies an F32 tensor into `destination`, which must hold exactly its elements.
    /// - Precondition: `destination.count` equals the tensor's element count.
    /// - Parameters:
    ///   - name: the tensor's name.
    ///   - destination: where to copy the elements.
    /// - Throws: `ModelError.invalidCheckpoint` if there is no such tensor or it is not F32.
    public func copyFloats(named name: String, into destination: UnsafeMutableBufferPointer<Float>) throws(ModelError) {
        let tensor = try requireTensor(named: name, dtype: .f32)
        precondition(
            destination.count == tensor.elementCount,
            "tensor '\(name)' has \(tensor.elementCount) elements, destination holds \(destination.count)")
        copyBytes(of: tensor, into: UnsafeMutableRawBufferPointer(destination))
    }

    /// Copies a floating-point tensor of any width (F32, F16 or BF16) into `destination` as float32.
    /// - Precondition: `destination.count` equals the tensor's element count.
    /// - Parameters:
    ///   - name: the tensor's name.
    ///   - destination: where to write the elements.
    /// - Throws: `ModelError.invalidCheckpoint` if there is no such tensor or it holds integers.
    public func convertFloats(
        named name: String, into destination: UnsafeMutableBufferPointer<Float>
    ) throws(ModelError) {
        guard let tensor = tensor(named: name) else {
            throw .invalidCheckpoint(path: path, reason: "no tensor named '\(name)'")
        }
        precondition(
            destination.count == tensor.elementCount,
            "tensor '\(name)' has \(tensor.elementCount) elements, destination holds \(destination.count)")
        switch tensor.dtype {
        case .f32:
            copyBytes(of: tensor, into: UnsafeMutableRawBufferPointer(destination))
        case .f16, .bf16:
            let isBFloat = tensor.dtype == .bf16
            let start = dataStart + tensor.dataOffsets.lowerBound
            contents.withUnsafeBytes { source in
                let bytes = source.baseAddress.unsafelyUnwrapped + start
                for index in destination.indices {
                    let bits = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))
                    destination[index] =
                        isBFloat ? Float(bitPattern: UInt32(bits) << 16) : Float(Float16(bitPattern: bits))
                }
            }
        case .i32, .i64:
            throw .invalidCheckpoint(
                path: path, reason: "tensor '\(name)' has dtype \(tensor.dtype.rawValue), expected F32, F16 or BF16")
        }
    }

    /// The elements of an F32 tensor, row-major.
    /// - Parameter name: the tensor's name.
    /// - Returns: the elements.
    /// - Throws: `ModelError.invalidCheckpoint` if there is no such tensor or it is not F32.
    public func floats(named name: String) throws(ModelError) -> [Float] {
        try elements(named: name, dtype: .f32, as: Float.self)
    }

    /// The elements of an I32 tensor, row-major.
    /// - Parameter name: the tensor's name.
    /// - Returns: the elements.
    /// - Throws: `ModelError.invalidCheckpoint` if there is no such tensor or it is not I32.
    public func int32s(named name: String) throws(ModelError) -> [Int32] {
        try elements(named: name, dtype: .i32, as: Int32.self)
    }

    /// The elements of an I64 tensor, row-major.
    /// - Parameter name: the tensor's name.
    /// - Returns: the elements.
    /// - Throws: `ModelError.invalidCheckpoint` if there is no such tensor or it is not I64.
    public func int64s(named name: String) throws(ModelError) -> [Int64] {
        try elements(named: name, dtype: .i64, as: Int64.self)
    }

    // MARK: - Helpers

    private func requireTensor(
        named name: String, dtype: Safetensors.DType
    ) throws(ModelError)
        -> Safetensors.TensorInfo
    {
        guard let tensor = tensor(named: name) else {
            throw .invalidCheckpoint(path: path, reason: "no tensor named '\(name)'")
        }
        guard tensor.dtype == dtype else {
            throw .invalidCheckpoint(
                path: path, reason: "tensor '\(name)' has dtype \(tensor.dtype.rawValue), expected \(dtype.rawValue)")
        }
        return tensor
    }

    private func elements<Element: BitwiseCopyable>(
        named name: String, dtype: Safetensors.DType, as _: Element.Type
    ) throws(ModelError) -> [Element] {
        let tensor = try requireTensor(named: name, dtype: dtype)
        precondition(MemoryLayout<Element>.size == dtype.byteCount, "element type does not match \(dtype)")
        return [Element](unsafeUninitializedCapacity: tensor.elementCount) { buffer, initializedCount in
            copyBytes(of: tensor, into: UnsafeMutableRawBufferPointer(buffer))
            initializedCount = tensor.elementCount
        }
    }

    /// Copies the raw little-endian bytes of `tensor`; the caller sized `destination` to match.
    private func copyBytes(of tensor: Safetensors.TensorInfo, into destination: UnsafeMutableRawBufferPointer) {
        let start = dataStart + tensor.dataOffsets.lowerBound
        let end = dataStart + tensor.dataOffsets.upperBound
        contents.withUnsafeBytes { source in
            destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[start..<end]))
        }
    }
}
