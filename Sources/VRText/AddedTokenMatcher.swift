// Finding added tokens in text, as tokenizers' AddedVocabulary::find_matches does (added_vocabulary.rs):
//
// for mat in aho_corasick(leftmost_longest).find_iter(sentence):
//     (start, stop) = mat
//     if single_word and (\w$ matches sentence[..start] or ^\w matches sentence[stop..]): continue
//     if lstrip: start = max(start of \s*$ in sentence[..start], start_offset)
//     if rstrip: stop += end of ^\s* in sentence[stop..]
//     if start_offset < start: emit text (start_offset, start)
//     emit token (start, stop); start_offset = stop
// if start_offset != len: emit text (start_offset, len)

/// The added tokens of one kind (matched in the raw text, or in the normalized text), found leftmost-longest.
struct AddedTokenMatcher: Sendable {
    /// One piece of a split: an added token, or text between tokens.
    struct Piece {
        /// The token, or nil for text.
        let token: AddedToken?
        /// Where the piece is, in bytes of the split buffer.
        let range: Range<Int>
    }

    /// Token texts as UTF-8, with their tokens, grouped by first byte; longest first in each group.
    private let candidatesByFirstByte: [[(bytes: [UInt8], token: AddedToken)]]

    /// Whether some token text starts with each byte.
    private let startsSomeToken: [Bool]

    /// Whether there are no tokens to find.
    let isEmpty: Bool

    /// Creates a matcher for `tokens`, each matched as the text `pattern` gives for it.
    init(_ tokens: [AddedToken], pattern: (AddedToken) -> String = \.content) {
        var groups = [[(bytes: [UInt8], token: AddedToken)]](repeating: [], count: 256)
        for token in tokens {
            let bytes = Array(pattern(token).utf8)
            guard let first = bytes.first else { continue }
            groups[Int(first)].append((bytes, token))
        }
        candidatesByFirstByte = groups.map { $0.sorted { $0.bytes.count > $1.bytes.count } }
        startsSomeToken = groups.map { !$0.isEmpty }
        isEmpty = groups.allSatisfy(\.isEmpty)
    }

    /// Splits `bytes[range]` (valid UTF-8) into tokens and the text between them; empty text pieces are dropped.
    func split(_ bytes: [UInt8], _ range: Range<Int>) -> [Piece] {
        var pieces: [Piece] = []
        var startOffset = range.lowerBound
        if isEmpty { return range.isEmpty ? [] : [Piece(token: nil, range: range)] }
        var position = range.lowerBound
        while position < range.upperBound {
            guard startsSomeToken[Int(bytes[position])],
                let (length, token) = longestMatch(bytes, at: position, end: range.upperBound)
            else {
                position += 1
                continue
            }
            var start = position
            var stop = position + length
            position = stop
            if token.singleWord {
                let wordBefore = start > range.lowerBound && Self.isWord(Self.scalar(endingAt: start, in: bytes))
                let wordAfter = stop < range.upperBound && Self.isWord(Self.scalar(startingAt: stop, in: bytes))
                if wordBefore || wordAfter { continue }
            }
            if token.stripsLeft {
                var spaceStart = start
                while spaceStart > range.lowerBound, Self.isWhitespace(Self.scalar(endingAt: spaceStart, in: bytes)) {
                    spaceStart -= Self.scalar(endingAt: spaceStart, in: bytes).utf8Length
                }
                start = max(spaceStart, startOffset)
            }
            if token.stripsRight {
                while stop < range.upperBound, Self.isWhitespace(Self.scalar(startingAt: stop, in: bytes)) {
                    stop += Self.scalar(startingAt: stop, in: bytes).utf8Length
                }
            }
            if startOffset < start { pieces.append(Piece(token: nil, range: startOffset..<start)) }
            pieces.append(Piece(token: token, range: start..<stop))
            startOffset = stop
        }
        if startOffset < range.upperBound { pieces.append(Piece(token: nil, range: startOffset..<range.upperBound)) }
        return pieces
    }

    /// The longest token text starting at `position` and ending by `end`, with its byte count.
    private func longestMatch(
        _ bytes: [UInt8], at position: Int, end: Int
    ) -> (Int, AddedToken)? {
        for candidate in candidatesByFirstByte[Int(bytes[position])] where position + candidate.bytes.count <= end {
            var matches = true
            for (offset, byte) in candidate.bytes.enumerated() where bytes[position + offset] != byte {
                matches = false
                break
            }
            if matches { return (candidate.bytes.count, candidate.token) }
        }
        return nil
    }

    // MARK: - Scalars around a byte offset

    private static func isWord(_ scalar: (value: UInt32, utf8Length: Int)) -> Bool {
        ScalarClass.of(value: scalar.value).contains(.word)
    }

    private static func isWhitespace(_ scalar: (value: UInt32, utf8Length: Int)) -> Bool {
        ScalarClass.of(value: scalar.value).contains(.whitespace)
    }

    /// The scalar whose UTF-8 starts at `offset`.
    private static func scalar(
        startingAt offset: Int, in bytes: [UInt8]
    ) -> (
        value: UInt32, utf8Length: Int
    ) {
        let lead = UInt32(bytes[offset])
        let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        var value = length == 1 ? lead : lead & (0xFF >> (length + 1))
        for index in 1..<length { value = value << 6 | UInt32(bytes[offset + index] & 0x3F) }
        return (value, length)
    }

    /// The scalar whose UTF-8 ends at `offset`.
    private static func scalar(
        endingAt offset: Int, in bytes: [UInt8]
    ) -> (
        value: UInt32, utf8Length: Int
    ) {
        var start = offset - 1
        while bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return scalar(startingAt: start, in: bytes)
    }
}
