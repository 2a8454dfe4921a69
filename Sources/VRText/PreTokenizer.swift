// Pre-tokenization: the steps that cut text into words before BPE, as `tokenizers`' pre_tokenizer does.

/// One step of a pre-tokenizer; every step splits each piece the previous steps produced.
enum PreTokenizerStep: Sendable, Equatable {
    /// `Split(pattern, behavior: Isolated, invert: false)`, or `ByteLevel(use_regex: true)` with `.gpt2`: each
    /// match is a piece, and so is each stretch between matches.
    case split(SplitPattern)
    /// `Digits(individual_digits: true)`: every \p{N} scalar is a piece of its own.
    case isolateNumbers
}

/// A sequence of pre-tokenizer steps; no steps means the whole text is one word (`ByteLevel(use_regex: false)`).
struct PreTokenizer: Sendable, Equatable {
    /// The steps, applied in order.
    let steps: [PreTokenizerStep]

    /// Cuts `text` (all of it) into words, as ranges of scalar indices, in order.
    func words(of text: ScalarText) -> [Range<Int>] {
        var pieces = text.count == 0 ? [] : [0..<text.count]
        for step in steps {
            var next: [Range<Int>] = []
            next.reserveCapacity(pieces.count * 2)
            for piece in pieces { Self.split(piece, of: text, by: step, into: &next) }
            pieces = next
        }
        return pieces
    }

    /// Appends the pieces of `piece`: each match and each non-empty stretch between matches (`Isolated`).
    private static func split(
        _ piece: Range<Int>, of text: ScalarText, by step: PreTokenizerStep, into pieces: inout [Range<Int>]
    ) {
        var gapStart = piece.lowerBound
        var position = piece.lowerBound
        while position < piece.upperBound {
            let matchEnd: Int?
            switch step {
            case .split(let pattern):
                matchEnd = pattern.matchEnd(in: text, at: position, end: piece.upperBound)
            case .isolateNumbers:
                matchEnd = text.classes[position].contains(.number) ? position + 1 : nil
            }
            guard let matchEnd, matchEnd > position else {
                position += 1
                continue
            }
            if gapStart < position { pieces.append(gapStart..<position) }
            pieces.append(position..<matchEnd)
            position = matchEnd
            gapStart = matchEnd
        }
        if gapStart < piece.upperBound { pieces.append(gapStart..<piece.upperBound) }
    }
}
