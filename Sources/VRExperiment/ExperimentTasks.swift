// An experiment's training and held-out questions: generated, or read from its task files.

import VRTasks

extension ExperimentConfiguration {
    /// The training and held-out questions: `trainQuestionsPerTask` and `testQuestionsPerTask` from each generator
    /// or task-file pair, interleaved so that families mix.
    /// - Returns: the two splits.
    /// - Throws: `ExperimentError.unreadable` naming a task file that cannot be read, `.invalid` for a generator
    ///   that cannot run, a file with too few questions, or a held-out question that is also a training one.
    public func taskSplits() throws(ExperimentError) -> (train: TaskDataset, test: TaskDataset) {
        if taskFiles.isEmpty {
            do {
                return (
                    try TaskDataset.generated(tasks, countPerConfiguration: trainQuestionsPerTask, split: .train),
                    try TaskDataset.generated(tasks, countPerConfiguration: testQuestionsPerTask, split: .test)
                )
            } catch { throw .invalid("tasks: \(error)") }
        }
        var trainParts: [[TaskItem]] = []
        var testParts: [[TaskItem]] = []
        for files in taskFiles {
            let train = try Self.questions(
                in: files.train, count: trainQuestionsPerTask, field: "trainQuestionsPerTask")
            let test = try Self.questions(in: files.test, count: testQuestionsPerTask, field: "testQuestionsPerTask")
            let trainQuestions = Set(train.map(\.question))
            if let shared = test.first(where: { trainQuestions.contains($0.question) }) {
                throw .invalid(
                    "taskFiles: held-out question \"\(shared.question)\" of \(files.test) is in \(files.train)")
            }
            trainParts.append(train)
            testParts.append(test)
        }
        return (TaskDataset(items: Self.interleaved(trainParts)), TaskDataset(items: Self.interleaved(testParts)))
    }

    /// The first `count` questions of a task file.
    private static func questions(in path: String, count: Int, field: String) throws(ExperimentError) -> [TaskItem] {
        let items: [TaskItem]
        do { items = try TaskDataset.read(from: path, verifier: nil).items } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        guard items.count >= count else {
            throw .invalid("\(path) holds \(items.count) questions; \(field) asks for \(count)")
        }
        return Array(items.prefix(count))
    }

    /// Item 0 of every part, then item 1 of every part, and so on; the parts are equally long.
    private static func interleaved(_ parts: [[TaskItem]]) -> [TaskItem] {
        let length = parts.map(\.count).min() ?? 0
        return (0..<length).flatMap { index in parts.map { $0[index] } }
    }
}
