// `decimal` against Foundation's printf-style formatting, which it must match digit for digit.

import Foundation
import Testing
import VRCore

@Suite struct DecimalTextTests {
    @Test func matchesPrintf() {
        var generator = SeededGenerator(seed: 7)
        let specials: [Double] = [0, -0.0, 0.0005, 2.5, -2.5, 1e300, -1.7e308, .nan, .infinity, -.infinity, .pi]
        let randoms = (0..<2000).map { _ in
            Double.random(in: -1...1, using: &generator) * pow(10, Double(Int.random(in: -8...12, using: &generator)))
        }
        for value in specials + randoms {
            for digits in [0, 1, 3, 6, 17] {
                #expect(decimal(value, digits) == String(format: "%.\(digits)f", value), "\(value) \(digits)")
            }
        }
    }

    @Test func clampsDigits() {
        #expect(decimal(.pi, -2) == "3")
        #expect(decimal(1, 40) == "1." + String(repeating: "0", count: 17))
    }
}
