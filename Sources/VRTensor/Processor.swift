// What the operating system says about this machine's processor.

#if canImport(Glibc)
    import Glibc
#endif

/// Facts about the processor from `/proc/cpuinfo`, for choosing kernels and naming the machine in benchmarks.
public enum Processor {
    /// The model name of the first processor listed (`model name` on x86-64; on other architectures the
    /// `Hardware` or `CPU part` line), or "unknown".
    public static var modelName: String {
        let fields = firstProcessorFields()
        return fields["model name"] ?? fields["Hardware"] ?? fields["CPU part"].map { "CPU part \($0)" } ?? "unknown"
    }

    /// The feature flags of the first processor listed, as `/proc/cpuinfo` names them (`flags` on x86-64,
    /// `Features` on aarch64); empty where that file does not exist.
    public static var flags: Set<String> {
        let fields = firstProcessorFields()
        guard let values = fields["flags"] ?? fields["Features"] else { return [] }
        return Set(values.split(whereSeparator: { $0.isWhitespace }).map(String.init))
    }

    /// The `name: value` lines of `/proc/cpuinfo` up to the first blank line (the first processor).
    private static func firstProcessorFields() -> [String: String] {
        guard let file = fopen("/proc/cpuinfo", "r") else { return [:] }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        var fields: [String: String] = [:]
        while getline(&line, &capacity, file) > 0 {
            guard let line else { break }
            let text = String(cString: line)
            let parts = text.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else {
                if text.allSatisfy(\.isWhitespace) && !fields.isEmpty { break }
                continue
            }
            let name = trimmed(parts[0])
            if fields[name] == nil { fields[name] = trimmed(parts[1]) }
        }
        return fields
    }

    /// `text` without white space at either end.
    private static func trimmed(_ text: Substring) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
