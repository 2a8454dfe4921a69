// Writing a report's files: the Markdown page and its charts, into one directory.

import Foundation

/// Writes reports to disk.
enum ReportFiles {
    /// Writes every file into `outputDirectory`, creating it if needed.
    /// - Parameters:
    ///   - files: the contents, keyed by file name.
    ///   - outputDirectory: where they go.
    /// - Returns: the files written, in name order.
    /// - Throws: `ReportError.unwritableFile` naming the directory or file that could not be written.
    static func write(_ files: [String: String], to outputDirectory: URL) throws(ReportError) -> [URL] {
        do {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw .unwritableFile(path: outputDirectory.path, reason: error.localizedDescription)
        }
        var written: [URL] = []
        for (name, contents) in files.sorted(by: { $0.key < $1.key }) {
            let url = outputDirectory.appendingPathComponent(name)
            do { try Data(contents.utf8).write(to: url, options: .atomic) } catch {
                throw .unwritableFile(path: url.path, reason: error.localizedDescription)
            }
            written.append(url)
        }
        return written
    }
}
