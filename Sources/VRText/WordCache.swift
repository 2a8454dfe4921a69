// A cache of BPE results per word, shared by every copy of a tokenizer and safe to use from many threads.

import Synchronization

/// Remembers the ids of words already merged; once full it keeps what it has (as `tokenizers`' cache does).
final class WordCache: Sendable {
    /// Most words kept.
    static let capacity = 1 << 17
    /// Longest word (in bytes) kept; longer words are rare and would crowd out the common ones.
    static let longestWord = 256

    private let idsByWord = Mutex<[WordKey: [Int32]]>([:])

    /// The ids of `word`, computed by `merge` on a miss.
    func ids(of word: ArraySlice<UInt8>, merge: (ArraySlice<UInt8>) -> [Int32]) -> [Int32] {
        guard word.count <= Self.longestWord else { return merge(word) }
        let key = WordKey(bytes: word)
        if let ids = idsByWord.withLock({ $0[key] }) { return ids }
        let ids = merge(word)
        idsByWord.withLock { cache in
            if cache.count < Self.capacity { cache[key.detached] = ids }
        }
        return ids
    }
}
