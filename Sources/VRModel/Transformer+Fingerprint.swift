// A 64-bit fingerprint of a model's parameters, for checking that copies of a model kept apart are still equal.

extension Transformer {
    /// FNV-1a over the parameters' bits, 64 bits at a time: equal parameters give equal fingerprints, and a change
    /// of any bit changes it (with probability 1 - 2^-64), so copies of the model on several processes can be
    /// compared by exchanging 8 bytes.
    public var parameterFingerprint: UInt64 {
        let words = parameters.count / 2
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        UnsafeRawPointer(parameters.pointer).withMemoryRebound(to: UInt64.self, capacity: words) { word in
            for index in 0..<words { hash = (hash ^ word[index]) &* 0x0000_0100_0000_01b3 }
        }
        if parameters.count % 2 == 1 {
            hash = (hash ^ UInt64(parameters.pointer[parameters.count - 1].bitPattern)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
