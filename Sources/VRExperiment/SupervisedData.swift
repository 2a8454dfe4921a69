// The supervised data of stages 1 and 2: pi on the reference thoughts, q on the thoughts with its hint.

import VRTasks
import VRText
import VRTraining

/// Which model supervised examples teach.
public enum SupervisedModel: String, Sendable, CaseIterable, Codable {
    /// The reasoning model pi (stage 1): question -> thought and solution.
    case reasoning
    /// The posterior q (stage 2): question and hint -> thought.
    case posterior
}

extension PromptResponseDataset {
    /// The stage-1 or stage-2 examples of a task set.
    /// - Parameters:
    ///   - dataset: the tasks.
    ///   - model: the model the examples teach.
    ///   - renderer: the templates, in the model's chat format.
    public init(_ dataset: TaskDataset, teaching model: SupervisedModel, renderer: TemplateRenderer) {
        self.init(
            examples: dataset.items.map { item in
                let example =
                    switch model {
                    case .reasoning: item.reasoningExample(renderer: renderer)
                    case .posterior: item.posteriorExample(renderer: renderer)
                    }
                return PromptResponseExample(prompt: example.prompt, response: example.response)
            })
    }
}
