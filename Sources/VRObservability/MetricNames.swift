// Metric names of the daemons: `vr_<subsystem>_<name>[_<unit>]`, each with its help text.

import Prometheus

extension MetricNameDescriptor {
    /// The descriptor of `vr_SUBSYSTEM_NAME`, or `vr_SUBSYSTEM_NAME_UNIT` with a unit such as `total`.
    /// - Parameters:
    ///   - subsystem: `learner` or `worker`.
    ///   - name: what is measured.
    ///   - unit: the unit suffix, empty for none.
    ///   - help: the `# HELP` text.
    /// - Returns: the descriptor.
    static func vr(_ subsystem: String, _ name: String, unit: String = "", help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "vr", subsystem: subsystem, metricName: name, unitName: unit, helpText: help)
    }
}
