// Turns one decoded JSONL line into a task item, collecting every problem with its field.

import VRText

/// Reads the fields of one JSONL object into a `TaskItem`; the rules are listed on `TaskDataset.parse`.
struct TaskLineReader {
    /// The object's fields.
    let fields: [String: JSONValue]
    /// The 1-based line number.
    let line: Int
    /// The problems found so far.
    private(set) var issues: [TaskDatasetIssue] = []

    init(fields: [String: JSONValue], line: Int) {
        self.fields = fields
        self.line = line
    }

    /// The item, or nil with `issues` explaining why.
    mutating func item(verifier chosen: VerifierKind?) -> TaskItem? {
        let question = string("question", required: true)
        let thought = string("thought", required: false, allowBlank: true) ?? ""
        let issuesBeforeAnswer = issues.count
        let answer = answerText()
        let solution = string("solution", required: false)
        let workedSolution = string("worked_solution", required: false)
        let source = string("source", required: false)
        let difficulty = integer("difficulty", required: false, minimum: 0) ?? 0
        let id = string("id", required: false) ?? "line-\(line)"
        let family = familyValue()
        let kind = chosen ?? verifierKind()
        // 1. the final answer: "answer" if given, else extracted from "solution"
        var finalAnswer = answer
        if answer == nil, let solution {
            finalAnswer = ReasoningOutput.finalAnswer(inSolution: solution)
            if finalAnswer == nil { report("solution", .emptyField) }
        } else if answer == nil && issues.count == issuesBeforeAnswer {
            report("answer", .invalidValue(reason: "neither \"answer\" nor \"solution\" is given"))
        }
        // 2. the verifier, and a check that it accepts the reference answer
        var verifier: Verifier?
        switch kind {
        case .exact?: verifier = .exact
        case .numeric?: verifier = .numeric
        case .fraction?: verifier = .fraction
        case .approximate?: verifier = toleranceValue().map { .approximate(tolerance: $0) }
        case .expression?:
            let numbers = integerArray("numbers")
            let target = integer("target", required: true, minimum: nil)
            if let numbers, let target { verifier = .expression(numbers: numbers.map(Int.init), target: Int(target)) }
        case nil: break
        }
        if let verifier, let finalAnswer, !verifier.accepts(finalAnswer, reference: finalAnswer) {
            let field = answer == nil ? "solution" : "answer"
            let reason =
                verifier.rejection(of: finalAnswer)
                ?? "\"\(finalAnswer)\" is not a valid \(verifier.kind.rawValue) answer"
            report(
                field, .invalidValue(reason: "the \(verifier.kind.rawValue) verifier rejects the reference: \(reason)"))
        }
        guard issues.isEmpty, let question, let finalAnswer, let verifier else {
            // Defensive: a line never yields nothing without saying why.
            if issues.isEmpty { report(nil, .invalidValue(reason: "the line does not form a task item")) }
            return nil
        }
        return TaskItem(
            id: id, family: family, question: question, referenceThought: thought,
            referenceSolution: solution ?? TaskItem.solution(stating: finalAnswer), finalAnswer: finalAnswer,
            difficulty: Int(difficulty), verifier: verifier, workedSolution: workedSolution, source: source)
    }

    // MARK: - Fields

    private mutating func report(_ field: String?, _ problem: TaskDatasetIssue.Problem) {
        issues.append(TaskDatasetIssue(line: line, field: field, problem: problem))
    }

    /// A string field; null counts as absent; a present string must not be blank unless `allowBlank`.
    private mutating func string(_ name: String, required: Bool, allowBlank: Bool = false) -> String? {
        switch fields[name] {
        case nil, .null?:
            if required { report(name, .missingField) }
            return nil
        case .string(let text)?:
            if text.allSatisfy(\.isWhitespace) && !allowBlank {
                report(name, .emptyField)
                return nil
            }
            return text
        case let value?:
            report(name, .wrongType(expected: "a string", found: value.typeName))
            return nil
        }
    }

    /// The "answer" field: a non-blank string or an integer (written as its decimal digits).
    private mutating func answerText() -> String? {
        switch fields["answer"] {
        case .integer(let value)?: return String(value)
        case .number?, .bool?, .array?, .object?:
            report("answer", .wrongType(expected: "a string or an integer", found: fields["answer"]?.typeName ?? ""))
            return nil
        default: return string("answer", required: false)
        }
    }

    /// An integer field, at least `minimum` when given.
    private mutating func integer(_ name: String, required: Bool, minimum: Int64?) -> Int64? {
        switch fields[name] {
        case nil, .null?:
            if required { report(name, .missingField) }
            return nil
        case .integer(let value)?:
            if let minimum, value < minimum {
                report(name, .invalidValue(reason: "\(value) is below the minimum \(minimum)"))
                return nil
            }
            return value
        case let value?:
            report(name, .wrongType(expected: "an integer", found: value.typeName))
            return nil
        }
    }

    /// The "numbers" field: a non-empty array of integers.
    private mutating func integerArray(_ name: String) -> [Int64]? {
        switch fields[name] {
        case nil, .null?:
            report(name, .missingField)
        case .array(let values)?:
            let integers = values.compactMap { value -> Int64? in
                if case .integer(let integer) = value { return integer }
                return nil
            }
            if let bad = values.first(where: { if case .integer = $0 { false } else { true } }) {
                report(name, .wrongType(expected: "an array of integers", found: "an array holding \(bad.typeName)"))
            } else if integers.isEmpty {
                report(name, .emptyField)
            } else {
                return integers
            }
        case let value?:
            report(name, .wrongType(expected: "an array of integers", found: value.typeName))
        }
        return nil
    }

    /// The "tolerance" field of approximate items: a string holding a non-negative number.
    private mutating func toleranceValue() -> String? {
        guard let text = string("tolerance", required: true) else { return nil }
        guard let value = NumericAnswer.value(text), value.numerator >= 0 else {
            report("tolerance", .invalidValue(reason: "\"\(text)\" is not a non-negative number such as \"0.001\""))
            return nil
        }
        return text
    }

    /// The optional "family" field.
    private mutating func familyValue() -> TaskFamily? {
        guard let text = string("family", required: false) else { return nil }
        guard let family = TaskFamily(rawValue: text) else {
            let known = TaskFamily.allCases.map(\.rawValue).joined(separator: ", ")
            report("family", .invalidValue(reason: "unknown family \"\(text)\"; known: \(known)"))
            return nil
        }
        return family
    }

    /// The line's own "verifier" field, required when the caller chose none.
    private mutating func verifierKind() -> VerifierKind? {
        guard let text = string("verifier", required: true) else { return nil }
        guard let kind = VerifierKind(rawValue: text) else {
            let known = VerifierKind.allCases.map(\.rawValue).joined(separator: ", ")
            report("verifier", .invalidValue(reason: "unknown verifier \"\(text)\"; known: \(known)"))
            return nil
        }
        return kind
    }
}
