// A short digest of a dataset, so that a learner and its workers can check they hold the same questions.

extension TaskDataset {
    /// The 64-bit FNV-1a digest of every item's id, question, solution and answer, as 16 hex digits.
    ///
    /// Equal datasets give equal fingerprints; a worker and a learner with different fingerprints would score
    /// question ids against different questions.
    public var fingerprint: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for item in items {
            for field in [item.id, item.question, item.referenceSolution, item.finalAnswer] {
                for byte in field.utf8 + [0] {
                    hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
                }
            }
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
