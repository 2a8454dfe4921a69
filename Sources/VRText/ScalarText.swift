// A piece of UTF-8 text decoded into scalars with their classes and byte offsets, for the split patterns.

/// The scalars of a UTF-8 buffer, their `ScalarClass`es and where each starts in the buffer.
///
/// A workspace: `load` replaces the contents and keeps the storage, so one value serves many pieces.
struct ScalarText {
    /// Scalar values, in order.
    private(set) var values: [UInt32] = []
    /// The classes of each scalar.
    private(set) var classes: [ScalarClass] = []
    /// `byteOffsets[i]` is where scalar `i` starts; one more entry holds the end of the text.
    private(set) var byteOffsets: [Int] = []

    /// Number of scalars.
    var count: Int { values.count }

    /// Decodes `bytes[range]`, which must be valid UTF-8 (it comes from a Swift string); offsets count from 0 of
    /// `bytes`.
    mutating func load(_ bytes: [UInt8], range: Range<Int>) {
        values.removeAll(keepingCapacity: true)
        classes.removeAll(keepingCapacity: true)
        byteOffsets.removeAll(keepingCapacity: true)
        values.reserveCapacity(range.count)
        classes.reserveCapacity(range.count)
        byteOffsets.reserveCapacity(range.count + 1)
        ScalarClass.basicPlane.withUnsafeBufferPointer { basicPlane in
            bytes.withUnsafeBufferPointer { bytes in
                var index = range.lowerBound
                while index < range.upperBound {
                    let lead = UInt32(bytes[index])
                    byteOffsets.append(index)
                    let value: UInt32
                    if lead < 0x80 {
                        value = lead
                        index += 1
                    } else if lead < 0xE0 {
                        value = (lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
                        index += 2
                    } else if lead < 0xF0 {
                        value =
                            (lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
                        index += 3
                    } else {
                        value =
                            (lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
                            | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F)
                        index += 4
                    }
                    values.append(value)
                    classes.append(
                        value < basicPlane.count
                            ? ScalarClass(rawValue: basicPlane[Int(value)])
                            : ScalarClass.computed(Unicode.Scalar(value).unsafelyUnwrapped))
                }
            }
        }
        byteOffsets.append(range.upperBound)
    }
}
