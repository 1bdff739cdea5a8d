//! Workspace-level tests and examples of growthbook-rs (not published).
//!
//! The README is included below so that `cargo test --workspace` compiles and
//! runs every Rust snippet in it.
#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
// The README shows a whole `build.rs`, `fn main` included.
#![allow(clippy::needless_doctest_main)]
