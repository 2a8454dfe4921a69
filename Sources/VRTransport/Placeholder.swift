// Placeholder until the transport lands.
enum TransportPlaceholder {}
