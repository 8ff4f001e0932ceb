//! What applying a transform to one value gives.

/// The result of applying a transform to one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The original value stands (kept, NULL, empty, nothing found).
    Unchanged,
    /// The value becomes NULL.
    Null,
    /// The value becomes the text appended to `out`.
    Text,
}
