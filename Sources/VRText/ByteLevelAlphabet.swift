// GPT-2's byte-level alphabet: each byte is spelled as one printable character in vocabularies and merges.
//
// def bytes_to_unicode():                                  (openai/gpt-2, encoder.py)
//     bs = list(range(ord("!"), ord("~")+1)) + list(range(ord("¡"), ord("¬")+1)) + list(range(ord("®"), ord("ÿ")+1))
//     cs = bs[:]; n = 0
//     for b in range(2**8):
//         if b not in bs: bs.append(b); cs.append(2**8+n); n += 1
//     return dict(zip(bs, [chr(n) for n in cs]))

/// The table between bytes and the characters byte-level BPE vocabularies spell them with (space is `Ġ`).
enum ByteLevelAlphabet {
    /// The character of each byte: printable Latin-1 bytes are themselves, the others U+0100 onwards in order.
    static let scalarOfByte: [Unicode.Scalar] = {
        var scalars = [Unicode.Scalar](repeating: " ", count: 256)
        var shifted: UInt32 = 256
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if printable {
                scalars[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                scalars[byte] = Unicode.Scalar(shifted).unsafelyUnwrapped
                shifted += 1
            }
        }
        return scalars
    }()

    /// The byte each character of the alphabet stands for, indexed by scalar value; -1 for other scalars.
    static let byteOfScalarValue: [Int16] = {
        var bytes = [Int16](repeating: -1, count: 324)
        for (byte, scalar) in scalarOfByte.enumerated() { bytes[Int(scalar.value)] = Int16(byte) }
        return bytes
    }()

    /// The bytes a byte-level token spells, or nil if a character of `token` is not in the alphabet.
    static func bytes(spelledBy token: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            let value = Int(scalar.value)
            guard value < byteOfScalarValue.count, byteOfScalarValue[value] >= 0 else { return nil }
            bytes.append(UInt8(byteOfScalarValue[value]))
        }
        return bytes
    }

    /// The byte-level spelling of `bytes`.
    static func spelling(of bytes: some Sequence<UInt8>) -> String {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(scalarOfByte[Int(byte)]) }
        return String(text)
    }

    /// The bytes `ByteLevel` decoding gives for one token.
    ///
    /// They are the spelled bytes if every character is in the alphabet, else the token's own UTF-8 (as
    /// `tokenizers` does, e.g. for an added token holding a plain space).
    static func decodedBytes(of token: String) -> [UInt8] {
        bytes(spelledBy: token) ?? Array(token.utf8)
    }
}
