// Writing a file so that readers see the old contents or the new, never a mix or a torn write.

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Atomic replacement of a file: write a temporary file beside it, fsync, rename, fsync the directory.
///
/// After `write` returns, the new contents survive a crash or power loss. If it throws, or the process
/// dies before the rename, the target is untouched (a failed write removes its temporary file; a
/// killed process may leave one named `.<name>.tmp-<UUID>`).
public enum AtomicFile {
    /// A sink for the bytes of the file being written; valid only inside the `write` body.
    public struct Output {
        fileprivate let descriptor: Int32
        fileprivate let path: String

        /// Appends `bytes` to the file.
        /// - Parameter bytes: the bytes to write.
        /// - Throws: `ModelError.io` if the write fails (e.g. the disk is full).
        public func write(_ bytes: UnsafeRawBufferPointer) throws(ModelError) {
            var remaining = bytes
            while let base = remaining.baseAddress, !remaining.isEmpty {
                let written = systemWrite(descriptor, base, remaining.count)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw AtomicFile.failure(path, "write failed")
                }
                remaining = UnsafeRawBufferPointer(rebasing: remaining[written...])
            }
        }

        /// Appends `bytes` to the file.
        /// - Parameter bytes: the bytes to write.
        /// - Throws: `ModelError.io` if the write fails.
        public func write(_ bytes: [UInt8]) throws(ModelError) {
            try bytes.withUnsafeBufferPointer { (buffer) throws(ModelError) in
                try write(UnsafeRawBufferPointer(buffer))
            }
        }
    }

    /// Replaces the file at `path` with the bytes `body` writes, atomically and durably.
    /// - Precondition: the directory containing `path` exists.
    /// - Parameters:
    ///   - path: the file to create or replace.
    ///   - body: writes the contents through the given output.
    /// - Throws: `ModelError.io` if a system call fails; any error `body` throws. Either way the file
    ///   at `path` is unchanged.
    public static func write(to path: String, _ body: (Output) throws(ModelError) -> Void) throws(ModelError) {
        let directory = directoryPath(of: path)
        let name = String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
        let temporaryPath = directory + "/." + name + ".tmp-" + UUID().uuidString
        // 1. write everything to a temporary file in the same directory (same file system)
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(path, "cannot create temporary file \(temporaryPath)") }
        do throws(ModelError) {
            try body(Output(descriptor: descriptor, path: path))
            // 2. make the contents durable before they become visible under the real name
            guard fsync(descriptor) == 0 else { throw failure(path, "fsync failed") }
        } catch {
            close(descriptor)
            unlink(temporaryPath)
            throw error
        }
        guard close(descriptor) == 0 else {
            let error = failure(path, "close failed")
            unlink(temporaryPath)
            throw error
        }
        // 3. rename is atomic: readers see the old file or the new one
        guard rename(temporaryPath, path) == 0 else {
            let error = failure(path, "cannot rename \(temporaryPath) over it")
            unlink(temporaryPath)
            throw error
        }
        // 4. make the rename itself durable
        try syncDirectory(directory, for: path)
    }

    /// Replaces the file at `path` with `bytes`, atomically and durably.
    /// - Precondition: the directory containing `path` exists.
    /// - Parameters:
    ///   - bytes: the new contents.
    ///   - path: the file to create or replace.
    /// - Throws: `ModelError.io` if a system call fails; the file is then unchanged.
    public static func write(_ bytes: [UInt8], to path: String) throws(ModelError) {
        try write(to: path) { (output) throws(ModelError) in try output.write(bytes) }
    }

    // MARK: - Helpers

    /// The directory part of `path` ("." for a bare file name).
    static func directoryPath(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Makes the renames and creations inside `directory` durable.
    /// - Parameters:
    ///   - directory: the directory to fsync.
    ///   - path: the path named in the error.
    /// - Throws: `ModelError.io` if the directory cannot be opened or synced.
    public static func syncDirectory(_ directory: String, for path: String) throws(ModelError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, "cannot open directory \(directory) to fsync it") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure(path, "fsync of directory \(directory) failed") }
    }

    /// An I/O error for `path` carrying the current `errno` text.
    fileprivate static func failure(_ path: String, _ action: String) -> ModelError {
        .io(path: path, reason: "\(action): \(String(cString: strerror(errno)))")
    }
}

/// The POSIX `write`, named apart from `Output.write`.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
        Darwin.write(descriptor, bytes, count)
    #elseif canImport(Musl)
        Musl.write(descriptor, bytes, count)
    #else
        Glibc.write(descriptor, bytes, count)
    #endif
}
