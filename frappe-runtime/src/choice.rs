//! [`Choice`]: the options of a `Select` field as a Rust enum.

/// A Rust enum mirroring a `Select` field's options.
///
/// `#[derive(Choice)]` implements it, together with the filter traits, so that a Select field
/// takes its enum in filters. Generated enums keep the exact wire strings and have a catch-all
/// variant for values that are not among the options they were generated from. The blank option
/// (`""`) has no variant: a generated field is `Option<Enum>` and reads `""` as `None`
/// ([`wire::select`](crate::wire::select)).
pub trait Choice: Sized {
    /// The options this enum was built from, as wire strings, in Frappe's order.
    const OPTIONS: &'static [&'static str];

    /// The wire string of this value.
    fn as_str(&self) -> &str;

    /// The value for a wire string (the catch-all variant for unknown strings, if the enum has
    /// one; `None` otherwise).
    fn from_wire(value: &str) -> Option<Self>;
}
