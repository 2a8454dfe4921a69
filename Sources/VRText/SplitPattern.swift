// The split regexes of byte-level BPE tokenizers, matched by hand exactly as Oniguruma (which `tokenizers` uses)
// matches them: leftmost, alternatives tried in order, greedy with backtracking.

/// A pre-tokenizer split pattern of a known family.
///
/// Each pattern matches a non-empty run at every position, so a text splits into consecutive matches.
enum SplitPattern: Sendable, Equatable {
    /// GPT-2's pattern, `ByteLevel(use_regex: true)`'s own (and SmolLM2's after its digit split).
    case gpt2
    /// The Llama-3 pattern with `\p{N}{1,maximumDigits}`: 3 for Llama-3, 1 (`\p{N}`) for Qwen2.
    case llama3(maximumDigits: Int)

    /// GPT-2's split regex, as tokenizers' ByteLevel writes it.
    static let gpt2Regex = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
    /// Llama-3's split regex, as its tokenizer.json writes it.
    static let llama3Regex =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    /// Qwen2's split regex, as its tokenizer.json writes it (Llama-3's with single digits).
    static let qwen2Regex =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// The pattern whose regex is exactly `regex`, or nil for any other regex.
    init?(regex: String) {
        switch regex {
        case Self.gpt2Regex: self = .gpt2
        case Self.llama3Regex: self = .llama3(maximumDigits: 3)
        case Self.qwen2Regex: self = .llama3(maximumDigits: 1)
        default: return nil
        }
    }

    /// Where the match starting at `start` ends; `end` is the end of the piece being split.
    func matchEnd(in text: ScalarText, at start: Int, end: Int) -> Int {
        switch self {
        case .gpt2: Self.gpt2End(text, start, end)
        case .llama3(let maximumDigits): Self.llama3End(text, start, end, maximumDigits: maximumDigits)
        }
    }

    // MARK: - GPT-2

    private static func gpt2End(_ text: ScalarText, _ start: Int, _ end: Int) -> Int {
        let values = text.values
        let classes = text.classes
        // 's|'t|'re|'ve|'m|'ll|'d
        if values[start] == apostrophe, let contraction = contractionEnd(values, start, end, ignoringCase: false) {
            return contraction
        }
        //  ?\p{L}+ |  ?\p{N}+ |  ?[^\s\p{L}\p{N}]+
        var first = start
        if values[start] == space, start + 1 < end { first = start + 1 }
        let kind = classes[first]
        if kind.contains(.letter) { return runEnd(classes, from: first, end) { $0.contains(.letter) } }
        if kind.contains(.number) { return runEnd(classes, from: first, end) { $0.contains(.number) } }
        if isOther(kind) { return runEnd(classes, from: first, end, while: isOther) }
        // \s+(?!\S) | \s+  (the scalar at `start` is whitespace here)
        return whitespaceEnd(classes, start, end)
    }

    // MARK: - Llama-3 and Qwen2

    private static func llama3End(_ text: ScalarText, _ start: Int, _ end: Int, maximumDigits: Int) -> Int {
        let values = text.values
        let classes = text.classes
        let kind = classes[start]
        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if values[start] == apostrophe, let contraction = contractionEnd(values, start, end, ignoringCase: true) {
            return contraction
        }
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if kind.contains(.letter) { return runEnd(classes, from: start, end) { $0.contains(.letter) } }
        if !kind.contains(.number), !isLineBreak(values[start]), start + 1 < end, classes[start + 1].contains(.letter) {
            return runEnd(classes, from: start + 1, end) { $0.contains(.letter) }
        }
        // \p{N}{1,maximumDigits}
        if kind.contains(.number) {
            var index = start + 1
            while index < end, index - start < maximumDigits, classes[index].contains(.number) { index += 1 }
            return index
        }
        //  ?[^\s\p{L}\p{N}]+[\r\n]*
        var first = start
        if values[start] == space, start + 1 < end { first = start + 1 }
        if isOther(classes[first]) {
            var index = runEnd(classes, from: first, end, while: isOther)
            while index < end, isLineBreak(values[index]) { index += 1 }
            return index
        }
        // \s*[\r\n]+ : the whitespace run up to and including its last line break
        let runEnd = runEnd(classes, from: start, end) { $0.contains(.whitespace) }
        var index = runEnd - 1
        while index >= start {
            if isLineBreak(values[index]) { return index + 1 }
            index -= 1
        }
        // \s+(?!\S) | \s+
        return whitespaceEnd(classes, start, end)
    }

    // MARK: - Shared pieces

    private static let apostrophe = ascii("'")
    private static let space = ascii(" ")

    private static func isLineBreak(_ value: UInt32) -> Bool { value == 0x0A || value == 0x0D }

    /// Whether a scalar of class `kind` is in `[^\s\p{L}\p{N}]`.
    private static func isOther(_ kind: ScalarClass) -> Bool { kind.isDisjoint(with: [.letter, .number, .whitespace]) }

    private static func runEnd(
        _ classes: [ScalarClass], from start: Int, _ end: Int, while belongs: (ScalarClass) -> Bool
    ) -> Int {
        var index = start
        while index < end, belongs(classes[index]) { index += 1 }
        return index
    }

    /// `\s+(?!\S)|\s+` at a whitespace scalar: the run, less its last scalar when a non-space follows the run and the
    /// run is longer than one.
    private static func whitespaceEnd(_ classes: [ScalarClass], _ start: Int, _ end: Int) -> Int {
        let runEnd = runEnd(classes, from: start, end) { $0.contains(.whitespace) }
        if runEnd == end || runEnd - start == 1 { return runEnd }
        return runEnd - 1
    }

    /// The end of `'s|'t|'re|'ve|'m|'ll|'d` at an apostrophe, or nil.
    ///
    /// Ignoring case follows Oniguruma's Unicode case folding, under which U+017F (long s) matches `s`.
    private static func contractionEnd(_ values: [UInt32], _ start: Int, _ end: Int, ignoringCase: Bool) -> Int? {
        func letter(_ index: Int) -> UInt32? {
            guard index < end else { return nil }
            let value = values[index]
            guard ignoringCase else { return value }
            if value == 0x17F { return ascii("s") }
            return (0x41...0x5A).contains(value) ? value + 0x20 : value
        }
        guard let second = letter(start + 1) else { return nil }
        switch second {
        case ascii("s"), ascii("t"), ascii("m"), ascii("d"): return start + 2
        case ascii("r"), ascii("v"): return letter(start + 2) == ascii("e") ? start + 3 : nil
        case ascii("l"): return letter(start + 2) == ascii("l") ? start + 3 : nil
        default: return nil
        }
    }

    private static func ascii(_ character: Unicode.Scalar) -> UInt32 { character.value }
}
