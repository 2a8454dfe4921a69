// What can be wrong with a GGUF file.

/// A GGUF file that cannot be read, or a tensor that is not in it.
public enum GGUFError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is missing or cannot be read.
    case io(path: String, reason: String)
    /// The bytes do not form a valid GGUF file: the reason names the part.
    case malformed(path: String, reason: String)
    /// A tensor's element type is one this reader does not dequantize.
    case unsupportedType(path: String, tensor: String, type: String)
    /// No tensor of that name is in the file.
    case missingTensor(path: String, name: String)

    /// A message naming the file and what is wrong.
    public var description: String {
        switch self {
        case .io(let path, let reason): "\(path): \(reason)"
        case .malformed(let path, let reason): "\(path): not a valid GGUF file: \(reason)"
        case .unsupportedType(let path, let tensor, let type):
            "\(path): tensor \(tensor) has type \(type), which is not supported (supported: "
                + GGMLType.allCases.map(\.description).joined(separator: ", ") + ")"
        case .missingTensor(let path, let name): "\(path): no tensor named \(name)"
        }
    }
}
