// Reading a GGUF file (llama.cpp's model format): validated header, metadata, and tensors dequantized to float32.
//
// Layout (version 2 and 3, little-endian): "GGUF", version u32, tensor count u64, metadata count u64; the
// metadata as (key string, value type u32, value); the tensor infos as (name string, dimension count u32,
// dimensions u64 each, innermost first, type u32, offset u64 from the data section); padding to
// `general.alignment` (default 32); the data section.

import Foundation

/// A validated GGUF file whose metadata can be read and whose tensors can be copied out as float32.
///
/// Opening checks the header, every metadata entry, and that every tensor of a known type lies inside the
/// data section; the file is memory-mapped, not read. Tensors are dequantized when they are read.
public struct GGUFFile: Sendable {
    /// The path the file was read from; used in error messages.
    public let path: String
    /// The format version (2 or 3).
    public let version: UInt32
    /// The metadata by key.
    public let metadata: [String: GGUFValue]
    /// Every tensor, in the order the file lists them.
    public let tensors: [GGUFTensorInfo]

    /// The whole file.
    private let contents: Data
    /// Index into `tensors` by name.
    private let indexByName: [String: Int]

    /// The most dimensions a tensor may have (ggml's GGML_MAX_DIMS).
    static let maximumDimensionCount = 4

    /// Opens and validates the file at `path`.
    /// - Parameter path: a `.gguf` file.
    /// - Throws: `GGUFError.io` if it cannot be read, `GGUFError.malformed` naming what is wrong.
    public init(path: String) throws(GGUFError) {
        let contents: Data
        do {
            contents = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            guard FileManager.default.fileExists(atPath: path) else {
                throw .io(path: path, reason: "file does not exist")
            }
            throw .io(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        try self.init(contents: contents, path: path)
    }

    /// Validates a GGUF file held in memory.
    /// - Parameters:
    ///   - contents: the file's bytes.
    ///   - path: where the bytes came from, for error messages.
    /// - Throws: `GGUFError.malformed` naming what is wrong.
    public init(contents: Data, path: String) throws(GGUFError) {
        let contents = contents.startIndex == 0 ? contents : Data(contents)
        self.path = path
        self.contents = contents
        let header = contents.withUnsafeBytes { bytes in
            Result { () throws(GGUFError) in try Self.parseHeader(bytes, path: path) }
        }
        (version, metadata, tensors) = try header.get()
        var indexByName: [String: Int] = [:]
        for (index, tensor) in tensors.enumerated() {
            guard indexByName.updateValue(index, forKey: tensor.name) == nil else {
                throw .malformed(path: path, reason: "two tensors are named \(tensor.name)")
            }
        }
        self.indexByName = indexByName
    }

    /// The tensor named `name`, if the file has it.
    public func tensor(named name: String) -> GGUFTensorInfo? {
        indexByName[name].map { tensors[$0] }
    }

    /// The values of the tensor named `name`, dequantized to float32, in row-major order of `shape`.
    /// - Parameter name: the tensor's name.
    /// - Returns: `elementCount` floats.
    /// - Throws: `GGUFError.missingTensor` or `GGUFError.unsupportedType`.
    public func floats(named name: String) throws(GGUFError) -> [Float] {
        guard let tensor = tensor(named: name) else { throw .missingTensor(path: path, name: name) }
        return try [Float](unsafeUninitializedCapacity: tensor.elementCount) { (buffer, count) throws(GGUFError) in
            try read(tensor, into: buffer)
            count = tensor.elementCount
        }
    }

    /// Dequantizes `tensor` into `destination`.
    /// - Parameters:
    ///   - tensor: one of `tensors`.
    ///   - destination: room for `tensor.elementCount` floats.
    /// - Throws: `GGUFError.unsupportedType` for a type this reader does not know.
    public func read(_ tensor: GGUFTensorInfo, into destination: UnsafeMutableBufferPointer<Float>) throws(GGUFError) {
        guard let type = tensor.type, let byteCount = tensor.byteCount else {
            throw .unsupportedType(path: path, tensor: tensor.name, type: tensor.typeName)
        }
        precondition(destination.count >= tensor.elementCount, "room for \(tensor.elementCount) floats")
        contents.withUnsafeBytes { bytes in
            let source = UnsafeRawBufferPointer(rebasing: bytes[tensor.fileOffset..<tensor.fileOffset + byteCount])
            Dequantization.dequantize(
                type, source, into: destination.baseAddress.unsafelyUnwrapped,
                blockCount: tensor.elementCount / type.blockValueCount)
        }
    }

    // MARK: - Parsing

    private static func parseHeader(
        _ bytes: UnsafeRawBufferPointer, path: String
    ) throws(GGUFError)
        -> (UInt32, [String: GGUFValue], [GGUFTensorInfo])
    {
        var cursor = GGUFCursor(bytes: bytes, path: path)
        let magic = try cursor.read(UInt32.self, "the magic number")
        guard magic == 0x4655_4747 else {
            throw .malformed(path: path, reason: "it does not start with \"GGUF\"")
        }
        let version = try cursor.read(UInt32.self, "the version")
        guard version == 2 || version == 3 else {
            throw .malformed(path: path, reason: "version \(version) is not supported (2 and 3 are)")
        }
        // A tensor info takes at least 28 bytes, a metadata entry at least 13.
        let tensorCount = try cursor.readCount("the tensor count", minimumElementBytes: 28)
        let metadataCount = try cursor.readCount("the metadata count", minimumElementBytes: 13)
        var metadata: [String: GGUFValue] = [:]
        for index in 0..<metadataCount {
            let key = try cursor.readString("the key of metadata entry \(index)")
            let type = try cursor.read(UInt32.self, "the value type of \(key)")
            let value = try cursor.readValue(type: type, "metadata \(key)")
            guard metadata.updateValue(value, forKey: key) == nil else {
                throw .malformed(path: path, reason: "metadata key \(key) appears twice")
            }
        }
        let alignment = try Self.alignment(metadata, path: path)
        var pending: [(name: String, shape: [Int], typeNumber: UInt32, offset: UInt64)] = []
        for index in 0..<tensorCount {
            let name = try cursor.readString("the name of tensor \(index)")
            let dimensionCount = Int(try cursor.read(UInt32.self, "the dimension count of \(name)"))
            guard (1...maximumDimensionCount).contains(dimensionCount) else {
                throw .malformed(path: path, reason: "tensor \(name) has \(dimensionCount) dimensions")
            }
            var dimensions: [Int] = []
            var elementCount = 1
            for axis in 0..<dimensionCount {
                let size = try cursor.read(UInt64.self, "dimension \(axis) of \(name)")
                guard size >= 1, size <= UInt64(bytes.count),
                    elementCount.multipliedReportingOverflow(by: Int(size)).overflow == false
                else {
                    throw .malformed(path: path, reason: "tensor \(name) has dimension \(axis) of size \(size)")
                }
                elementCount *= Int(size)
                dimensions.append(Int(size))
            }
            let typeNumber = try cursor.read(UInt32.self, "the type of \(name)")
            let offset = try cursor.read(UInt64.self, "the data offset of \(name)")
            pending.append((name, dimensions.reversed(), typeNumber, offset))
        }
        cursor.align(to: alignment)
        let dataStart = cursor.offset
        var tensors: [GGUFTensorInfo] = []
        for entry in pending {
            guard entry.offset % UInt64(alignment) == 0, entry.offset <= UInt64(bytes.count) else {
                throw .malformed(path: path, reason: "tensor \(entry.name) has data offset \(entry.offset)")
            }
            let info = GGUFTensorInfo(
                name: entry.name, shape: entry.shape, typeNumber: entry.typeNumber,
                type: GGMLType(rawValue: entry.typeNumber), fileOffset: dataStart + Int(entry.offset))
            if let type = info.type {
                guard let innermost = entry.shape.last, innermost % type.blockValueCount == 0 else {
                    throw .malformed(
                        path: path,
                        reason: "tensor \(entry.name) of type \(type) has rows of \(entry.shape.last ?? 0) values, "
                            + "not whole blocks of \(type.blockValueCount)")
                }
                let end = info.fileOffset.addingReportingOverflow(info.byteCount ?? 0)
                guard !end.overflow, end.partialValue <= bytes.count else {
                    throw .malformed(
                        path: path,
                        reason:
                            "tensor \(entry.name) needs \(info.byteCount ?? 0) bytes from offset \(info.fileOffset), "
                            + "past the end of the file (\(bytes.count) bytes); the file may be truncated")
                }
            }
            tensors.append(info)
        }
        return (version, metadata, tensors)
    }

    /// `general.alignment`, or 32 when it is absent.
    private static func alignment(_ metadata: [String: GGUFValue], path: String) throws(GGUFError) -> Int {
        guard let value = metadata["general.alignment"] else { return 32 }
        guard let alignment = value.int, alignment > 0, alignment & (alignment - 1) == 0, alignment <= 1 << 20 else {
            throw .malformed(path: path, reason: "general.alignment is \(value), not a power of two")
        }
        return alignment
    }
}
