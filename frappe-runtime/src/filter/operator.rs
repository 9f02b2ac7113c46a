//! The filter operators of Frappe v15 (`frappe/utils/data.py` `get_filter` and the nested-set
//! operators), and the fixed vocabularies of `timespan`, `previous` and `next`.

use std::fmt;

/// A Frappe filter operator, rendered exactly as Frappe spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operator {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `>`
    Gt,
    /// `<`
    Lt,
    /// `>=`
    Gte,
    /// `<=`
    Lte,
    /// `like` (the value carries its own `%` wildcards)
    Like,
    /// `not like`
    NotLike,
    /// `in` (a list)
    In,
    /// `not in` (a list)
    NotIn,
    /// `is` (`"set"` or `"not set"`)
    Is,
    /// `between` (`[from, to]`)
    Between,
    /// `timespan` (see [`Timespan`])
    Timespan,
    /// `previous` (see [`Period`])
    Previous,
    /// `next` (see [`Period`])
    Next,
    /// `ancestors of` (nested-set DocTypes)
    AncestorsOf,
    /// `descendants of`
    DescendantsOf,
    /// `not ancestors of`
    NotAncestorsOf,
    /// `not descendants of`
    NotDescendantsOf,
    /// `descendants of (inclusive)`
    DescendantsOfInclusive,
}

impl Operator {
    /// The operator as Frappe expects it on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Eq => "=",
            Operator::Ne => "!=",
            Operator::Gt => ">",
            Operator::Lt => "<",
            Operator::Gte => ">=",
            Operator::Lte => "<=",
            Operator::Like => "like",
            Operator::NotLike => "not like",
            Operator::In => "in",
            Operator::NotIn => "not in",
            Operator::Is => "is",
            Operator::Between => "between",
            Operator::Timespan => "timespan",
            Operator::Previous => "previous",
            Operator::Next => "next",
            Operator::AncestorsOf => "ancestors of",
            Operator::DescendantsOf => "descendants of",
            Operator::NotAncestorsOf => "not ancestors of",
            Operator::NotDescendantsOf => "not descendants of",
            Operator::DescendantsOfInclusive => "descendants of (inclusive)",
        }
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The values of the `timespan` operator (`get_timespan_date_range`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each variant is its wire string
pub enum Timespan {
    LastWeek,
    LastMonth,
    LastQuarter,
    Last6Months,
    LastYear,
    Yesterday,
    Today,
    Tomorrow,
    ThisWeek,
    ThisMonth,
    ThisQuarter,
    ThisYear,
    NextWeek,
    NextMonth,
    NextQuarter,
    Next6Months,
    NextYear,
}

impl Timespan {
    /// The wire string, e.g. `"last 6 months"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Timespan::LastWeek => "last week",
            Timespan::LastMonth => "last month",
            Timespan::LastQuarter => "last quarter",
            Timespan::Last6Months => "last 6 months",
            Timespan::LastYear => "last year",
            Timespan::Yesterday => "yesterday",
            Timespan::Today => "today",
            Timespan::Tomorrow => "tomorrow",
            Timespan::ThisWeek => "this week",
            Timespan::ThisMonth => "this month",
            Timespan::ThisQuarter => "this quarter",
            Timespan::ThisYear => "this year",
            Timespan::NextWeek => "next week",
            Timespan::NextMonth => "next month",
            Timespan::NextQuarter => "next quarter",
            Timespan::Next6Months => "next 6 months",
            Timespan::NextYear => "next year",
        }
    }
}

/// The values of the `previous` and `next` operators (`get_date_range`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each variant is its wire string
pub enum Period {
    OneWeek,
    OneMonth,
    ThreeMonths,
    SixMonths,
    OneYear,
}

impl Period {
    /// The wire string, e.g. `"3 months"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::OneWeek => "1 week",
            Period::OneMonth => "1 month",
            Period::ThreeMonths => "3 months",
            Period::SixMonths => "6 months",
            Period::OneYear => "1 year",
        }
    }
}
