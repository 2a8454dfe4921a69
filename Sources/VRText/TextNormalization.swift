// The normalizers a byte-level BPE tokenizer may apply before pre-tokenization: none, or Unicode NFC (Qwen2).
//
// tokenizers' NFC (the unicode-normalization-alignments crate) carries Unicode 9.0 data: a scalar assigned later
// is to it an unassigned starter, which neither composes, decomposes nor moves, and which blocks composition
// across it (measured: "a" + U+0D3B (10.0) + U+0301 stays as it is there, while Unicode 10 data composes the a
// and the acute). So the text is normalized in runs of scalars assigned by Unicode 9.0, and later scalars are kept
// as they are between the runs. Normalization data is stable (no changes to assigned scalars' decompositions or
// classes), so that equals NFC under Unicode 9.0 data.
//
// Foundation's precomposedStringWithCanonicalMapping is not used: on Linux it composes U+203CB U+0301 into
// U+03B0, as if it read U+203CB's low 16 bits (U+03CB); the standard library's NFC does not.

/// The normalization applied to text outside raw-matched added tokens.
enum TextNormalization: Sendable, Equatable {
    /// The text as given.
    case none
    /// Unicode Normalization Form C (canonical composition) with Unicode 9.0 data, as `tokenizers` applies it.
    case nfc

    /// `bytes[range]` normalized, as UTF-8.
    func apply(_ bytes: [UInt8], _ range: Range<Int>) -> [UInt8] {
        switch self {
        case .none:
            return Array(bytes[range])
        case .nfc:
            // A scalar below U+0300 (lead byte below 0xCC) or a CJK ideograph is a starter that nothing before it
            // composes with, so only the stretches from such a scalar through the other scalars after it can change.
            var normalized: [UInt8] = []
            normalized.reserveCapacity(range.count)
            var copied = range.lowerBound
            var index = range.lowerBound
            while index < range.upperBound {
                guard Self.mayChange(bytes, at: index) else {
                    index += 1
                    continue
                }
                var start = index
                if start > copied {
                    start -= 1
                    while bytes[start] & 0xC0 == 0x80 { start -= 1 }
                }
                var end = index + 1
                while end < range.upperBound, bytes[end] & 0xC0 == 0x80 || Self.mayChange(bytes, at: end) { end += 1 }
                normalized.append(contentsOf: bytes[copied..<start])
                Self.appendNFC(of: bytes[start..<end], to: &normalized)
                copied = end
                index = end
            }
            normalized.append(contentsOf: bytes[copied..<range.upperBound])
            return normalized
        }
    }

    /// Whether the byte at `index` starts a scalar that NFC may change or combine: one at or above U+0300, except
    /// the CJK ideographs U+4E00...U+9FFF, which neither decompose nor compose with anything. (A continuation byte
    /// is not a start.)
    private static func mayChange(_ bytes: [UInt8], at index: Int) -> Bool {
        let lead = bytes[index]
        guard lead >= 0xCC else { return false }
        guard (0xE4...0xE9).contains(lead), index + 1 < bytes.count else { return lead & 0xC0 != 0x80 }
        // E4 B8 80 is U+4E00; every 3-byte scalar with lead E4 from there on, and with leads E5...E9, is CJK.
        return lead == 0xE4 && bytes[index + 1] < 0xB8
    }

    /// Appends the NFC of `bytes` (under Unicode 9.0 data) to `normalized`.
    private static func appendNFC(of bytes: ArraySlice<UInt8>, to normalized: inout [UInt8]) {
        var run = String.UnicodeScalarView()
        func flush() {
            guard !run.isEmpty else { return }
            normalized.append(contentsOf: String(run)._nfcCodeUnits)
            run.removeAll(keepingCapacity: true)
        }
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            if let decomposition = nonStarterDecompositions[scalar.value] {
                run.append(contentsOf: decomposition)
            } else if isInNormalizationData(scalar) {
                run.append(scalar)
            } else {
                flush()
                normalized.append(contentsOf: String(scalar).utf8)
            }
        }
        flush()
    }

    /// The starters whose canonical decompositions are non-starters only (Tibetan vowel signs; composition-excluded,
    /// so never in NFC), decomposed beforehand: the standard library's NFC does not reorder their decompositions
    /// among the marks around them ("L" U+1E010 U+0F81 gives L U+1E010 U+0F71 U+0F80, not L U+0F71 U+0F80 U+1E010).
    static let nonStarterDecompositions: [UInt32: [Unicode.Scalar]] = [
        0x0F73: ["\u{0F71}", "\u{0F72}"], 0x0F75: ["\u{0F71}", "\u{0F74}"], 0x0F81: ["\u{0F71}", "\u{0F80}"],
    ]

    /// Whether `scalar` was assigned by Unicode 9.0, the version of `tokenizers`' normalization data.
    static func isInNormalizationData(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.value >= 0x300 else { return true }
        guard let age = scalar.properties.age else { return false }
        return age.major < 9 || (age.major == 9 && age.minor == 0)
    }
}
