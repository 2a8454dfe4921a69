import Testing
@Test func wirePlaceholder() { #expect(Bool(true)) }
