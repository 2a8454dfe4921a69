// The one rule that turns a solution text into its final answer, for references and model outputs alike.

extension ReasoningOutput {
    /// The final answer stated in a solution.
    ///
    /// The first rule that yields a non-empty text wins:
    /// 1. the content of the last `\boxed{...}` whose braces balance (the Bespoke-Stratos convention);
    /// 2. the rest of the line after the last `answer:` (any letter case), as in `Answer: 632`;
    /// 3. the last line that is not blank.
    ///
    /// The result is trimmed of surrounding whitespace and otherwise left as written; verifiers
    /// decide what counts as equal.
    /// - Parameter solution: a solution text, e.g. `"Answer: 632"`.
    /// - Returns: the answer, or nil when the solution is blank.
    public static func finalAnswer(inSolution solution: String) -> String? {
        let bytes = Array(solution.utf8)
        let candidates = [boxedContent(bytes), answerLine(bytes), lastLine(bytes)]
        for case let candidate? in candidates {
            let text = trimmed(candidate)
            if !text.isEmpty { return text }
        }
        return nil
    }

    /// The content of the last balanced `\boxed{...}`.
    private static func boxedContent(_ bytes: [UInt8]) -> ArraySlice<UInt8>? {
        let pattern = Array("\\boxed{".utf8)
        var found: ArraySlice<UInt8>?
        var start = 0
        while let index = firstIndex(of: pattern, in: bytes, from: start) {
            let open = index + pattern.count
            var depth = 1
            var end = open
            while end < bytes.count && depth > 0 {
                if bytes[end] == UInt8(ascii: "{") { depth += 1 }
                if bytes[end] == UInt8(ascii: "}") { depth -= 1 }
                end += 1
            }
            if depth == 0 { found = bytes[open..<(end - 1)] }
            start = index + 1
        }
        return found
    }

    /// The rest of the line after the last `answer:` in any letter case.
    private static func answerLine(_ bytes: [UInt8]) -> ArraySlice<UInt8>? {
        let pattern = Array("answer:".utf8)
        let lowered = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        var last: Int?
        var start = 0
        while let index = firstIndex(of: pattern, in: lowered, from: start) {
            last = index
            start = index + 1
        }
        guard let last else { return nil }
        let begin = last + pattern.count
        let end = bytes[begin...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        return bytes[begin..<end]
    }

    /// The last line that holds a non-whitespace byte.
    private static func lastLine(_ bytes: [UInt8]) -> ArraySlice<UInt8>? {
        bytes.split(separator: UInt8(ascii: "\n")).last { !trimmed($0).isEmpty }
    }

    /// The text of `bytes` without surrounding ASCII whitespace.
    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> String {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    /// The first index at or after `start` where `pattern` occurs in `bytes`.
    private static func firstIndex(of pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard !pattern.isEmpty, start <= bytes.count - pattern.count else { return nil }
        for index in start...(bytes.count - pattern.count) where bytes[index] == pattern[0] {
            if bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
        }
        return nil
    }
}
