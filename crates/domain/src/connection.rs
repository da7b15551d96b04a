//! Connections between two members: asked by one, accepted by the other.

/// Where a connection stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionStatus {
    /// Asked, not yet answered.
    Pending,
    /// Both are connected.
    Accepted,
}

named_values!(ConnectionStatus {
    Pending => "pending",
    Accepted => "accepted",
});
