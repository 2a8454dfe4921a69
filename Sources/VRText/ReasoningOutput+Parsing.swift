// Splitting sampled text into thought and solution, tolerating missing and truncated markers.

extension ReasoningOutput {
    /// Splits sampled text into its parts; never fails.
    ///
    /// Rules, applied to the UTF-8 bytes so that they agree with `ByteTokenizer`:
    /// 1. The text ends at the first `<|end|>`, `<|endoftext|>` or `<|pad|>`; what follows goes to
    ///    `trailingText`.
    /// 2. One leading opening marker of the layout (`<|begin_of_thought|>`, `<|begin_of_explanation|>`
    ///    or `<|begin_of_solution|>`) is skipped, so a whole assistant turn parses like a continuation.
    /// 3. The trace (`.thoughtAndSolution`, `.thought`, `.explanation`) runs to its closing marker
    ///    (`<|end_of_thought|>`, or `<|end_of_explanation|>` for `.explanation`). Without one it runs to
    ///    the first `<|begin_of_solution|>`, or else to the end; the closing marker is then missing.
    /// 4. The solution (`.thoughtAndSolution`, `.solution`) starts after the first `<|begin_of_solution|>`
    ///    following the trace (anything between is dropped). Without that marker, a non-blank rest
    ///    is taken as the solution and `beginOfSolution` is missing; a blank rest means no solution.
    ///    It runs to `<|end_of_solution|>` or, missing that, to the end (a truncated solution).
    /// 5. `finalAnswer` is `finalAnswer(inSolution:)` of the solution, truncated or not; check
    ///    `isComplete` or `missingMarkers` when a truncated answer must not count.
    /// - Parameters:
    ///   - text: the sampled text, starting where the prompt ended.
    ///   - layout: what the text should contain; default a thought then a solution.
    /// - Returns: the parts, with the absent markers listed.
    public static func parse(_ text: String, layout: Layout = .thoughtAndSolution) -> ReasoningOutput {
        var cursor = MarkerCursor(text)
        var output = ReasoningOutput(thought: nil, solution: nil, finalAnswer: nil)
        switch layout {
        case .thoughtAndSolution, .thought, .explanation:
            let isExplanation = layout == .explanation
            cursor.skipPrefix(isExplanation ? .beginOfExplanation : .beginOfThought)
            let close: SpecialToken = isExplanation ? .endOfExplanation : .endOfThought
            if let thought = cursor.take(until: close) {
                output.thought = thought
            } else {
                output.thought = cursor.take(until: .beginOfSolution, consume: false) ?? cursor.takeBody()
                output.missingMarkers.insert(isExplanation ? .endOfExplanation : .endOfThought)
            }
            if layout == .thoughtAndSolution { parseSolution(&cursor, into: &output, opened: false) }
        case .solution:
            cursor.skipPrefix(.beginOfSolution)
            parseSolution(&cursor, into: &output, opened: true)
        }
        output.trailingText = cursor.trailing
        output.finalAnswer = output.solution.flatMap(finalAnswer(inSolution:))
        return output
    }

    /// Reads the solution from `cursor`; `opened` says the begin marker was already consumed.
    private static func parseSolution(_ cursor: inout MarkerCursor, into output: inout ReasoningOutput, opened: Bool) {
        if !opened && cursor.take(until: .beginOfSolution) == nil {
            output.missingMarkers.insert(.beginOfSolution)
            guard !cursor.restIsBlank else {
                output.missingMarkers.insert(.endOfSolution)
                return
            }
        }
        if let solution = cursor.take(until: .endOfSolution) {
            output.solution = solution
        } else {
            output.solution = cursor.takeBody()
            output.missingMarkers.insert(.endOfSolution)
        }
    }
}

/// A read position in the UTF-8 bytes of a text that ends at its first terminator token.
private struct MarkerCursor {
    /// The bytes up to the first terminator.
    let bytes: [UInt8]
    /// The bytes from the first terminator on (empty when there is none).
    let tail: [UInt8]
    /// The next byte to read.
    var position = 0

    /// Tokens that end an output wherever they appear.
    static let terminators: [SpecialToken] = [.end, .endOfText, .pad]

    init(_ text: String) {
        let all = Array(text.utf8)
        let cut = Self.terminators.compactMap { Self.find(Array($0.text.utf8), in: all, from: 0) }.min() ?? all.count
        bytes = Array(all[..<cut])
        tail = Array(all[cut...])
    }

    /// Whether only whitespace is left before the terminator.
    var restIsBlank: Bool {
        bytes[position...].allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }

    /// Skips `marker` if the unread text starts with it.
    mutating func skipPrefix(_ marker: SpecialToken) {
        let pattern = Array(marker.text.utf8)
        if bytes[position...].starts(with: pattern) { position += pattern.count }
    }

    /// The text up to the next `marker`, or nil (nothing read) when there is none; `consume` also reads the marker.
    mutating func take(until marker: SpecialToken, consume: Bool = true) -> String? {
        let pattern = Array(marker.text.utf8)
        guard let start = Self.find(pattern, in: bytes, from: position) else { return nil }
        let text = String(decoding: bytes[position..<start], as: UTF8.self)
        position = consume ? start + pattern.count : start
        return text
    }

    /// Everything unread before the terminator.
    mutating func takeBody() -> String {
        let text = String(decoding: bytes[position...], as: UTF8.self)
        position = bytes.count
        return text
    }

    /// Everything unread, including the terminator and what follows it.
    var trailing: String {
        String(decoding: bytes[position...] + tail, as: UTF8.self)
    }

    /// The first index at or after `start` where `pattern` occurs in `bytes`.
    static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard !pattern.isEmpty, bytes.count >= pattern.count, start <= bytes.count - pattern.count else { return nil }
        for index in start...(bytes.count - pattern.count) where bytes[index] == pattern[0] {
            if bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
        }
        return nil
    }
}
