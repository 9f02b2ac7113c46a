//! Peak memory of streaming 100,000 rows through the client's paging `Stream`.
//!
//! Not written yet: it waits for the client's `ListRequest::stream()` to land.

/// Prints the streaming figures.
pub fn run() {
    println!("stream: not measured yet (the client's paging Stream has not landed)");
}
