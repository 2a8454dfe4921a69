// Key files: NAME.key holds a secret key (mode 0600), NAME.pub a public key; an allowlist holds one public
// key per line. Lines starting with `#` and blank lines are comments.

import Foundation

/// Reads and writes CURVE key files.
public enum CurveKeyFiles {
    /// Writes `NAME.key` (the secret key, mode 0600) and `NAME.pub` (the public key, mode 0644) into
    /// `directory`, each through a temporary file that is flushed to disk before it takes the final name.
    /// - Parameters:
    ///   - pair: the keys.
    ///   - directory: an existing directory.
    ///   - name: the file stem, such as `learner` or `worker-1`.
    /// - Returns: the paths of the secret and public key files.
    /// - Throws: `CurveKeyError.unwritable`, also when either file exists (keys are never overwritten).
    public static func write(
        _ pair: CurveKeyPair, directory: String, name: String
    ) throws(CurveKeyError)
        -> (secret: String, public: String)
    {
        guard !name.isEmpty, !name.contains("/") else {
            throw .unwritable(path: name, reason: "a key name must be non-empty and contain no '/'")
        }
        let secretPath = directory + "/" + name + ".key"
        let publicPath = directory + "/" + name + ".pub"
        for path in [secretPath, publicPath] where FileManager.default.fileExists(atPath: path) {
            throw .unwritable(path: path, reason: "it exists; keys are never overwritten")
        }
        try writeNew(
            "# vr CURVE secret key: keep it private\n\(pair.secretKey)\n", to: secretPath, mode: 0o600)
        try writeNew("# vr CURVE public key\n\(pair.publicKey)\n", to: publicPath, mode: 0o644)
        return (secretPath, publicPath)
    }

    /// Reads a secret key file and derives the public key.
    /// - Parameter path: the file.
    /// - Returns: the key pair.
    /// - Throws: `CurveKeyError.unsafePermissions` when group or others may read the file, `.unreadable`,
    ///   `.invalidKey`.
    public static func readSecret(_ path: String) throws(CurveKeyError) -> CurveKeyPair {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let mode = UInt16(status.st_mode & 0o777)
        guard mode & 0o077 == 0 else { throw .unsafePermissions(path: path, mode: mode) }
        let keys = try keyLines(path)
        guard keys.count == 1 else {
            throw .unreadable(path: path, reason: "expected one key line, found \(keys.count)")
        }
        return try CurveKeyPair(secretKey: keys[0].key, source: "\(path):\(keys[0].line)")
    }

    /// Reads a public key file.
    /// - Parameter path: the file.
    /// - Returns: the key.
    /// - Throws: `CurveKeyError.unreadable`, `.invalidKey`.
    public static func readPublic(_ path: String) throws(CurveKeyError) -> String {
        let keys = try keyLines(path)
        guard keys.count == 1 else {
            throw .unreadable(path: path, reason: "expected one key line, found \(keys.count)")
        }
        try CurveKeyPair.validate(keys[0].key, source: "\(path):\(keys[0].line)")
        return keys[0].key
    }

    /// Reads an allowlist: one public key per line.
    /// - Parameter path: the file.
    /// - Returns: the keys.
    /// - Throws: `CurveKeyError.unreadable` (also for an empty list), `.invalidKey` naming the line.
    public static func readAllowlist(_ path: String) throws(CurveKeyError) -> Set<String> {
        var allowed = Set<String>()
        for (line, key) in try keyLines(path) {
            try CurveKeyPair.validate(key, source: "\(path):\(line)")
            allowed.insert(key)
        }
        guard !allowed.isEmpty else { throw .unreadable(path: path, reason: "it lists no public keys") }
        return allowed
    }

    /// The non-comment lines of a file, trimmed, with their 1-based line numbers.
    private static func keyLines(_ path: String) throws(CurveKeyError) -> [(line: Int, key: String)] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap {
            index, line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty || trimmed.hasPrefix("#") ? nil : (index + 1, trimmed)
        }
    }

    /// Creates `path` with `mode` holding `text`: a temporary file created with that mode, synced, then linked
    /// to `path` (which fails if `path` exists) and unlinked.
    private static func writeNew(_ text: String, to path: String, mode: mode_t) throws(CurveKeyError) {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else { throw .unwritable(path: path, reason: String(cString: strerror(errno))) }
        defer { unlink(temporary) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced else {
            throw .unwritable(path: path, reason: "writing failed: \(String(cString: strerror(errno)))")
        }
        // umask may have narrowed the mode; the public key should be readable, the secret one stays 0600.
        chmod(temporary, mode)
        guard link(temporary, path) == 0 else {
            throw .unwritable(path: path, reason: String(cString: strerror(errno)))
        }
    }
}
