// Byte-level BPE merging of one word, as tokenizers' BPE model does (models/bpe/word.rs, merge_all):
//
// symbols = [vocab[byte_char(b)] for b in word]          (unknown bytes: unk token, or dropped without one)
// queue = every adjacent pair with a merge, by (rank, position)
// while queue: pop the lowest (rank, position); skip it if that pair is gone;
//     merge it into its merged token; queue the new pairs with the left and right neighbours
//
// With ignore_merges, a word that is itself a vocabulary entry is that one token.

/// The merges and byte tokens of a byte-level BPE vocabulary.
struct BPEModel: Sendable {
    /// The id of each byte's single-character token; -1 when the vocabulary lacks it.
    let idOfByte: [Int32]
    /// Merges by pair (left id << 32 | right id): rank << 32 | merged id.
    let merges: [UInt64: UInt64]
    /// With ignore_merges, the vocabulary entries spelled in the byte alphabet, by their bytes; else nil.
    let wholeWords: [WordKey: Int32]?
    /// The unknown token, for bytes the vocabulary lacks; without one they are dropped, as `tokenizers` does.
    let unknownID: Int32?
    /// Whether consecutive unknown bytes become one unknown token.
    let fusesUnknown: Bool

    /// The key of the pair (`left`, `right`) in `merges`.
    static func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// The ids of `word`'s tokens.
    func ids(of word: ArraySlice<UInt8>) -> [Int32] {
        if let wholeWords, let id = wholeWords[WordKey(bytes: word)] { return [id] }
        var symbols: [Int32] = []
        symbols.reserveCapacity(word.count)
        var unknownIsOpen = false
        for byte in word {
            let id = idOfByte[Int(byte)]
            if id >= 0 {
                symbols.append(id)
                unknownIsOpen = false
            } else if let unknownID {
                if !(fusesUnknown && unknownIsOpen) { symbols.append(unknownID) }
                unknownIsOpen = true
            }
        }
        if symbols.count > 1 { merge(&symbols) }
        return symbols
    }

    /// Applies the merges to `symbols`, lowest rank first, leftmost first among equal ranks.
    private func merge(_ symbols: inout [Int32]) {
        let count = symbols.count
        var next = Array(1...count)
        next[count - 1] = -1
        var previous = Array(-1..<(count - 1))
        var alive = [Bool](repeating: true, count: count)
        var queue = MergeQueue()
        for position in 0..<(count - 1) {
            if let merge = merges[Self.pairKey(symbols[position], symbols[position + 1])] {
                queue.push(merge, at: position)
            }
        }
        while let (position, mergedID) = queue.pop() {
            let right = next[position]
            guard alive[position], right >= 0,
                let merge = merges[Self.pairKey(symbols[position], symbols[right])],
                Int32(truncatingIfNeeded: merge) == mergedID
            else { continue }
            symbols[position] = mergedID
            alive[right] = false
            next[position] = next[right]
            if next[right] >= 0 { previous[next[right]] = position }
            let left = previous[position]
            if left >= 0, let merge = merges[Self.pairKey(symbols[left], mergedID)] { queue.push(merge, at: left) }
            let after = next[position]
            if after >= 0, let merge = merges[Self.pairKey(mergedID, symbols[after])] {
                queue.push(merge, at: position)
            }
        }
        var kept = 0
        for position in 0..<count where alive[position] {
            symbols[kept] = symbols[position]
            kept += 1
        }
        symbols.removeLast(count - kept)
    }
}

/// A binary min-heap of pending merges ordered by (rank, position).
private struct MergeQueue {
    /// rank << 32 | position, with the merged id alongside.
    private var entries: [(key: UInt64, mergedID: Int32)] = []

    /// Queues `merge` (rank << 32 | merged id) for the pair starting at `position`.
    mutating func push(_ merge: UInt64, at position: Int) {
        entries.append(((merge >> 32) << 32 | UInt64(position), Int32(truncatingIfNeeded: merge)))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].key < entries[parent].key else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes the lowest entry: its position and merged id.
    mutating func pop() -> (position: Int, mergedID: Int32)? {
        guard let top = entries.first else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < entries.count else { break }
                let right = left + 1
                let smaller = right < entries.count && entries[right].key < entries[left].key ? right : left
                guard entries[smaller].key < entries[parent].key else { break }
                entries.swapAt(smaller, parent)
                parent = smaller
            }
        }
        return (Int(top.key & 0xFFFF_FFFF), top.mergedID)
    }
}
