// What can be wrong with a CURVE key or key file.

/// A bad CURVE key, an unsafe or unreadable key file, or a libzmq without CURVE.
public enum CurveKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not a 40-character Z85 key.
    case invalidKey(source: String, reason: String)
    /// The file cannot be read or parsed.
    case unreadable(path: String, reason: String)
    /// A secret key file that group or others may read.
    case unsafePermissions(path: String, mode: UInt16)
    /// The file cannot be written, or already exists.
    case unwritable(path: String, reason: String)
    /// This libzmq was built without CURVE (libsodium).
    case unsupported

    /// The problem in a sentence that names the key or file.
    public var description: String {
        switch self {
        case .invalidKey(let source, let reason): "\(source): not a CURVE key: \(reason)"
        case .unreadable(let path, let reason): "cannot read the key file \(path): \(reason)"
        case .unsafePermissions(let path, let mode):
            "the secret key file \(path) is readable by others (mode \(String(mode, radix: 8))); "
                + "run `chmod 600 \(path)`"
        case .unwritable(let path, let reason): "cannot write the key file \(path): \(reason)"
        case .unsupported: "this libzmq was built without CURVE security (libsodium)"
        }
    }
}
