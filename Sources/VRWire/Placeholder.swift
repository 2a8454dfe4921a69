// Placeholder until the wire protocol lands.
enum WirePlaceholder {}
