// Tests for splitting model output into thought, solution and final answer, with missing or truncated markers.

import Testing
import VRText

@Suite("Template output parsing")
struct TemplateOutputParsingTests {
    @Test("complete output: every part and no missing marker")
    func complete() {
        let output = ReasoningOutput.parse("2+3=5<|end_of_thought|><|begin_of_solution|>Answer: 5<|end_of_solution|>")
        #expect(output == ReasoningOutput(thought: "2+3=5", solution: "Answer: 5", finalAnswer: "5"))
        #expect(output.isComplete)
    }

    @Test("the rendered target parses back into its parts")
    func renderedTarget() {
        let renderer = TemplateRenderer()
        let text = renderer.reasoningTarget(thought: "7*8=56", solution: "Answer: 56")
        let output = ReasoningOutput.parse(text)
        #expect(output.thought == "7*8=56" && output.solution == "Answer: 56" && output.finalAnswer == "56")
        // A whole assistant turn, with its opening marker, parses the same way.
        #expect(ReasoningOutput.parse("<|begin_of_thought|>" + text) == output)
    }

    @Test("truncated inside the thought: all of it is thought, no solution")
    func truncatedThought() {
        let output = ReasoningOutput.parse("7+5=12 c1;4+")
        #expect(output.thought == "7+5=12 c1;4+")
        #expect(output.solution == nil && output.finalAnswer == nil)
        #expect(output.missingMarkers == [.endOfThought, .beginOfSolution, .endOfSolution])
        #expect(!output.isComplete)
    }

    @Test("truncated inside the solution: the partial solution and its answer, flagged")
    func truncatedSolution() {
        let output = ReasoningOutput.parse("t<|end_of_thought|><|begin_of_solution|>Answer: 63")
        #expect(output.thought == "t" && output.solution == "Answer: 63" && output.finalAnswer == "63")
        #expect(output.missingMarkers == [.endOfSolution])
    }

    @Test("missing end of thought: the thought ends at the begin of solution")
    func missingEndOfThought() {
        let output = ReasoningOutput.parse("t<|begin_of_solution|>Answer: 5<|end_of_solution|>")
        #expect(output.thought == "t" && output.solution == "Answer: 5" && output.finalAnswer == "5")
        #expect(output.missingMarkers == [.endOfThought])
    }

    @Test("missing begin of solution: the rest is the solution; a blank rest is none")
    func missingBeginOfSolution() {
        let output = ReasoningOutput.parse("t<|end_of_thought|>Answer: 5<|end_of_solution|>")
        #expect(output.solution == "Answer: 5" && output.finalAnswer == "5")
        #expect(output.missingMarkers == [.beginOfSolution])
        let blank = ReasoningOutput.parse("t<|end_of_thought|>  \n")
        #expect(blank.thought == "t" && blank.solution == nil && blank.finalAnswer == nil)
        #expect(blank.missingMarkers == [.beginOfSolution, .endOfSolution])
    }

    @Test("text after the end of solution or after an end-of-turn token is trailing, not content")
    func trailingText() {
        let output = ReasoningOutput.parse("t<|end_of_thought|><|begin_of_solution|>Answer: 5<|end_of_solution|>junk")
        #expect(output.solution == "Answer: 5" && output.trailingText == "junk" && output.isComplete)
        let ended = ReasoningOutput.parse("t<|end_of_thought|><|begin_of_solution|>Answer: 5<|end|>more")
        #expect(ended.solution == "Answer: 5" && ended.finalAnswer == "5")
        #expect(ended.missingMarkers == [.endOfSolution] && ended.trailingText == "<|end|>more")
        let early = ReasoningOutput.parse("half a thou<|endoftext|>ght")
        #expect(early.thought == "half a thou" && early.trailingText == "<|endoftext|>ght")
    }

    @Test("layouts: trace only, explanation (template A), solution only")
    func layouts() {
        let trace = ReasoningOutput.parse("3+5=8;8*2=16<|end_of_thought|>", layout: .thought)
        #expect(trace.thought == "3+5=8;8*2=16" && trace.solution == nil && trace.isComplete)
        let cut = ReasoningOutput.parse("3+5=8;8*", layout: .thought)
        #expect(cut.thought == "3+5=8;8*" && cut.missingMarkers == [.endOfThought])
        let explanation = ReasoningOutput.parse("because 3+5=8<|end_of_explanation|>x", layout: .explanation)
        #expect(explanation.thought == "because 3+5=8" && explanation.isComplete && explanation.trailingText == "x")
        let answer = ReasoningOutput.parse("Answer: 16<|end_of_solution|>", layout: .solution)
        #expect(answer == ReasoningOutput(thought: nil, solution: "Answer: 16", finalAnswer: "16"))
        let open = ReasoningOutput.parse("<|begin_of_solution|>Answer: (3+5)*2", layout: .solution)
        #expect(open.finalAnswer == "(3+5)*2" && open.missingMarkers == [.endOfSolution])
    }

    @Test("empty and marker-only outputs never fail")
    func degenerate() {
        #expect(
            ReasoningOutput.parse("")
                == ReasoningOutput(
                    thought: "", solution: nil, finalAnswer: nil,
                    missingMarkers: [.endOfThought, .beginOfSolution, .endOfSolution]))
        let markers = ReasoningOutput.parse("<|end_of_thought|><|begin_of_solution|><|end_of_solution|>")
        #expect(markers.thought == "" && markers.solution == "" && markers.finalAnswer == nil && markers.isComplete)
        for layout in ReasoningOutput.Layout.allCases {
            _ = ReasoningOutput.parse("<|<|end_of<|begin_of_solution|>\u{FFFD}é<|", layout: layout)
        }
    }

    @Test("final answer rule: boxed, then an Answer: line, then the last line")
    func finalAnswerRule() {
        #expect(ReasoningOutput.finalAnswer(inSolution: "Answer: 632") == "632")
        #expect(ReasoningOutput.finalAnswer(inSolution: "The sum is 8.\nanswer:  8 \nthanks") == "8")
        #expect(ReasoningOutput.finalAnswer(inSolution: "So $\\boxed{\\frac{1}{2}}$.\nAnswer: 0.5") == "\\frac{1}{2}")
        #expect(ReasoningOutput.finalAnswer(inSolution: "first\n  last line  \n\n") == "last line")
        #expect(ReasoningOutput.finalAnswer(inSolution: "Answer: 1\nAnswer: 2") == "2")
        #expect(ReasoningOutput.finalAnswer(inSolution: "\\boxed{unclosed\nAnswer: 3") == "3")
        #expect(ReasoningOutput.finalAnswer(inSolution: "Answer:\n7") == "7")
        #expect(ReasoningOutput.finalAnswer(inSolution: " \n ") == nil)
        #expect(ReasoningOutput.finalAnswer(inSolution: "") == nil)
    }
}
