// A brute-force countdown solver for tests: every expression that uses all numbers once and hits the target.

@testable import VRTasks

/// Enumerates expressions over a small multiset of numbers by combining pairs, the way a player would.
enum CountdownSolver {
    /// Up to `limit` distinct expression texts using every number exactly once whose exact value is `target`.
    static func solutions(numbers: [Int], target: Int, limit: Int = 50) -> [String] {
        var found: [String] = []
        var seen = Set<String>()
        let leaves = numbers.map { (text: String($0), value: Rational(Int64($0))!) }
        search(leaves, target: Rational(Int64(target))!, limit: limit, found: &found, seen: &seen)
        return found
    }

    private static func search(
        _ pool: [(text: String, value: Rational)], target: Rational, limit: Int, found: inout [String],
        seen: inout Set<String>
    ) {
        guard found.count < limit else { return }
        if pool.count == 1 {
            if pool[0].value == target, seen.insert(pool[0].text).inserted { found.append(pool[0].text) }
            return
        }
        for i in pool.indices {
            for j in pool.indices where i != j {
                let (a, b) = (pool[i], pool[j])
                var rest = pool
                rest.remove(at: max(i, j))
                rest.remove(at: min(i, j))
                let candidates: [(String, Rational?)] = [
                    ("(\(a.text)+\(b.text))", a.value.adding(b.value)),
                    ("(\(a.text)-\(b.text))", a.value.subtracting(b.value)),
                    ("(\(a.text)*\(b.text))", a.value.multiplying(b.value)),
                    ("(\(a.text)/\(b.text))", a.value.dividing(by: b.value)),
                ]
                for case let (text, value?) in candidates {
                    search(rest + [(text, value)], target: target, limit: limit, found: &found, seen: &seen)
                }
            }
        }
    }
}
