// Where one tensor of a GGUF file is and what it holds.

/// A tensor's name, shape, element type and place in the file.
public struct GGUFTensorInfo: Equatable, Sendable {
    /// The tensor's name (`blk.0.attn_q.weight`, ...).
    public let name: String
    /// The shape, outermost dimension first as in PyTorch and safetensors: a `[out, in]` weight is stored with
    /// ggml's `ne = [in, out]` and has the shape `[out, in]` here.
    public let shape: [Int]
    /// ggml's number for the element type.
    public let typeNumber: UInt32
    /// The element type, nil when this reader does not know it (reading the tensor then fails).
    public let type: GGMLType?
    /// The first byte of the tensor's data, from the start of the file.
    public let fileOffset: Int

    /// The number of values.
    public var elementCount: Int { shape.reduce(1, *) }

    /// The bytes the data takes, for a known type.
    public var byteCount: Int? {
        type.map { elementCount / $0.blockValueCount * $0.blockByteCount }
    }

    /// The type's name: ggml's for known types, else the number.
    public var typeName: String {
        type?.description ?? GGMLType.unsupportedNames[typeNumber] ?? "number \(typeNumber)"
    }
}
