// The `--hint` option of the commands that train and sample.

import ArgumentParser
import VRText

extension TemplateConfiguration.Hint: ExpressibleByArgument {
    /// The help text of every `--hint` option.
    static let help: ArgumentHelp = """
        The posterior's hint y': worked-solution (the task's worked solution, else its reference solution; the \
        paper's) or answer (the final answer only, an ablation). Learner, workers and q's SFT data must agree.
        """
}
