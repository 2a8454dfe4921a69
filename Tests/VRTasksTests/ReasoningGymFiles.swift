// Locates the committed reasoning-gym exports (data/reasoning-gym) and reads their manifests.

import Foundation

/// The committed exports of `scripts/reasoning-gym/export.py`.
enum ReasoningGymFiles {
    /// The folder `data/reasoning-gym` of this repository.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../data/reasoning-gym").standardizedFileURL

    /// The parts of a `NAME.manifest.json` the tests check.
    struct Manifest: Decodable {
        let family: String
        let name: String
        let verifier: String
        let tolerance: String?
        let files: [String: String]
        let counts: [String: Int]
    }

    /// Every manifest in the folder, sorted by name.
    static func manifests() throws -> [Manifest] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".manifest.json") }.sorted()
        return try names.map { name in
            try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: directory.appendingPathComponent(name)))
        }
    }

    /// The path of a file in the folder.
    static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    /// The deduplication key of export.py for ASCII text: lower case, whitespace removed.
    static func normalised(_ question: String) -> String {
        String(question.lowercased().filter { !$0.isWhitespace })
    }
}
