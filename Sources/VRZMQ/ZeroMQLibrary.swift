// Facts about the linked libzmq: its version and the optional capabilities it was built with.

import CZeroMQ

/// The system libzmq this binary links against.
public enum ZeroMQLibrary {
    /// The library's version, such as 4.3.4.
    public static var version: (major: Int, minor: Int, patch: Int) {
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return (Int(major), Int(minor), Int(patch))
    }

    /// The version as `major.minor.patch`.
    public static var versionString: String {
        let (major, minor, patch) = version
        return "\(major).\(minor).\(patch)"
    }

    /// Whether the library supports an optional capability such as `curve` or `ipc`.
    /// - Parameter capability: a name accepted by `zmq_has`.
    /// - Returns: true when the capability was compiled in.
    public static func has(_ capability: String) -> Bool {
        zmq_has(capability) == 1
    }
}
